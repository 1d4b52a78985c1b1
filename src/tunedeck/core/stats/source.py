"""What the statistics read: a dataset, the linter that follows it, and the reviews.

A CurationSession has all three. A dataset linted without a project (the command line, a
test) is wrapped in LintedDataset, where every example counts as unreviewed and unsplit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Protocol

from tunedeck.core.dataset import Dataset, Example, ExampleFormat
from tunedeck.core.lint import Linter
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.storage.records import Review, Status

NO_REVIEW = Review()  # what an example nobody has reviewed counts as

# Bound once: looking an enum member up on its class is slow enough to show per row.
_LEGACY, _CHAT, _REJECTED = ExampleFormat.LEGACY, ExampleFormat.CHAT, Status.REJECTED


class StatsSource(Protocol):
    @property
    def dataset(self) -> Dataset: ...

    @property
    def linter(self) -> Linter: ...

    @property
    def reviews(self) -> Mapping[int, Review]: ...


@dataclass
class LintedDataset:
    """A StatsSource for a dataset outside any project (no review decisions)."""

    dataset: Dataset
    linter: Linter
    reviews: Mapping[int, Review] = field(default_factory=dict)


@dataclass(slots=True)
class Chosen:
    """The examples a statistic looks at, as parallel lists (one tuple per row would cost
    more than the statistic)."""

    examples: list[Example]
    facts: list[RowFacts]
    reviews: list[Review]

    def __len__(self) -> int:
        return len(self.examples)


def chosen_rows(
    source: StatsSource, rows: Iterable[int] | None = None, *, rejected: bool = False
) -> Chosen:
    """The usable examples (legacy or chat) the linter has facts for, leaving out the
    rejected ones unless `rejected`; in dataset order, or in the order of `rows`, the row ids
    to look at (a view's filter) when given.
    """
    dataset, get_review = source.dataset, source.reviews.get
    if rows is None:
        examples = list(dataset)
    else:
        examples = [dataset[row_id] for row_id in dict.fromkeys(rows) if row_id in dataset]
    reviews = [get_review(example.id, NO_REVIEW) for example in examples]
    kinds = [example.format for example in examples]
    keep = [kind is _LEGACY or kind is _CHAT for kind in kinds]
    if not rejected:
        keep = [
            k and review.status is not _REJECTED for k, review in zip(keep, reviews, strict=True)
        ]
    if not all(keep):
        examples, reviews = list(compress(examples, keep)), list(compress(reviews, keep))
    facts_of = source.linter.facts
    try:
        facts = [facts_of(example.id) for example in examples]
    except KeyError:  # a new linter before its first pass: statistics of what it has seen
        linted = [_has_facts(source.linter, example.id) for example in examples]
        examples, reviews = list(compress(examples, linted)), list(compress(reviews, linted))
        facts = [facts_of(example.id) for example in examples]
    return Chosen(examples, facts, reviews)


def _has_facts(linter: Linter, row_id: int) -> bool:
    try:
        linter.facts(row_id)
    except KeyError:
        return False
    return True
