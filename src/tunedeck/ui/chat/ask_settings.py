"""Temperature, max tokens and system message, and how the chosen model will be asked.

The line under the settings says what training-format fidelity does for this model (the
separator added and the stop sequence set, or the system message it was tuned with), and a
warning shows as soon as the user's system message is not that one: the expert should know
that the answer they are judging is not the one the tuned model learned to give.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.chat.asking import AskSettings
from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.models import ModelKind
from tunedeck.ui.text_display import display_line

WARNING_STYLE = "background:#fff4e5; color:#663c00; border:1px solid #ffd599; padding:4px;"
HINT_STYLE = "color:palette(placeholder-text);"


class AskSettingsBar(QWidget):
    """Signals:
    changed(): a setting changed.
    """

    changed = Signal()

    def __init__(
        self,
        temperature: float = 0.0,
        max_tokens: int = 256,
        system: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fmt = TrainingFormat(ModelKind.CHAT)
        self._has_system = system
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(1)
        self.temperature.setValue(temperature)
        self.temperature.setToolTip("0 gives the model's most likely answer every time")
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 32_768)
        self.max_tokens.setValue(max_tokens)
        self.max_tokens.setToolTip("The longest answer, in tokens")
        self.system = QLineEdit()
        self.system.setPlaceholderText("System message (optional)")
        self.system.setClearButtonEnabled(True)
        self.how = QLabel()
        self.how.setStyleSheet(HINT_STYLE)
        self.how.setWordWrap(True)
        self.how.setVisible(system)  # without a system box, each model's pane says it
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.restore = QPushButton("Use the tuned one")
        self.restore.setToolTip("Put back the system message the model was tuned with")
        self._build(system)
        self.temperature.valueChanged.connect(lambda _v: self.changed.emit())
        self.max_tokens.valueChanged.connect(lambda _v: self.changed.emit())
        self.system.textChanged.connect(self._on_system_edited)
        self.restore.clicked.connect(self._on_restore)
        self._show_warning()

    def _build(self, system: bool) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Temperature"))
        row.addWidget(self.temperature)
        row.addWidget(QLabel("Max tokens"))
        row.addWidget(self.max_tokens)
        if system:
            row.addWidget(self.system, 1)
        else:
            row.addStretch(1)
        warning = QHBoxLayout()
        warning.setContentsMargins(0, 0, 0, 0)
        warning.addWidget(self.warning, 1)
        warning.addWidget(self.restore)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.how)
        column.addLayout(warning)

    def set_format(self, fmt: TrainingFormat, system: str | None = None) -> None:
        """Show how a model of `fmt` is asked; pre-fill its system message (or `system`,
        a reopened conversation's own)."""
        self._fmt = fmt
        self.system.setEnabled(not fmt.is_legacy)
        self.system.blockSignals(True)
        self.system.setText(system if system is not None else fmt.system_message or "")
        self.system.blockSignals(False)
        self.how.setText(describe(fmt) if self._has_system else "")
        self.how.setVisible(self._has_system)
        self._show_warning()
        self.changed.emit()

    def settings(self) -> AskSettings:
        # None lets each model have its own (the comparison has no box for it).
        asked = self._has_system and not self._fmt.is_legacy
        return AskSettings(
            temperature=self.temperature.value(),
            max_tokens=self.max_tokens.value(),
            system=self.system.text() if asked else None,
        )

    def restore_settings(self, stored: dict) -> None:
        """Set the temperature and max tokens a reopened conversation used."""
        if stored.get("temperature") is not None:
            self.temperature.setValue(float(stored["temperature"]))
        if stored.get("max_tokens") is not None:
            self.max_tokens.setValue(int(stored["max_tokens"]))

    @property
    def system_changed(self) -> bool:
        return self._has_system and self._fmt.system_changed(self.system.text())

    def _on_system_edited(self, _text: str) -> None:
        self._show_warning()
        self.changed.emit()

    def _on_restore(self) -> None:
        self.system.setText(self._fmt.system_message or "")

    def _show_warning(self) -> None:
        changed = self.system_changed
        if changed:
            tuned = display_line(self._fmt.system_message or "", 120)
            self.warning.setText(
                f"⚠ Not the system message this model was tuned with (“{tuned}”): with "
                "another one it may not answer as it learned to."
            )
        self.warning.setVisible(changed)
        self.restore.setVisible(changed)


def describe(fmt: TrainingFormat) -> str:
    """How a model of `fmt` is asked, in a line for the expert."""
    if fmt.is_legacy:
        parts = []
        if fmt.separator:
            parts.append(f"“{display_line(fmt.separator)}” is added to each prompt")
        if fmt.stop:
            parts.append(f"the answer stops at “{display_line(fmt.stop)}”")
        if not parts:
            return "A completion model: it continues the prompt as it is."
        return "Asked as it was trained: " + " and ".join(parts) + "."
    if fmt.system_message:
        return "Asked as it was trained: with the system message it was tuned with."
    return "A chat model, asked plainly: no system message was recorded for it."
