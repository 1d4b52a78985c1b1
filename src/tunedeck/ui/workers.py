"""Long core calls (import, the first full lint) off the GUI thread, with progress."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from tunedeck.core.errors import UserError


class Worker(QObject):
    """Runs `job(progress, cancel)` in its own thread.

    The job calls `progress(done, total)` as it goes and checks `cancel.is_set()`. Signals
    arrive in the GUI thread: progressed(done, total), finished(result), failed(message).
    A bug (not a UserError) is re-raised in the GUI thread through `crashed`.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    crashed = Signal(object)

    def __init__(self, job: Callable[[Callable[[int, int], None], threading.Event], Any]) -> None:
        super().__init__()
        self._job = job
        self.cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("tunedeck-worker")
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int = 30000) -> bool:
        return self._thread.wait(ms)

    def _run(self) -> None:
        try:
            result = self._job(self.progressed.emit, self.cancel)
        except UserError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug: shown by the crash handler, never swallowed
            self.crashed.emit(error)
        else:
            self.finished.emit(result)
        finally:
            self._thread.quit()
