"""Dataset-wide counts, kept up to date one row at a time (never by recounting)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from tunedeck.core.dataset.example import ExampleFormat
from tunedeck.core.lint.facts import RowFacts


@dataclass
class Tally:
    rows: int = 0
    formats: Counter[ExampleFormat] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)

    def add(self, facts: RowFacts) -> None:
        self.rows += 1
        self.formats[facts.format] += 1
        if facts.label is not None:
            self.labels[facts.label] += 1

    def add_many(self, facts: Sequence[RowFacts]) -> None:
        """add() for many rows at once, counting in C."""
        self.rows += len(facts)
        self.formats.update(map(attrgetter("format"), facts))
        self.labels.update([row.label for row in facts if row.label is not None])

    def remove(self, facts: RowFacts) -> None:
        self.rows -= 1
        _decrement(self.formats, facts.format)
        if facts.label is not None:
            _decrement(self.labels, facts.label)


def _decrement(counter: Counter, key: object) -> None:
    # Drop keys that reach zero so that "how many classes" stays a len().
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
