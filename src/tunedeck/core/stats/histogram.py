"""Token lengths of many examples, and histograms of them with round bin widths."""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from operator import neg


@dataclass(frozen=True, slots=True)
class Histogram:
    """Bin i holds the lengths in [edges[i], edges[i + 1]); every bin has the same width."""

    edges: tuple[int, ...]  # one more than counts
    counts: tuple[int, ...]
    limit: int  # the model's token limit, for a reference line
    over_limit: int  # how many lengths exceed it

    @property
    def width(self) -> int:
        return self.edges[1] - self.edges[0] if len(self.edges) > 1 else 1


@dataclass(frozen=True)
class Distribution:
    """One token length per example (of one part: prompt, user messages, whole example...).

    `row_ids` and `tokens` are parallel, in no particular order.
    """

    name: str
    row_ids: tuple[int, ...]
    tokens: tuple[int, ...]
    limit: int

    def __len__(self) -> int:
        return len(self.tokens)

    @cached_property
    def _sorted(self) -> list[int]:
        return sorted(self.tokens)

    @property
    def maximum(self) -> int:
        return self._sorted[-1] if self.tokens else 0

    @property
    def minimum(self) -> int:
        return self._sorted[0] if self.tokens else 0

    @property
    def total(self) -> int:
        return sum(self.tokens)

    @property
    def mean(self) -> float:
        return self.total / len(self.tokens) if self.tokens else 0.0

    def quantile(self, q: float) -> int:
        """The length that a fraction `q` of the examples do not exceed (nearest rank)."""
        if not self.tokens:
            return 0
        ordered = self._sorted
        rank = max(1, math.ceil(q * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]

    @property
    def over_limit(self) -> int:
        return len(self._sorted) - bisect_right(self._sorted, self.limit)

    def longest(self, n: int = 10) -> list[tuple[int, int]]:
        """The n longest as (row id, tokens), longest first; ties by row id."""
        # (tokens, -id): the largest come first, and of equal ones the smallest id.
        found = heapq.nlargest(n, zip(self.tokens, map(neg, self.row_ids), strict=True))
        return [(-negated, tokens) for tokens, negated in found]

    def histogram(self, bins: int = 30) -> Histogram:
        """About `bins` bins of a round width (1, 2 or 5 times a power of ten) from 0 to the
        longest, so that the axis labels read well."""
        width = nice_width(self.maximum + 1, bins)
        filled = Counter(length // width for length in self.tokens)
        count = max(filled, default=0) + 1
        return Histogram(
            edges=tuple(width * index for index in range(count + 1)),
            counts=tuple(filled[index] for index in range(count)),
            limit=self.limit,
            over_limit=self.over_limit,
        )


def nice_width(span: int, bins: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that covers `span` in at most `bins` bins."""
    bins = max(1, bins)
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * bins >= span:
                return step * factor
        step *= 10
