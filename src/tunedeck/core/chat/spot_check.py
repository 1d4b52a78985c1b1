"""Running held-out examples through one or two models, keeping every failure retryable.

One item at a time, in order: the provider's own retry policy (the SDK's backoff, honouring
Retry-After) absorbs rate limits, and running sequentially never makes them worse. An item
whose call still fails is marked with the reason and the run goes on; `retry_failed` asks
again for those only. Cancelling stops between items and leaves the rest pending.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tunedeck.core.chat.items import CheckItem
from tunedeck.core.errors import UserError

Ask = Callable[[str, CheckItem], str]  # (model, item) -> the answer's text
Progress = Callable[[int, int], None]


class Cancel(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class Outcome:
    row_id: int
    model: str
    answer: str | None = None
    error: str | None = None  # why the last attempt failed
    rating: str | None = None  # "good" or "bad", from the reviewer
    note: str = ""

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def failed(self) -> bool:
        return self.answer is None and self.error is not None


class SpotCheck:
    def __init__(
        self,
        items: Sequence[CheckItem],
        models: Sequence[str],
        ask: Ask,
        clean: Callable[[str], str] = str.strip,
    ) -> None:
        self.items = list(items)
        self.models = list(models)
        self._ask = ask
        self._clean = clean
        self.outcomes = {
            (item.row_id, model): Outcome(item.row_id, model)
            for item in self.items
            for model in self.models
        }

    def outcome(self, row_id: int, model: str) -> Outcome:
        return self.outcomes[(row_id, model)]

    def run(self, progress: Progress | None = None, cancel: Cancel | None = None) -> bool:
        """Ask every item not answered yet; True when nothing is left unasked."""
        todo = [
            (item, model)
            for item in self.items
            for model in self.models
            if not self.outcome(item.row_id, model).answered
        ]
        for done, (item, model) in enumerate(todo):
            if cancel is not None and cancel.is_set():
                return False
            outcome = self.outcome(item.row_id, model)
            try:
                outcome.answer, outcome.error = self._clean(self._ask(model, item)), None
            except UserError as error:
                outcome.error = str(error)
            if progress is not None:
                progress(done + 1, len(todo))
        return True

    def retry_failed(self, progress: Progress | None = None, cancel: Cancel | None = None) -> bool:
        """Ask again the items whose last attempt failed (run() skips only answered ones)."""
        return self.run(progress, cancel)

    def failed(self, model: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes.values() if o.failed and model in (None, o.model)]

    def pairs(self, model: str) -> list[tuple[str, str]]:
        """(expected, answer) for every answered item of `model`, in item order."""
        pairs = []
        for item in self.items:
            outcome = self.outcome(item.row_id, model)
            if outcome.answered:
                pairs.append((item.expected, outcome.answer or ""))
        return pairs
