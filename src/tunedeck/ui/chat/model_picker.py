"""A combo box of models: the catalog's choices, or any name typed in.

Typing is allowed because an OpenAI-compatible server may serve models no list names, and
an Azure resource answers to deployment names the profile may not know yet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.ui.chat.model_catalog import BASE, DEPLOYMENT, OTHER, TUNED, ModelChoice

_GROUP_ORDER = (TUNED, DEPLOYMENT, BASE, OTHER)


class ModelPicker(QComboBox):
    """Signals:
    model_changed(object): the chosen ModelChoice (None when the box is empty).

    Args:
        format_of: How to ask a typed name (the project's record, or plainly by its kind).
    """

    model_changed = Signal(object)

    def __init__(
        self, format_of: Callable[[str], TrainingFormat], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._format_of = format_of
        self._choices: dict[str, ModelChoice] = {}
        self._last: str | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.lineEdit().setPlaceholderText("Choose or type a model name")
        self.setToolTip("The model to ask; type any name the service knows")
        self.activated.connect(lambda _index: self._changed())
        self.lineEdit().editingFinished.connect(self._changed)

    def set_choices(self, choices: Sequence[ModelChoice], prefer: str | None = None) -> None:
        """Offer `choices`, keeping the current model (or choosing `prefer`, else the first)."""
        keep = prefer or self.current_name() or None
        self._choices = {choice.name: choice for choice in choices}
        self.blockSignals(True)
        self.clear()
        previous = None
        ordered = sorted(choices, key=lambda c: _GROUP_ORDER.index(c.group))
        for choice in ordered:
            if previous is not None and choice.group != previous:
                self.insertSeparator(self.count())
            self.addItem(choice.label, choice.name)
            previous = choice.group
        self.blockSignals(False)
        if keep:
            self.select(keep)
        elif ordered:
            self.select(ordered[0].name)  # the top of the list as shown: a tuned model first
        else:
            self.setEditText("")
            self._changed()

    def select(self, name: str) -> None:
        """Choose the model `name`, listed or not."""
        index = self.findData(name)
        self.blockSignals(True)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(name)
        self.blockSignals(False)
        self._changed()

    def current_name(self) -> str:
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0 and self.itemData(index):
            return self.itemData(index)
        return text

    def current_choice(self) -> ModelChoice | None:
        name = self.current_name()
        if not name:
            return None
        if name in self._choices:
            return self._choices[name]
        return ModelChoice(name, OTHER, self._format_of(name))

    def choice(self, name: str) -> ModelChoice | None:
        return self._choices.get(name)

    def _changed(self) -> None:
        name = self.current_name()
        if name != self._last:
            self._last = name
            self.model_changed.emit(self.current_choice())
