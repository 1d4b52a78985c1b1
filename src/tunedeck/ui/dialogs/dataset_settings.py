"""The dataset's lint settings: target model, conventions and classes; blanks are inferred."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice, pairwise

from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.dataset import Dataset
from tunedeck.core.dataset.fields import parse_path
from tunedeck.core.errors import UserError
from tunedeck.core.lint.resolve import resolve
from tunedeck.core.lint.settings import LintSettings, ResolvedSettings, Source
from tunedeck.core.models import MODELS, ModelInfo, model_info
from tunedeck.core.session import CurationSession
from tunedeck.core.text_escapes import escape, unescape

INFER = "Infer from the data"
ANSWER = "The answer itself"
# Parts of the training formats themselves: never where a class is kept.
_FORMAT_KEYS = {"prompt", "completion", "messages", "tools", "functions", "parallel_tool_calls"}
_SCALARS = (str, int, float)  # bool is an int
_ERROR_STYLE = "color: #b00020"


def class_field_candidates(dataset: Dataset, sample: int = 500) -> list[str]:
    """Paths of scalar fields in the first records, such as ``label`` or ``meta.intent``."""
    found: dict[str, None] = {}
    for example in islice(dataset, sample):
        for key, value in (example.record or {}).items():
            if key in _FORMAT_KEYS:
                continue
            if isinstance(value, dict):
                inner = (
                    f"{key}.{name}" for name, leaf in value.items() if isinstance(leaf, _SCALARS)
                )
                found.update(dict.fromkeys(inner))
            elif isinstance(value, _SCALARS):
                found[key] = None
    return [path for path in found if _is_path(path)]


def _is_path(text: str) -> bool:
    try:
        parse_path(text)
    except ValueError:
        return False
    return True


def _inferred(session: CurationSession) -> ResolvedSettings:
    """What the data alone says; the linter knows it unless the user configured something."""
    current = session.linter.settings
    sources = (current.model_source, current.separator_source, current.stop_source)
    if Source.CONFIGURED not in (*sources, current.classification_source):
        return current
    return resolve(session.dataset, LintSettings())


def _guess(value: str | None, source: Source) -> str:
    if source is Source.PROPOSED:
        return f"none found; suggested: {escape(value or '')}"
    return f"inferred: {escape(value)}" if value else "none found"


class DatasetSettingsDialog(QDialog):
    """Edit how a dataset is checked. The caller applies settings() when it is accepted."""

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Settings for {session.info.name}")
        self._stored = session.info.settings
        self._inferred = _inferred(session)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.model = QComboBox(editable=True)
        self.model.addItems([INFER, *MODELS])
        self.model_hint = _hint()
        self.separator = QLineEdit(font=fixed)
        self.separator.setPlaceholderText(
            _guess(self._inferred.separator, self._inferred.separator_source)
        )
        self.stop = QLineEdit(font=fixed)
        self.stop.setPlaceholderText(_guess(self._inferred.stop, self._inferred.stop_source))
        self.token_limit = QSpinBox(maximum=10_000_000, suffix=" tokens")
        self.token_limit.setGroupSeparatorShown(True)
        self.classification = QComboBox()
        for text, value in ((INFER, None), ("On", True), ("Off", False)):
            self.classification.addItem(text, value)
        self.classification_hint = _hint()
        self.class_field = QComboBox(editable=True)
        self.class_field.addItems([ANSWER, *class_field_candidates(session.dataset)])
        self.error_label = QLabel(wordWrap=True, styleSheet=_ERROR_STYLE, visible=False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._build()
        self._show(self._stored)
        for signal in (
            self.model.currentTextChanged,
            self.separator.textChanged,
            self.stop.textChanged,
            self.classification.currentIndexChanged,
            self.class_field.currentTextChanged,
        ):
            signal.connect(self._refresh)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # The wrapped text makes the size hint guess a narrow, tall dialog; size it for its width.
        self.resize(520, self.heightForWidth(520))
        self._refresh()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _build(self) -> None:
        intro = QLabel(
            "Blank fields are worked out from the data. Changing a setting checks every "
            "example again, in the background.",
            wordWrap=True,
        )
        form = QFormLayout()
        fields = [
            ("Target &model:", self.model, self.model_hint),
            ("&Separator:", self.separator, None),
            ("S&top sequence:", self.stop, None),
            ("Token &limit:", self.token_limit, None),
            ("Cl&assification:", self.classification, self.classification_hint),
            ("Class &field:", self.class_field, None),
        ]
        for text, field, hint in fields:
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field if hint is None else _with_hint(field, hint))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch()
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        # Only widgets already in the dialog can be ordered.
        for before, after in pairwise(fields):
            self.setTabOrder(before[1], after[1])
        self.setTabOrder(self.class_field, self.buttons)

    def _show(self, settings: LintSettings) -> None:
        _select(self.model, settings.model or INFER)
        self.separator.setText(escape(settings.separator or ""))
        self.stop.setText(escape(settings.stop or ""))
        self.token_limit.setValue(settings.token_limit or 0)
        self.classification.setCurrentIndex(self.classification.findData(settings.classification))
        _select(self.class_field, settings.class_field or ANSWER)

    # --- reading what the user chose -------------------------------------------------------

    def settings(self) -> LintSettings:
        """The stored settings with the user's choices; row suppressions are not carried.

        Raises:
            ValueError: An entry is invalid (OK is disabled while one is).
        """
        values, problems = self._read()
        if problems:
            raise ValueError("\n".join(problems))
        return replace(self._stored, **values, suppressed={})

    def _read(self) -> tuple[dict[str, object], list[str]]:
        problems: list[str] = []
        values: dict[str, object] = {"model": self._model_name()}
        if self._model_info() is None:
            problems.append(f"Target model: {values['model']!r} is not a model TuneDeck knows.")
        for name, label, edit in (
            ("separator", "Separator", self.separator),
            ("stop", "Stop sequence", self.stop),
        ):
            try:
                values[name] = unescape(edit.text()) or None
            except UnicodeDecodeError as error:
                problems.append(f"{label}: {error.reason}; type \\\\ for a backslash.")
        values["token_limit"] = self.token_limit.value() or None
        values["classification"] = self.classification.currentData()
        values["class_field"] = field = _chosen(self.class_field, ANSWER)
        if field is not None and not _is_path(field):
            problems.append(
                f"Class field: {field!r} is not a field path; write it like label or meta.intent."
            )
        return values, problems

    def _model_name(self) -> str | None:
        return _chosen(self.model, INFER)

    def _model_info(self) -> ModelInfo | None:
        name = self._model_name()
        if name is None:
            return self._inferred.model
        try:
            return model_info(name)
        except UserError:
            return None

    # --- keeping the hints and the OK button current ---------------------------------------

    def _refresh(self) -> None:
        info = self._model_info()
        if info is None:
            self.model_hint.setText("Not in TuneDeck's table of models")
        elif self._model_name() is None:
            self.model_hint.setText(f"Inferred: {info.name} ({info.token_limit:,}-token limit)")
        else:
            self.model_hint.setText(f"{info.token_limit:,}-token limit, {info.encoding} encoding")
        limit = f" ({info.token_limit:,})" if info else ""
        self.token_limit.setSpecialValueText(f"Model's limit{limit}")
        self.classification_hint.setText(self._classification_hint())
        _, problems = self._read()
        self.error_label.setText("\n".join(problems))
        self.error_label.setVisible(bool(problems))
        # Grow rather than squeeze the form to make room for the message.
        self.resize(self.width(), max(self.height(), self.heightForWidth(self.width())))
        self.ok_button.setEnabled(not problems)

    def _classification_hint(self) -> str:
        chosen = self.classification.currentData()
        if chosen is None and _chosen(self.class_field, ANSWER):
            return "On, because a class field is named"
        if chosen is None:
            return f"Inferred: {'on' if self._inferred.classification else 'off'}"
        return "Class checks apply" if chosen else "Class checks are skipped"


def _hint() -> QLabel:
    label = QLabel(wordWrap=True)
    # The palette's placeholder colour reads as secondary text in light and dark themes alike.
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _with_hint(field: QWidget, hint: QLabel) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(hint)
    return box


def _select(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    if index < 0:
        combo.addItem(text)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def _chosen(combo: QComboBox, blank: str) -> str | None:
    text = combo.currentText().strip()
    return None if text in ("", blank) else text
