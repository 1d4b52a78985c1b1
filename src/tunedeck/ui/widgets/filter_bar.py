"""Narrowing the table: by review status, rule, severity, class, split, free text, and a set
of rows another panel picked (the examples leaking across the split)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from tunedeck.core.lint import Severity
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.lint.registry import BY_NAME
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Split, Status
from tunedeck.ui.finding_rows import FindingRows
from tunedeck.ui.search_text import SearchText

SEARCH_PAUSE_MS = 200
WARM_ROWS = 500  # search texts built per turn of the event loop: about 5 ms

ANY = ""
Predicate = Callable[[int], bool]


class FilterBar(QWidget):
    """Emits `changed(predicate or None)` whenever the user changes a criterion."""

    changed = Signal(object)

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.status = _combo("Any status", [(s.value, s.value) for s in Status])
        self.severity = _combo(
            "Any finding",
            [
                ("error", "errors"),
                ("warning", "warnings"),
                ("any", "with findings"),
                ("none", "without findings"),
            ],
        )
        self.rule = _combo("Any rule", [(name, name) for name in BY_NAME])
        self.label = _combo("Any class", [])
        self.split = _combo("Any split", [(s.value, s.value) for s in Split])
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search all fields (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.regex = QCheckBox("Regex")
        self._rows: frozenset[int] | None = None
        self.rows_button = QToolButton()  # shows the picked rows' filter; a click drops it
        self.rows_button.setToolTip("Show all rows again")
        self.rows_button.clicked.connect(lambda: self.only_rows(None))
        self.rows_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status, self.severity, self.rule, self.label, self.split):
            layout.addWidget(widget)
            widget.currentIndexChanged.connect(self._emit)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.regex)
        layout.addWidget(self.rows_button)
        # Filter once the typing pauses, not on every key: each pass visits every row.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(SEARCH_PAUSE_MS)
        self._typing.timeout.connect(self._emit)
        self.search.textChanged.connect(self._on_search_edited)
        self.regex.toggled.connect(self._emit)
        self._search_text = SearchText(session)
        self._finding_rows = FindingRows(session)
        session.relinted.connect(self._on_relinted)  # held weakly: nothing to disconnect
        # Build the search texts while the reviewer is about to type, a few hundred rows per
        # turn of the event loop, so that the first key does not wait a second for them.
        self._warming = QTimer(self)
        self._warming.setInterval(0)
        self._warming.timeout.connect(self._warm_some)
        self.search.installEventFilter(self)
        self.refresh_classes()

    def refresh_classes(self) -> None:
        """Offer the classes the linter has counted (after a full lint or new settings)."""
        current = self.label.currentData()
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem("Any class", ANY)
        for name, _count in sorted(self._session.linter.tally.labels.items()):
            self.label.addItem(name, name)
        index = self.label.findData(current)
        self.label.setCurrentIndex(max(index, 0))
        self.label.blockSignals(False)

    def show_class(self, label: str, split: Split | None = None) -> None:
        """Narrow the table to one class, and to one split when given (any split when None);
        one `changed` for both."""
        if self.label.findData(label) < 0:
            self.refresh_classes()
        wanted_split = ANY if split is None else split.value
        for combo, value in ((self.label, label), (self.split, wanted_split)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self._emit()

    def clear(self) -> None:
        """Drop every criterion: the table shows all rows."""
        for combo in (self.status, self.severity, self.rule, self.label, self.split):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for widget in (self.search, self.regex):
            widget.blockSignals(True)
        self.search.clear()
        self.regex.setChecked(False)
        for widget in (self.search, self.regex):
            widget.blockSignals(False)
        self.only_rows(None)  # emits `changed` once for all

    def only_rows(self, row_ids: Collection[int] | None, description: str = "") -> None:
        """Show only `row_ids` (with the other criteria), None: drop this filter. The
        description names them on the button that drops it ("7 leaking examples")."""
        self._rows = None if row_ids is None else frozenset(row_ids)
        self.rows_button.setText(f"Only {description or 'picked rows'}  ✕")
        self.rows_button.setVisible(self._rows is not None)
        self._emit()

    def predicate(self) -> Predicate | None:
        tests = [
            test
            for test in (
                self._text_test(),  # answered from the set of rows found: cheapest, so first
                self._rows_test(),
                self._status_test(),
                self._finding_test(),
                self._label_test(),
                self._split_test(),
            )
            if test is not None
        ]
        if not tests:
            return None
        # Chained rather than all(... for test in tests): the table calls this for every row
        # of 100,000, and a generator per call costs more than the tests themselves.
        return functools.reduce(_both, tests)

    def _on_search_edited(self, text: str) -> None:
        if text:
            self._typing.start()
        else:  # cleared: show every row at once
            self._typing.stop()
            self._emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.search:
            if event.type() == QEvent.Type.FocusIn:
                self._warming.start()
            elif event.type() == QEvent.Type.FocusOut and not self.search.text():
                self._warming.stop()
                self._search_text.clear()  # left without searching: free the texts
        return super().eventFilter(watched, event)

    @property
    def warming(self) -> bool:
        """Whether the search texts are still being built (the search box has the focus)."""
        return self._warming.isActive()

    def _warm_some(self) -> None:
        if not self._search_text.warm(WARM_ROWS):
            self._warming.stop()

    def _on_relinted(self) -> None:
        # New settings or the end of a pass: every row's findings may differ from the list
        # the finding filter was worked out from.
        if self._finding_rows.active:
            self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.predicate())

    def _rows_test(self) -> Predicate | None:
        return None if self._rows is None else self._rows.__contains__

    def _status_test(self) -> Predicate | None:
        wanted = self.status.currentData()
        if wanted == ANY:
            return None
        reviews = self._session.reviews
        return lambda row_id: reviews[row_id].status == wanted

    def _split_test(self) -> Predicate | None:
        wanted = self.split.currentData()
        if wanted == ANY:
            return None
        reviews = self._session.reviews
        return lambda row_id: reviews[row_id].split == wanted

    def _label_test(self) -> Predicate | None:
        wanted = self.label.currentData()
        if wanted == ANY:
            return None
        linter = self._session.linter

        def has_label(row_id: int) -> bool:
            try:
                return linter.facts(row_id).label == wanted
            except KeyError:
                return False

        return has_label

    def _finding_test(self) -> Predicate | None:
        severity, rule = self.severity.currentData(), self.rule.currentData()
        if severity == ANY and rule == ANY:
            self._finding_rows.clear()
            return None

        def wanted(found: list[Diagnostic]) -> bool:
            if rule != ANY:
                found = [d for d in found if d.rule == rule]
            if severity == "none":
                return not found
            if severity in (Severity.ERROR, Severity.WARNING):
                return any(d.severity == severity for d in found)
            return bool(found)

        return self._finding_rows.finder(wanted)

    def _text_test(self) -> Predicate | None:
        text = self.search.text()
        if not text:
            if not self.search.hasFocus():  # else warming up for the first key
                self._search_text.clear()  # no search: no cache held
            return None
        if self.regex.isChecked():
            try:
                pattern = re.compile(text, re.IGNORECASE)
            except re.error:
                self.search.setToolTip("Not a valid regular expression")
                return lambda _row_id: False
            self.search.setToolTip("")
            search = pattern.search
        else:
            needle = text.casefold()

            def search(haystack: str) -> bool:
                return needle in haystack

        return self._search_text.finder(search)


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda row_id: first(row_id) and second(row_id)


def _combo(anything: str, choices: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(anything, ANY)
    for data, text in choices:
        combo.addItem(text, data)
    return combo
