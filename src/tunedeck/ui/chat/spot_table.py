"""Expected and actual answers side by side, one row per example, one pair of columns per
model: the answer (tinted right or wrong when the answers are classes) and its rating."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from tunedeck.core.chat import Outcome, SpotCheck
from tunedeck.ui.chat.model_catalog import short_name
from tunedeck.ui.text_display import display_line

RIGHT, WRONG, FAILED_TEXT = QColor("#e3f1e4"), QColor("#fbe3e1"), QColor("#a4262c")
_FIXED = ("Example", "Question", "Expected")
_RATINGS = {"good": "✓ good", "bad": "✗ bad"}


class ResultsTable(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.check: SpotCheck | None = None
        self._classes = False
        self._rows: dict[int, int] = {}  # example id -> table row
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)

    def show_check(self, check: SpotCheck | None, classes: bool) -> None:
        """Show every item of `check`; `classes`: tint answers by whether they match."""
        self.check, self._classes = check, classes
        self.clear()
        models = check.models if check is not None else []
        headers = list(_FIXED)
        for model in models:
            headers += [short_name(model), "Rating"]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        for column, model in enumerate(models):
            self.horizontalHeaderItem(3 + 2 * column).setToolTip(f"What {model} answered")
        items = check.items if check is not None else []
        self.setRowCount(len(items))
        self._rows = {}
        for row, item in enumerate(items):
            self._rows[item.row_id] = row
            self._set(row, 0, str(item.row_id), align=Qt.AlignmentFlag.AlignRight)
            self._set(row, 1, display_line(item.question, 200), tip=item.question)
            self._set(row, 2, item.expected, tip=item.expected)
            for model in models:
                self.update_outcome(item.row_id, model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.setColumnWidth(0, 70)
        self.setColumnWidth(1, 280)
        self.setColumnWidth(2, 150)
        for column in range(len(models)):
            self.setColumnWidth(3 + 2 * column, 220)
            self.setColumnWidth(4 + 2 * column, 90)

    def update_outcome(self, row_id: int, model: str) -> None:
        if self.check is None or row_id not in self._rows:
            return
        row, column = self._rows[row_id], 3 + 2 * self.check.models.index(model)
        outcome = self.check.outcome(row_id, model)
        expected = self.item(row, 2).text()
        answer = self._set(row, column, *_answer_text(outcome))
        if outcome.failed:
            answer.setForeground(QBrush(FAILED_TEXT))
        elif outcome.answered and self._classes:
            right = (outcome.answer or "").strip() == expected.strip()
            answer.setBackground(QBrush(RIGHT if right else WRONG))
        rating = _RATINGS.get(outcome.rating or "", "")
        self._set(row, column + 1, rating, tip=outcome.note or None)

    def current_target(self) -> tuple[int, str] | None:
        """The example and model of the current cell (model A left of the answers)."""
        if self.check is None or self.currentRow() < 0 or not self.check.models:
            return None
        column = self.currentColumn()
        index = (column - 3) // 2 if column >= 3 else 0
        model = self.check.models[min(index, len(self.check.models) - 1)]
        return self.check.items[self.currentRow()].row_id, model

    def select(self, row_id: int, model: str) -> None:
        if self.check is not None and row_id in self._rows:
            self.setCurrentCell(self._rows[row_id], 3 + 2 * self.check.models.index(model))

    def cell_text(self, row_id: int, column: int) -> str:
        """The text shown for an example (tests, screenshots)."""
        item = self.item(self._rows[row_id], column)
        return item.text() if item is not None else ""

    def _set(self, row: int, column: int, text: str, tip: str | None = None, align=None):
        item = QTableWidgetItem(text)
        if tip:
            item.setToolTip(tip)
        if align is not None:
            item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.setItem(row, column, item)
        return item


def _answer_text(outcome: Outcome) -> tuple[str, str | None]:
    if outcome.failed:
        return f"⚠ failed: {outcome.error}", f"{outcome.error}\nRetry failed asks it again."
    if not outcome.answered:
        return "…", "Not asked yet"
    return display_line(outcome.answer or "", 200), outcome.answer
