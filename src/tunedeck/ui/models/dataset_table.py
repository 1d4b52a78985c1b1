"""The curation table: one row per example of a CurationSession, findings beside each cell.

data() is lookups only: each row's strings and per-cell findings are built once (row_cells)
when the row is first painted, and forgotten when the session says the row changed. Sorting
and filtering permute row ids (row_order) rather than going through a proxy model. Edits are
not applied here: setData() asks for them through `edit_requested`, the window turns the
request into an undoable command, and the session's signals bring the repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.lint.linter import Update
from tunedeck.core.session import CurationSession
from tunedeck.core.storage.records import Status
from tunedeck.ui import severity_style
from tunedeck.ui.models.row_cells import NO_REVIEW, RowCells, build_row_cells, content_text
from tunedeck.ui.models.row_order import RowOrder
from tunedeck.ui.models.sort_keys import sort_key
from tunedeck.ui.models.table_columns import TEXT_COLUMNS, Column, columns_for

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole
# PySide6 picks the argument-less overload of the layout signals unless told which one; the
# hint lets a header keep its state through a sort.
_PARENTS, _HINT = "QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint"
_CACHE_LIMIT = 5000  # rows of display strings kept; a screenful is ~50, a big jump refills
_SCATTERED_RUNS = 64  # more separate blocks of changed rows than this: one dataChanged
_STATUS_COLOURS = {
    Status.UNREVIEWED: QColor(110, 110, 110),
    Status.APPROVED: QColor(30, 130, 60),
    Status.REJECTED: QColor(185, 40, 40),
    Status.NEEDS_WORK: QColor(170, 110, 0),
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_BASE_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


# Named like Qt's own roles, which is how views and delegates spell them; also reachable as
# DatasetTableModel.RowIdRole and so on.
RowIdRole = Role.UserRole.value + 1  # int: the example's stable id
DiagnosticsRole = Role.UserRole.value + 2  # list[Diagnostic] of the cell
# The cell's worst Severity, or None. Qt hands it back as the plain string ("error"), which
# compares equal to the Severity member and looks it up in a Severity-keyed dict.
SeverityRole = Role.UserRole.value + 3


class DatasetTableModel(QAbstractTableModel):
    """Rows of `session.dataset` in view order.

    Signals:
        edit_requested(row_id, field_path, new_text): the user edited a text cell; nothing
            has changed yet. Push an undoable command that calls session.execute().
    """

    edit_requested = Signal(int, str, str)

    RowIdRole: ClassVar[int] = RowIdRole
    DiagnosticsRole: ClassVar[int] = DiagnosticsRole
    SeverityRole: ClassVar[int] = SeverityRole

    def __init__(self, session: CurationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._cells: dict[int, RowCells] = {}
        self._columns = self._choose_columns()
        self._order = RowOrder(session.dataset.ids(), session.dataset.position)
        self._predicate: Callable[[int], bool] | None = None
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._roles: dict[int, Callable[[int, int], Any]] = {
            Role.DisplayRole.value: self._display,
            Role.EditRole.value: self._edit_text,
            Role.ToolTipRole.value: self._tooltip,
            Role.BackgroundRole.value: self._background,
            Role.DecorationRole.value: self._decoration,
            Role.ForegroundRole.value: self._foreground,
            Role.TextAlignmentRole.value: self._alignment,
            self.RowIdRole: lambda row_id, _column: row_id,
            self.DiagnosticsRole: lambda row_id, column: list(self._row(row_id).findings[column]),
            self.SeverityRole: lambda row_id, column: self._row(row_id).worst[column],
        }
        self._connections: list[tuple[Any, Callable[..., None]]] = [
            (session.findings_changed, self._on_findings_changed),
            (session.reviewed, self._on_reviewed),
            (session.relinted, self._on_relinted),
            (session.dataset.row_added, self._on_row_added),
            (session.dataset.row_removed, self._on_row_removed),
            (session.dataset.rows_appended, self._on_rows_appended),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        # The session outlives the window's widgets: once Qt deletes this model (with its
        # parent), a signal reaching it would raise inside the session's emit.
        connections = self._connections  # not self: the slot must not touch a dying object
        self.destroyed.connect(lambda *_: _disconnect(connections))

    def _choose_columns(self) -> tuple[Column, ...]:
        return columns_for(self._session.dataset.format_counts())

    def detach(self) -> None:
        """Stop following the session (done by itself when Qt deletes the model)."""
        _disconnect(self._connections)

    # --- shape -----------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def column_number(self, column: Column) -> int:
        return self._columns.index(column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if role != Role.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        if not 0 <= section < len(self._order):
            return None
        line = self._session.dataset[self._order.id_at(section)].line
        return str(line) if line is not None else "new"  # the file's line: what messages cite

    def row_id(self, row: int) -> int:
        return self._order.id_at(row)

    def index_of(self, row_id: int, column: int = 0) -> QModelIndex:
        """The index showing `row_id` (invalid when it is filtered out)."""
        row = self._order.row_of(row_id)
        return QModelIndex() if row is None else self.index(row, column)

    # --- data ------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        handler = self._roles.get(role)
        if handler is None or not index.isValid():
            return None
        return handler(self._order.id_at(index.row()), index.column())

    def _row(self, row_id: int) -> RowCells:
        cells = self._cells.get(row_id)
        if cells is None:
            if len(self._cells) >= _CACHE_LIMIT:
                self._cells.clear()  # cheaper than an LRU's bookkeeping on every data() call
            cells = self._cells[row_id] = build_row_cells(self._session, row_id, self._columns)
        return cells

    def _display(self, row_id: int, column: int) -> str:
        return self._row(row_id).texts[column]

    def _edit_text(self, row_id: int, column: int) -> str | None:
        path = self._row(row_id).paths.get(self._columns[column])
        if path is None:
            return None
        return content_text(self._session.dataset[row_id], path)

    def _tooltip(self, row_id: int, column: int) -> str | None:
        found = self._row(row_id).findings[column]
        return "\n".join(_describe(d) for d in found) if found else None

    def _background(self, row_id: int, column: int) -> Any:
        worst = self._row(row_id).worst[column]
        return severity_style.tint(worst) if worst else None

    def _decoration(self, row_id: int, column: int) -> Any:
        worst = self._row(row_id).worst[column]
        return severity_style.icon(worst) if worst else None

    def _foreground(self, row_id: int, column: int) -> QColor | None:
        if self._columns[column] is not Column.STATUS:
            return None
        return _STATUS_COLOURS[self._session.reviews.get(row_id, NO_REVIEW).status]

    def _alignment(self, _row_id: int, column: int) -> Any:
        return _RIGHT if self._columns[column] is Column.TOKENS else None

    # --- editing ---------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._row(self._order.id_at(index.row())).editable[index.column()]:
            return _BASE_FLAGS | Qt.ItemFlag.ItemIsEditable
        return _BASE_FLAGS

    def setData(self, index: Index, value: Any, role: int = Role.EditRole) -> bool:  # noqa: N802
        """Ask for the edit (edit_requested); the data itself changes only through the session."""
        if role != Role.EditRole or not index.isValid() or not isinstance(value, str):
            return False
        row_id = self._order.id_at(index.row())
        current = self._edit_text(row_id, index.column())
        if current is None or current == value:
            return False
        path = self._row(row_id).paths[self._columns[index.column()]]
        self.edit_requested.emit(row_id, path, value)
        return True

    # --- sorting and filtering -------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorted_by = (column, order)
        self._rearrange(self._apply_sort, QAbstractItemModel.LayoutChangeHint.VerticalSortHint)

    def _apply_sort(self) -> None:
        self._order.sort(*self._sort_key())

    def _sort_key(self) -> tuple[Callable[[int], Any] | None, bool]:
        """The key and direction of the user's sort; (None, False) for file order."""
        column, order = self._sorted_by
        if not 0 <= column < len(self._columns):
            return None, False
        key = sort_key(self._session, self._columns[column], self._columns)
        return key, order == Qt.SortOrder.DescendingOrder

    def set_filter(self, predicate: Callable[[int], bool] | None) -> None:
        """Show only rows whose id passes `predicate` (None: all rows)."""
        self._predicate = predicate
        self._rearrange(
            lambda: self._order.set_filter(predicate),
            QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint,
        )

    def _rearrange(self, change: Callable[[], None], hint: Any) -> None:
        self.layoutAboutToBeChanged[_PARENTS, _HINT].emit([], hint)
        before = self.persistentIndexList()
        kept = [(self._order.id_at(index.row()), index.column()) for index in before]
        change()
        after = [self.index_of(row_id, column) for row_id, column in kept]
        self.changePersistentIndexList(before, after)
        self.layoutChanged[_PARENTS, _HINT].emit([], hint)

    def reload(self) -> None:
        """Forget every cached row and re-sort; call after a full lint pass (lint_all)."""
        self._cells.clear()
        self._rearrange(self._apply_sort, QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint)
        if len(self._order):
            last = self.index(len(self._order) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- following the session -------------------------------------------------------------

    def _on_findings_changed(self, update: Update) -> None:
        self._repaint(update.rows)

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        self._repaint(row_ids)

    def _repaint(self, row_ids: Iterable[int]) -> None:
        rows = []
        cells, row_of = self._cells, self._order.row_of
        for row_id in row_ids:
            cells.pop(row_id, None)
            row = row_of(row_id)
            if row is not None:
                rows.append(row)
        runs = list(_runs(sorted(rows)))
        if len(runs) > _SCATTERED_RUNS:
            # A split touches rows all over the table: one signal over their whole span
            # costs the view the same (it repaints only the rows it shows), while tens of
            # thousands of signals cost seconds.
            runs = [(runs[0][0], runs[-1][1])]
        last_column = len(self._columns) - 1
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def _on_row_added(self, row_id: int) -> None:
        natural = self._session.dataset.position(row_id)
        plan = self._order.plan_insert(row_id, natural)
        if plan.row is None:
            self._order.insert(row_id, natural, plan)
            return
        self.beginInsertRows(QModelIndex(), plan.row, plan.row)
        self._order.insert(row_id, natural, plan)
        self.endInsertRows()

    def _on_row_removed(self, example: Any) -> None:
        self._cells.pop(example.id, None)
        row = self._order.row_of(example.id)
        if row is None:
            self._order.remove(example.id)
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._order.remove(example.id)
        self.endRemoveRows()

    def _on_rows_appended(self, _row_ids: list[int]) -> None:
        # The rest of a dataset opened with its first rows: the columns may change with it (a
        # chat row among legacy ones).
        self._start_over(new_columns=True)

    def _on_relinted(self) -> None:
        # Every row may have changed, and so may the columns a sort or filter was about. The
        # columns stay: they follow the records' formats, which new settings don't change
        # (and counting them over 100,000 rows was half of this slot's time). (A new linter
        # has no findings until lint_all(); the window emits relinted again, or calls
        # reload(), when it has.)
        self._start_over(new_columns=False)

    def _start_over(self, *, new_columns: bool) -> None:
        """Rebuild the rows from the dataset, keeping the user's sort column and filter."""
        self.beginResetModel()
        if new_columns:
            self._columns = self._choose_columns()
        self._cells.clear()
        key, descending = self._sort_key()
        dataset = self._session.dataset
        self._order = RowOrder(
            dataset.ids(),
            dataset.position,
            key=key,
            descending=descending,
            predicate=self._predicate,
        )
        self.endResetModel()


def _disconnect(connections: list[tuple[Any, Callable[..., None]]]) -> None:
    for signal, slot in connections:
        signal.disconnect(slot)
    connections.clear()


def _describe(diagnostic: Diagnostic) -> str:
    symbol = severity_style.SYMBOLS[diagnostic.severity]
    text = f"{symbol} {diagnostic.message}  [{diagnostic.code} {diagnostic.rule}]"
    if diagnostic.fix is not None:
        text += f"\n    fix: {diagnostic.fix.description}"
    return text


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Consecutive runs of sorted rows, so a block of touched rows is one dataChanged."""
    start = previous = None
    for row in rows:
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None:
            yield start, previous
        start = previous = row
    if start is not None:
        yield start, previous


__all__ = [
    "TEXT_COLUMNS",
    "Column",
    "DatasetTableModel",
    "DiagnosticsRole",
    "RowIdRole",
    "SeverityRole",
]
