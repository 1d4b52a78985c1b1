"""The curation table: one fixed-height line per example, sortable, selected by whole rows.

Fixed row height matters at 100,000 rows: with it, Qt lays out only the rows on screen;
without it (or with resizeRowsToContents) it measures every row.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from tunedeck.ui.models.dataset_table import DatasetTableModel
from tunedeck.ui.models.table_columns import Column
from tunedeck.ui.widgets.lint_delegate import LintDelegate

# Starting widths in average character widths; the last column takes what is left.
_WIDTHS = {
    Column.STATUS: 14,  # "unreviewed" and "needs work" whole
    Column.PROMPT: 50,
    Column.COMPLETION: 24,
    Column.SYSTEM: 30,
    Column.LAST_USER: 40,
    Column.FINAL_ASSISTANT: 40,
    Column.CLASS: 16,
}
_TOKENS_SAMPLE = "888888 / 888888"  # widest expected "tokens / limit"; digits outgrow averages
_ROW_PADDING = 6  # pixels above and below the text together


class DatasetView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(LintDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)  # it would select 100,000 rows on a stray click

        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        height = self.fontMetrics().height() + _ROW_PADDING
        rows.setMinimumSectionSize(height)
        rows.setDefaultSectionSize(height)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        columns = self.horizontalHeader()
        columns.setStretchLastSection(True)
        columns.setHighlightSections(False)
        columns.setSortIndicatorClearable(True)  # a third click goes back to file order
        columns.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        if isinstance(model, DatasetTableModel):
            self._size_columns(model)
            model.modelReset.connect(lambda: self._size_columns(model))

    def _size_columns(self, model: DatasetTableModel) -> None:
        metrics = self.fontMetrics()
        character = metrics.averageCharWidth()
        for number, column in enumerate(model.columns):
            if column is Column.TOKENS:
                self.setColumnWidth(number, metrics.horizontalAdvance(_TOKENS_SAMPLE) + 12)
            elif column in _WIDTHS:
                self.setColumnWidth(number, _WIDTHS[column] * character)
