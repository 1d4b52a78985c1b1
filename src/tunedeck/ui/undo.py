"""Undo and redo for every change the window makes, each one stored as it happens.

A change is carried out (and stored) before it is pushed, so a change the project refuses
never reaches the stack; the first redo() that QUndoStack.push() calls is then a no-op.
Should a later undo or redo be refused (someone else changed the example meanwhile), the
message goes to the user and the command is dropped from the stack, not half-applied.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from tunedeck.core.dataset.commands import Command, DeleteRows
from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession

Report = Callable[[UserError], None]


class _StoredChange(QUndoCommand):
    """Subclasses do the change in `_do` and take it back in `_undo`."""

    def __init__(self, text: str, report: Report) -> None:
        super().__init__(text)
        self._report = report
        self._done = False

    def apply(self) -> bool:
        """Do it for the first time; False (and the user told) when the project refused."""
        try:
            self._do()
        except UserError as error:
            self._report(error)
            return False
        self._done = True
        return True

    def redo(self) -> None:
        if self._done:  # the push right after apply()
            self._done = False
            return
        self._guarded(self._do)

    def undo(self) -> None:
        self._guarded(self._undo)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except UserError as error:
            self._report(error)
            self.setObsolete(True)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class RecordChange(_StoredChange):
    """An edit of records: typing, a fix, a batch of fixes, a deletion, a paste."""

    def __init__(
        self, session: CurationSession, command: Command, text: str, report: Report
    ) -> None:
        super().__init__(text, report)
        self._session = session
        self._forward = command
        self._backward: Command | None = None

    def _do(self) -> None:
        self._backward = self._session.execute(self._forward)

    def _undo(self) -> None:
        assert self._backward is not None
        self._forward = self._session.execute(self._backward)


class ReviewChange(_StoredChange):
    """A review decision: status, notes, split, label, rules ignored for the row."""

    def __init__(
        self,
        session: CurationSession,
        row_id: int,
        changes: dict[str, Any],
        text: str,
        report: Report,
    ) -> None:
        super().__init__(text, report)
        self._session = session
        self._row_id = row_id
        self._changes = changes
        self._previous: dict[str, Any] = {}

    def _do(self) -> None:
        self._previous = self._session.review(self._row_id, **self._changes)

    def _undo(self) -> None:
        self._session.review(self._row_id, **self._previous)


class LineChange(_StoredChange):
    """Replacing an example's whole line of JSON (repairing a quarantined line)."""

    def __init__(self, session: CurationSession, row_id: int, text: str, report: Report) -> None:
        super().__init__("Repair line", report)
        self._session = session
        self._row_id = row_id
        self._text = text
        self._previous = ""

    def _do(self) -> None:
        self._previous = self._session.replace_line(self._row_id, self._text)

    def _undo(self) -> None:
        self._session.replace_line(self._row_id, self._previous)


class AddExample(_StoredChange):
    """A new example; undo removes it (kept in the project's history), redo brings it back."""

    def __init__(
        self,
        session: CurationSession,
        record: dict[str, Any],
        after: int | None,
        report: Report,
        text: str = "Add example",
    ) -> None:
        super().__init__(text, report)
        self._session = session
        self._record = record
        self._after = after
        self.row_id: int | None = None
        self._restore: Command | None = None

    def _do(self) -> None:
        if self.row_id is None:
            self.row_id = self._session.add(self._record, after=self._after)
        else:
            assert self._restore is not None
            self._session.execute(self._restore)

    def _undo(self) -> None:
        assert self.row_id is not None
        self._restore = self._session.execute(DeleteRows((self.row_id,), "Remove example"))
