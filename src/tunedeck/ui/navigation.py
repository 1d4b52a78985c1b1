"""Walking the table by keyboard: the current row, the next one, the next that needs work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex

from tunedeck.core.lint import Severity
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Status
from tunedeck.ui.message_bar import MessageBar
from tunedeck.ui.models.dataset_table import DatasetTableModel, RowIdRole
from tunedeck.ui.widgets.dataset_view import DatasetView

_FIRST_TEXT_COLUMN = 1  # the status column is not where a reviewer reads


class RowNavigator:
    """Moves the table's current row; rows are visited in the order the table shows them."""

    def __init__(
        self,
        view: DatasetView,
        model: DatasetTableModel,
        session: CurationSession,
        messages: MessageBar,
    ) -> None:
        self._view = view
        self._model = model
        self._session = session
        self._messages = messages

    def current_row_id(self) -> int | None:
        index = self._view.currentIndex()
        return index.data(RowIdRole) if index.isValid() else None

    def selected_row_ids(self) -> list[int]:
        rows = self._view.selectionModel().selectedRows()
        ids = [index.data(RowIdRole) for index in rows]
        current = self.current_row_id()
        return ids or ([current] if current is not None else [])

    def move(self, step: int) -> None:
        current = self._view.currentIndex()
        row = (current.row() if current.isValid() else -1) + step
        if 0 <= row < self._model.rowCount():
            self.go(self._model.index(row, max(current.column(), _FIRST_TEXT_COLUMN)))

    def next_unreviewed(self) -> None:
        reviews = self._session.reviews
        self._find_next(lambda row_id: reviews[row_id].status == Status.UNREVIEWED)

    def next_with_errors(self) -> None:
        linter = self._session.linter
        self._find_next(
            lambda row_id: any(d.severity is Severity.ERROR for d in linter.diagnostics_for(row_id))
        )

    def select_row(self, row_id: int, _field: str = "") -> None:
        index = self._model.index_of(row_id, _FIRST_TEXT_COLUMN)
        if index.isValid():
            self.go(index)
        else:
            self._messages.info("That example is hidden by the current filter.")

    def go(self, index: QModelIndex) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self._view.selectionModel().setCurrentIndex(index, flags)
        self._view.scrollTo(index)

    def _find_next(self, wanted: Callable[[int], bool]) -> None:
        # Row ids straight from the model's order: no QModelIndex per row on a 100,000-row walk.
        model = self._model
        for row in range(self._view.currentIndex().row() + 1, model.rowCount()):
            if wanted(model.row_id(row)):
                self.go(model.index(row, _FIRST_TEXT_COLUMN))
                return
        self._messages.info("No more examples like that below this one.")
