"""Reading the rows a window opened without, behind the first ones on screen.

A window opens a large dataset with its first rows only (CurationSession's `first`) and
reads the rest in a worker. Both the worker and the lint that follows it run Python code,
and every cell the table paints needs the GIL back from them: a repaint beside a worker
took four times as long as alone, long enough to freeze the window. So each starts only once
the table has painted what the user is looking at.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QProgressBar, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession
from tunedeck.ui.workers import Worker


def read_rest(session: CurationSession, bar: QProgressBar) -> Worker:
    """A worker, not started yet, reading the rows `session` has not loaded and counting them
    on `bar`. Its `finished` carries them for session.take_rest()."""
    total = session.total_rows
    loaded = len(session.dataset)
    bar.setRange(0, max(total, 1))
    show_count(bar, "Loading rows:", loaded)
    bar.show()

    def job(progress, cancel) -> object:
        def report(done: int) -> None:
            if cancel.is_set():  # the window is closing
                raise UserError("loading stopped: the window closed")
            progress(loaded + done, total)

        return session.read_rest(report)

    worker = Worker(job)
    worker.progressed.connect(lambda done, _total: show_count(bar, "Loading rows:", done))
    return worker


def show_count(bar: QProgressBar, label: str, done: int) -> None:
    """`done` on `bar`, worded "label 2,000 of 100,000" (Qt's %v and %m have no separators)."""
    bar.setValue(done)
    bar.setFormat(f"{label} {done:,} of {bar.maximum():,}")


def after_next_paint(widget: QWidget, call: Callable[[], None]) -> None:
    """Call `call` once `widget` has next painted: at once, through the event loop, when it is
    not on screen to paint, and at the latest after PAINT_WAIT_MS (a widget on a tab the user
    switched away from, or in a minimised window, may not paint for a long while)."""
    if not widget.isVisible():
        QTimer.singleShot(0, widget, call)
        return
    _AfterPaint(widget, call)
    widget.update()  # in case nothing else asks for a paint


PAINT_WAIT_MS = 300  # a paint takes tens of milliseconds; no paint by then means none is coming


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, call: Callable[[], None]) -> None:
        super().__init__(widget)  # deleted with the widget: a closed window calls nothing
        self._widget = widget
        self._call: Callable[[], None] | None = call
        # One timer for both the wait and the turn of the event loop after a paint, so that
        # the call comes once whichever is first.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._timer.start(PAINT_WAIT_MS)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            # After the paint event returns: the call must not run inside the paint.
            self._widget.removeEventFilter(self)
            self._timer.start(0)
        return False

    def _fire(self) -> None:
        call, self._call = self._call, None
        if call is None:
            return
        self._widget.removeEventFilter(self)
        # Left to go with its widget, not deleteLater()'d: deleting it from its own timer's
        # slot crashed PySide now and then (4 runs in 40 of a test that hides the widget).
        call()
