"""Network calls off the GUI thread, kept alive until their thread ends, stopped on close.

Every provider call in the launch tab runs in a `Worker`. A worker must outlive its thread,
and its results must not reach widgets that were closed meanwhile; `Tasks` holds the
workers, drops results that arrive after `close()`, and waits for running threads so none
is destroyed while it runs.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from tunedeck.ui.workers import Worker

Handler = Callable[..., Any]
Post = Callable[[Any], None]
TaskJob = Callable[[Post, threading.Event], Any]
"""A task: called in the worker thread with `post(value)` (delivered to the `posted`
handler in the GUI thread, in order) and the cancel flag."""


class Tasks(QObject):
    """The running workers of one widget."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[Worker] = set()
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        job: TaskJob,
        *,
        finished: Handler | None = None,
        failed: Handler | None = None,
        posted: Handler | None = None,
    ) -> Worker | None:
        """Start `job(post, cancel)` in a worker; the handlers run in the GUI thread.

        After `close()` nothing starts (None is returned): the owner is going away.
        """
        if self._closed:
            return None
        worker = Worker(lambda _progress, cancel: job(worker.post, cancel))
        self._running.add(worker)

        def end(handler: Handler | None) -> Handler:
            def ended(*args: Any) -> None:
                self._release(worker)
                if handler is not None and not self._closed:
                    handler(*args)

            return ended

        worker.finished.connect(end(finished))
        worker.failed.connect(end(failed))
        worker.crashed.connect(end(_crash_handler(failed)))
        if posted is not None:
            worker.posted.connect(lambda value: None if self._closed else posted(value))
        worker.start()
        return worker

    def close(self, ms: int = 15000) -> None:
        """Ask every job to stop, wait for the threads, and drop what they still send."""
        self._closed = True
        for worker in list(self._running):
            worker.cancel.set()
        for worker in list(self._running):
            if worker.wait(ms):  # ended: what it still sends is dropped with it
                self._running.discard(worker)

    def wait(self, ms: int = 15000) -> None:
        """Block until every running job has ended (tests)."""
        for worker in list(self._running):
            worker.wait(ms)

    def _release(self, worker: Worker) -> None:
        # The job has returned and its thread is quitting; forgotten before it has, the
        # worker would be destroyed with a running thread.
        worker.wait(5000)
        self._running.discard(worker)


def _crash_handler(failed: Handler | None) -> Handler:
    def crashed(error: BaseException) -> None:
        if failed is not None:  # the widget leaves its busy state either way
            failed(f"That did not work: TuneDeck hit a bug ({type(error).__name__}).")
        # A bug, not a user's mistake: the application's excepthook shows the crash dialog
        # (and under pytest-qt, fails the test).
        sys.excepthook(type(error), error, error.__traceback__)

    return crashed
