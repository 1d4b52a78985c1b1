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


def read_rest(session: CurationSession, bar: QProgressBar, table: QWidget) -> Worker:
    """A worker reading the rows `session` has not loaded, counting them on `bar`; it starts
    once `table` has painted. Its `finished` carries them for session.take_rest()."""
    total = session.total_rows
    loaded = len(session.dataset)
    bar.setRange(0, max(total, 1))
    bar.setValue(loaded)
    bar.setFormat("Loading rows: %v of %m")
    bar.show()

    def job(progress, cancel) -> object:
        def report(done: int) -> None:
            if cancel.is_set():  # the window is closing
                raise UserError("loading stopped: the window closed")
            progress(loaded + done, total)

        return session.read_rest(report)

    worker = Worker(job)
    worker.progressed.connect(lambda done, _total: bar.setValue(done))

    def start() -> None:
        if not worker.cancel.is_set():  # closed before it painted
            worker.start()

    after_next_paint(table, start)
    return worker


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
        self._call = call
        widget.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            # After the paint event returns: the call must not run inside the paint.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._call is None:  # the paint and the wait both came
            return
        call, self._call = self._call, None
        self._widget.removeEventFilter(self)
        self.deleteLater()
        call()
