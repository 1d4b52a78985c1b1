"""The window's passes over every row, each in a worker with a progress bar: reading the rows
a large dataset opened without, then linting them all (again after new settings)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractItemView, QProgressBar, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession
from tunedeck.ui import crash_dialog
from tunedeck.ui.rest_of_rows import after_next_paint, read_rest, show_count
from tunedeck.ui.workers import Worker


class RowPasses(QObject):
    """Runs one pass at a time and keeps the table read-only while a pass changes its rows."""

    rows_in = Signal()  # the rows read later are in the table, and about to be linted
    linted = Signal()  # a full lint ended; the session has announced its findings
    failed = Signal(str)  # what went wrong, for the message bar

    def __init__(
        self, session: CurationSession, table: QAbstractItemView, filters: QWidget, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._table = table
        self._filters = filters
        self.bar = QProgressBar()  # for the status bar; shown while a pass runs
        self.bar.setMaximumWidth(220)
        self.bar.hide()
        self.worker: Worker | None = None  # the pass running or last run
        self._reading: Worker | None = None
        self._pending: Worker | None = None  # made, to start once the table has painted
        self._stopped = False

    def start_lint(self) -> Worker:
        """Lint every row in a worker; the table fills in its findings when done.

        A session opened with its first rows only reads the rest first: the window shows
        those rows meanwhile, and lints once every row is in.
        """
        if self.worker is not None and (self.worker.running or self.worker is self._pending):
            # One pass at a time; and dropping a running worker would destroy its thread.
            return self.worker
        if not self._session.complete:
            return self._reading or self._start_reading()
        self.bar.setRange(0, max(len(self._session.dataset), 1))
        show_count(self.bar, "Linting", 0)
        self.bar.show()
        self._table.setEnabled(False)
        worker = Worker(self._lint_job)
        worker.progressed.connect(lambda done, _total: show_count(self.bar, "Linting", done))
        worker.finished.connect(self.finish_lint)
        worker.failed.connect(self._on_lint_failed)
        worker.crashed.connect(self._on_lint_crashed)
        self.worker = worker
        self._start_after_paint(worker)
        return worker

    def _start_after_paint(self, worker: Worker) -> None:
        # Once the table has repainted (greyed out, or with its first rows): that paint
        # beside a running worker took four times as long, and held the window for 60-80 ms
        # at 100,000 rows (see rest_of_rows).
        self._pending = worker
        after_next_paint(self._table.viewport(), self._start_pending)

    def _start_pending(self) -> None:
        worker, self._pending = self._pending, None
        if worker is not None and not self._stopped:
            worker.start()

    def stop(self) -> None:
        """Cancel the running pass and wait for its thread; start no other (the window is
        closing, and news of a pass that ended meanwhile may still be on its way)."""
        self._stopped = True
        if self.worker is not None:
            self.worker.cancel.set()
            self.worker.wait()

    # --- reading the rest ------------------------------------------------------------------

    def _start_reading(self) -> Worker:
        # Read-only until every row is in: a search, a sort or a new row would each have to
        # be redone for the rows still arriving.
        self._table.setEnabled(False)
        self._filters.setEnabled(False)
        worker = read_rest(self._session, self.bar)
        worker.finished.connect(self._on_rows_read)
        worker.failed.connect(self._on_read_failed)
        worker.crashed.connect(self._on_read_crashed)
        self.worker = self._reading = worker
        self._start_after_paint(worker)
        return worker

    def _on_rows_read(self, rest) -> None:
        self._reading = None
        if self._stopped:
            return
        self._session.take_rest(rest)
        # Laid out now, not in a later turn: the row numbers' header widens with the rows,
        # and a layout after the paint below would paint the table all over again.
        self._table.doItemsLayout()
        self._filters.setEnabled(True)
        # The lint once the table has repainted with them (see rest_of_rows).
        after_next_paint(self._table.viewport(), self._lint_read_rows)

    def _lint_read_rows(self) -> None:
        if self._stopped:
            return
        self.rows_in.emit()
        self.start_lint()

    def _on_read_failed(self, message: str) -> None:
        self._reading = None
        shown = len(self._session.dataset)
        self._on_lint_failed(
            f"{message} Only the first {shown:,} examples are shown; open the project again "
            "to see them all."
        )

    def _on_read_crashed(self, error: BaseException) -> None:
        self._on_read_failed("Reading the examples failed.")
        crash_dialog.report_error(error)

    # --- linting ---------------------------------------------------------------------------

    def _lint_job(self, progress, cancel) -> None:
        def report(done: int, total: int) -> None:
            if cancel.is_set():  # the window is closing; what was linted is thrown away
                raise UserError("linting stopped: the window closed")
            progress(done, total)

        self._session.lint_all(report)
        # Gathered here, off the GUI thread; the Problems panel's reload then finds them kept.
        self._session.linter.diagnostics()

    def finish_lint(self, _result: object = None) -> None:
        """What the end of a full lint does (also for a session linted before the window)."""
        self.bar.hide()
        self._table.setEnabled(True)
        self._session.relinted.emit()
        self.linted.emit()

    def _on_lint_failed(self, message: str) -> None:
        self.bar.hide()
        self._table.setEnabled(True)
        self.failed.emit(message)

    def _on_lint_crashed(self, error: BaseException) -> None:
        self._on_lint_failed("Checking the examples failed; the findings shown are incomplete.")
        crash_dialog.report_error(error)
