"""Long core calls (import, the first full lint) off the GUI thread, with progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from tunedeck.core.errors import UserError

Job = Callable[[Callable[[int, int], None], threading.Event], Any]


class _Runner(QObject):
    """Lives in the worker thread and runs the job there."""

    progressed = Signal(int, int)
    posted = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    crashed = Signal(object)

    def __init__(self, job: Job, cancel: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progressed.emit, self._cancel)
        except UserError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug: shown by the crash handler, never swallowed
            self.crashed.emit(error)
        else:
            self.finished.emit(result)
        finally:
            self.thread().quit()


class Worker(QObject):
    """Runs `job(progress, cancel)` in its own thread.

    The job calls `progress(done, total)` as it goes and checks `cancel.is_set()`. This
    object stays in the thread that made it (the GUI thread), and its signals are re-emitted
    there: progressed(done, total), posted(value) for whatever the job hands to `post` (the
    pieces of a streamed answer, a job's new state), finished(result), failed(message), and
    crashed(error) for a bug (not a UserError). So any slot, a plain function or lambda
    included, runs in the GUI thread; a lambda connected straight to a signal emitted in the
    worker thread would run in the worker thread and touch widgets from there.
    """

    progressed = Signal(int, int)
    posted = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    crashed = Signal(object)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("tunedeck-worker")
        self._runner = _Runner(job, self.cancel)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # Signal to signal: queued, since this object lives in the GUI thread.
        self._runner.progressed.connect(self.progressed)
        self._runner.posted.connect(self.posted)
        self._runner.finished.connect(self.finished)
        self._runner.failed.connect(self.failed)
        self._runner.crashed.connect(self.crashed)

    def start(self) -> None:
        self._thread.start()

    def post(self, value: Any) -> None:
        """Call from inside the job: `posted(value)` is emitted in the GUI thread, in order."""
        self._runner.posted.emit(value)

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)
