"""Dataset-wide counts, kept up to date one row at a time (never by recounting)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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
