"""How well each model classified: accuracy, precision and recall per class, and a
confusion matrix drawn as a heat-map (rows: the expected class, columns: the answer)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.chat import Evaluation, SpotCheck, evaluate
from tunedeck.ui.chat.model_catalog import short_name

_RIGHT, _WRONG = QColor(46, 125, 50), QColor(198, 40, 40)


class ConfusionMatrix(QTableWidget):
    """Counts of (expected, answered); the darker a cell, the more examples in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setMinimumSectionSize(56)
        self.setToolTip("Rows: the expected class. Columns: what the model answered.")

    def show_evaluation(self, result: Evaluation) -> None:
        expected = [score.label for score in result.scores]  # OTHER is never expected
        self.setRowCount(len(expected))
        self.setColumnCount(len(result.labels))
        self.setVerticalHeaderLabels([f"{label} →" for label in expected])
        self.setHorizontalHeaderLabels(list(result.labels))
        most = max(result.confusion.values(), default=1)
        for row, truth in enumerate(expected):
            for column, answered in enumerate(result.labels):
                count = result.cell(truth, answered)
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if count:
                    base = _RIGHT if truth == answered else _WRONG
                    strength = 40 + int(200 * count / most)
                    item.setBackground(
                        QBrush(QColor(base.red(), base.green(), base.blue(), strength))
                    )
                    if strength > 150:
                        item.setForeground(QBrush(QColor("white")))
                item.setToolTip(f"expected {truth}, answered {answered}: {count}")
                self.setItem(row, column, item)

    def count(self, expected: str, answered: str) -> int:
        """The number shown in a cell (tests)."""
        rows = [
            self.verticalHeaderItem(r).text().removesuffix(" →") for r in range(self.rowCount())
        ]
        columns = [self.horizontalHeaderItem(c).text() for c in range(self.columnCount())]
        item = self.item(rows.index(expected), columns.index(answered))
        return int(item.text() or 0)


class ModelMetrics(QGroupBox):
    """One model's scores: a summary line, then the per-class table beside the matrix."""

    def __init__(self, model: str, parent: QWidget | None = None) -> None:
        super().__init__(short_name(model), parent)
        self.setToolTip(model)
        self.model = model
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.scores = QTableWidget(0, 4)
        self.scores.setHorizontalHeaderLabels(["Class", "Precision", "Recall", "Examples"])
        self.scores.verticalHeader().setVisible(False)
        self.scores.verticalHeader().setDefaultSectionSize(22)
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix = ConfusionMatrix()
        top_left = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        matrix = QVBoxLayout()
        matrix.addWidget(QLabel("Confusion matrix: rows expected, columns answered"))
        matrix.addWidget(self.matrix, 0, top_left)
        matrix.addStretch(1)
        scores = QVBoxLayout()
        scores.addWidget(QLabel("Per class"))
        scores.addWidget(self.scores, 0, top_left)
        scores.addStretch(1)
        tables = QHBoxLayout()
        tables.addLayout(scores)
        tables.addSpacing(24)
        tables.addLayout(matrix)
        tables.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addLayout(tables)
        self.result: Evaluation | None = None

    def show_check(self, check: SpotCheck) -> None:
        classes = {item.expected for item in check.items}
        result = self.result = evaluate(check.pairs(self.model), classes)
        failed = len(check.failed(self.model))
        unasked = len(check.items) - result.total - failed
        accuracy = f"<b>Accuracy {_percent(result.accuracy)}</b>"
        parts = [f"{accuracy} ({result.correct} of {result.total})"]
        if failed:
            parts.append(f"<span style='color:#a4262c'>{failed} failed</span>")
        if unasked:
            parts.append(f"{unasked} not asked")
        self.summary.setText(" · ".join(parts))
        self.scores.setRowCount(len(result.scores))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, score in enumerate(result.scores):
            cells = [score.label, _percent(score.precision), _percent(score.recall), score.support]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(right)
                self.scores.setItem(row, column, item)
        self.matrix.show_evaluation(result)
        fit(self.scores)
        fit(self.matrix)


class MetricsView(QScrollArea):
    """One ModelMetrics per model of a classification spot-check, one above the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.models: dict[str, ModelMetrics] = {}
        inside = QWidget()
        self._column = QVBoxLayout(inside)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addStretch(1)
        self.setWidget(inside)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

    def show_check(self, check: SpotCheck | None) -> None:
        if check is None or list(self.models) != check.models:
            for box in self.models.values():
                box.setParent(None)
                box.deleteLater()
            self.models = {}
            for model in check.models if check is not None else []:
                box = self.models[model] = ModelMetrics(model)
                self._column.insertWidget(self._column.count() - 1, box)
        for box in self.models.values():
            box.show_check(check)


def fit(table: QTableWidget) -> None:
    """Size a small table to its cells, so that the view scrolls rather than each table."""
    table.resizeColumnsToContents()
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    width = table.verticalHeader().width() * table.verticalHeader().isVisible()
    width += sum(table.columnWidth(c) for c in range(table.columnCount()))
    height = table.horizontalHeader().height()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    frame = 2 * table.frameWidth()
    table.setFixedSize(width + frame, height + frame)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"
