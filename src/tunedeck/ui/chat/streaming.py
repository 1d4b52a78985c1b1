"""One answer streamed from a worker thread: its pieces as they arrive, and a Stop button.

Stopping takes effect at once for the user (the answer is marked stopped and nothing more
is shown), and the cancel token closes the stream at the next piece so the service stops
generating. The worker lives on (threads.keep) until its thread ends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from tunedeck.core.remote import CancelToken, ChatDelta, ChatReply
from tunedeck.ui import crash_dialog
from tunedeck.ui.chat import threads
from tunedeck.ui.workers import Worker

# call(on_delta, cancel) -> ChatReply, run in the worker thread
Call = Callable[[Callable[[ChatDelta], None], CancelToken], ChatReply]


class AnswerStream(QObject):
    """Signals (all in the GUI thread, none after `stop`):
    delta(str): the next piece of the answer.
    finished(ChatReply): the whole answer.
    failed(str): why there is no answer (a UserError's message).
    stopped(): the user stopped it; emitted by `stop` itself.
    """

    delta = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    stopped = Signal()

    def __init__(self, call: Call, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call = call
        self._token = CancelToken()
        self._over = False
        self.text = ""  # what has arrived so far
        worker = self._worker = Worker(self._job)
        worker.posted.connect(self._on_posted)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.crashed.connect(self._on_crashed)

    def start(self) -> None:
        threads.keep(self._worker).start()

    def stop(self) -> None:
        """Stop showing the answer now, and the service at its next piece."""
        if self._over:
            return
        self._over = True
        self._token.cancel()
        self.stopped.emit()

    @property
    def running(self) -> bool:
        return not self._over

    def wait(self, ms: int = 30000) -> bool:
        """Block until the worker thread has ended (tests, and closing the window)."""
        return self._worker.wait(ms)

    def _job(self, _progress, _cancel) -> ChatReply:
        return self._call(lambda piece: self._worker.post(piece.text), self._token)

    def _on_posted(self, piece: str) -> None:
        if not self._over:
            self.text += piece
            self.delta.emit(piece)

    def _release(self) -> None:
        threads.release(self._worker)

    def _on_finished(self, reply: ChatReply) -> None:
        self._release()
        if not self._over:
            self._over = True
            self.finished.emit(reply)

    def _on_failed(self, message: str) -> None:
        self._release()
        if not self._over:
            self._over = True
            self.failed.emit(message)

    def _on_crashed(self, error: BaseException) -> None:
        self._release()
        if not self._over:
            self._over = True
            self.failed.emit(f"Asking the model failed unexpectedly: {type(error).__name__}.")
        crash_dialog.report_error(error)
