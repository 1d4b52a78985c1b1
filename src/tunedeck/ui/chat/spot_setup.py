"""What a spot-check asks and whom: the examples, one or two models, and the run's buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from tunedeck.ui.chat.ask_settings import AskSettingsBar
from tunedeck.ui.chat.model_catalog import TUNED, ModelChoice
from tunedeck.ui.chat.model_picker import ModelPicker

VALIDATION, ROWS, SAMPLE = "validation", "rows", "sample"
_SELECTIONS = {
    VALIDATION: "The validation split",
    ROWS: "The rows the table shows now (its filter)",
    SAMPLE: "A random sample",
}


class SpotSetup(QWidget):
    """Signals:
    run_requested(): Run was clicked.
    cancel_requested(): Cancel was clicked.
    retry_requested(): Retry was clicked (failed and never-asked items).
    """

    run_requested = Signal()
    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(
        self, first: ModelPicker, second: ModelPicker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.first, self.second = first, second
        self.selection = QComboBox()
        for how, text in _SELECTIONS.items():
            self.selection.addItem(text, how)
        self.sample = QSpinBox()
        self.sample.setRange(1, 100_000)
        self.sample.setValue(20)
        self.sample.setPrefix("N = ")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("The same seed draws the same examples again")
        self.compare = QCheckBox("and")
        self.compare.setChecked(True)
        self.compare.setToolTip("Ask a second model the same examples, to compare")
        self.settings = AskSettingsBar(temperature=0.0, system=False)
        self.run_button = QPushButton("Run spot-check")
        self.cancel_button = QPushButton("Cancel")
        self.retry_button = QPushButton("Retry failed")
        self.retry_button.setToolTip("Ask again the examples that failed or were not asked")
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m asked")
        self._build()
        self.selection.currentIndexChanged.connect(lambda _i: self._update_selection())
        self.compare.toggled.connect(self.second.setEnabled)
        self.run_button.clicked.connect(self.run_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.retry_button.clicked.connect(self.retry_requested)
        self._update_selection()
        self.set_running(False, retryable=False)

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        examples = QHBoxLayout()
        examples.addWidget(self.selection, 1)
        examples.addWidget(self.sample)
        examples.addWidget(self.seed)
        grid.addWidget(QLabel("Examples"), 0, 0)
        grid.addLayout(examples, 0, 1)
        models = QHBoxLayout()
        models.addWidget(self.first, 1)
        models.addWidget(self.compare)
        models.addWidget(self.second, 1)
        grid.addWidget(QLabel("Models"), 1, 0)
        grid.addLayout(models, 1, 1)
        grid.addWidget(self.settings, 2, 1)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.retry_button):
            buttons.addWidget(button)
        buttons.addWidget(self.progress, 1)
        grid.addLayout(buttons, 3, 1)
        grid.setColumnStretch(1, 1)

    def set_choices(self, choices: list[ModelChoice]) -> None:
        """The newest tuned model first, against its base model, unless chosen otherwise."""
        tuned = next((c for c in choices if c.group == TUNED), None)
        self.first.set_choices(choices, prefer=self.first.current_name() or (tuned and tuned.name))
        chosen = self.first.current_choice()
        base = chosen.base_model if chosen is not None else None
        self.second.set_choices(choices, prefer=self.second.current_name() or base)

    def how(self) -> str:
        return self.selection.currentData()

    def choose(self, how: str, sample: int | None = None, seed: int | None = None) -> None:
        self.selection.setCurrentIndex(self.selection.findData(how))
        if sample is not None:
            self.sample.setValue(sample)
        if seed is not None:
            self.seed.setValue(seed)

    def models(self) -> list[ModelChoice]:
        """The chosen models, without the second when it is off or the same as the first."""
        first, second = self.first.current_choice(), self.second.current_choice()
        chosen = [first] if first is not None else []
        if self.compare.isChecked() and second is not None and second not in chosen:
            chosen.append(second)
        return chosen

    def describe(self) -> dict[str, Any]:
        how = self.how()
        described: dict[str, Any] = {"selection": how}
        if how == SAMPLE:
            described |= {"sample": self.sample.value(), "seed": self.seed.value()}
        return described | self.settings.settings().describe()

    def set_running(self, running: bool, retryable: bool) -> None:
        for widget in (self.run_button, self.selection, self.sample, self.seed):
            widget.setEnabled(not running)
        if not running:
            self._update_selection()
        self.cancel_button.setEnabled(running)
        self.retry_button.setEnabled(not running and retryable)

    def _update_selection(self) -> None:
        sampling = self.how() == SAMPLE and self.run_button.isEnabled()
        self.sample.setEnabled(sampling)
        self.seed.setEnabled(sampling)
