"""A spot-check run off the GUI thread, each result stored in the project as it arrives.

The SpotCheck asks one item at a time in a worker thread; after each, the worker posts
which item it was, and the GUI thread stores that result (the store is written from the
GUI thread only) and redraws its row. Cancel stops between items and closes the answer
being streamed, which is then marked failed and is retried with the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from tunedeck.core.chat import CheckItem, SpotCheck
from tunedeck.core.chat.runs import result_of
from tunedeck.core.chat.spot_check import Ask
from tunedeck.core.errors import UserError
from tunedeck.core.remote import CancelToken, Provider
from tunedeck.core.storage.chat_store import ChatStore
from tunedeck.ui import crash_dialog
from tunedeck.ui.chat import threads
from tunedeck.ui.workers import Worker

# make_ask(provider, cancel) -> the Ask for this run
MakeAsk = Callable[[Provider, CancelToken], Ask]


class LateAsk:
    """The `ask` a SpotCheck is built with; each run points it at that run's provider."""

    def __init__(self) -> None:
        self.current: Ask | None = None
        self.last: tuple[int, str] | None = None  # the item asked most recently

    def __call__(self, model: str, item: CheckItem) -> str:
        self.last = (item.row_id, model)
        if self.current is None:
            raise UserError("Nothing to ask with: start the spot-check again.")
        return self.current(model, item)


class SpotRunner(QObject):
    """Signals:
    progressed(done, total): items asked in this run so far.
    answered(row_id, model): that item has a new outcome (stored already).
    finished(bool): the run ended; True when no item was left unasked (cancel: False).
    failed(str): the run could not start, or a result could not be stored.
    """

    progressed = Signal(int, int)
    answered = Signal(int, str)
    finished = Signal(bool)
    failed = Signal(str)

    def __init__(self, chats: ChatStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chats = chats
        self._worker: Worker | None = None
        self._token: CancelToken | None = None
        self._items: dict[int, CheckItem] = {}

    @property
    def running(self) -> bool:
        return self._worker is not None

    def run(
        self, run_id: int, check: SpotCheck, late: LateAsk, provider: Provider, make_ask: MakeAsk
    ) -> None:
        """Ask every item of `check` not answered yet (the first run, or a retry)."""
        if self.running:
            return
        token = self._token = CancelToken()
        late.current = make_ask(provider, token)
        self._items = {item.row_id: item for item in check.items}

        def job(_progress, cancel) -> bool:
            with provider:
                return check.run(lambda done, total: worker.post((late.last, done, total)), cancel)

        worker = self._worker = Worker(job)
        worker.posted.connect(lambda news: self._on_posted(run_id, check, news))
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.crashed.connect(self._on_crashed)
        threads.keep(worker).start()

    def cancel(self) -> None:
        if self._worker is not None and self._token is not None:
            self._worker.cancel.set()
            self._token.cancel()

    def wait(self, ms: int = 30000) -> bool:
        return self._worker.wait(ms) if self._worker is not None else True

    def _on_posted(self, run_id: int, check: SpotCheck, news) -> None:
        key, done, total = news
        if key is not None:
            row_id, model = key
            try:
                self._chats.save_results(run_id, [result_of(check, self._items[row_id], model)])
            except UserError as error:
                self.failed.emit(str(error))
            self.answered.emit(row_id, model)
        self.progressed.emit(done, total)

    def _end(self) -> None:
        if self._worker is not None:
            threads.release(self._worker)
        self._worker = None

    def _on_finished(self, complete: bool) -> None:
        self._end()
        self.finished.emit(bool(complete))

    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)
        self.finished.emit(False)

    def _on_crashed(self, error: BaseException) -> None:
        self._end()
        self.failed.emit("The spot-check stopped unexpectedly; the results so far are kept.")
        self.finished.emit(False)
        crash_dialog.report_error(error)
