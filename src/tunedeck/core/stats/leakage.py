"""Train/validation leakage: an example whose duplicate or near-duplicate is on the other side.

A validation example the model has already seen in training (or seen with different
punctuation, or with another answer) measures memory, not generalisation: the validation
loss comes out better than the model is. Sides are as selection.side_of() defines them (not
in validation means trained on); rejected examples are in neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.lint import Linter
from tunedeck.core.stats.near_duplicates import current_keys
from tunedeck.core.stats.selection import side_of
from tunedeck.core.stats.source import StatsSource, chosen_rows
from tunedeck.core.storage.records import Split

_TRAIN, _VALIDATION = Split.TRAIN, Split.VALIDATION


class LeakKind(StrEnum):
    # The closest relation between some training and some validation example of the group.
    DUPLICATE = "duplicate"  # the very same example
    SAME_PROMPT = "same-prompt"  # the same prompt (conversation), another answer
    NEAR_DUPLICATE = "near-duplicate"  # prompts equal but for case, spacing, punctuation


@dataclass(frozen=True, slots=True)
class Leak:
    """Examples with one near-duplicate key, some on each side (ids in dataset order)."""

    kind: LeakKind
    train: tuple[int, ...]
    validation: tuple[int, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        return self.train + self.validation


@collector_paused
def find_leaks(source: StatsSource, rows: Iterable[int] | None = None) -> list[Leak]:
    """Every leaking group of counted examples (of `rows`, when given), worst kind first,
    then in order of their first example."""
    found = chosen_rows(source, rows)
    sides = [side_of(review) for review in found.reviews]
    if _VALIDATION not in sides:
        return []  # nothing is held out, so nothing can leak (and no text is folded)
    keys = current_keys(source.linter, found.examples, found.facts)
    copies = Counter(keys)
    groups: dict[int, list[int]] = {}  # key -> indexes of the examples sharing it
    for index in [i for i, key in enumerate(keys) if key is not None and copies[key] > 1]:
        groups.setdefault(keys[index], []).append(index)
    ids = [example.id for example in found.examples]
    leaks = []
    for members in groups.values():
        train = tuple(ids[i] for i in members if sides[i] is _TRAIN)
        validation = tuple(ids[i] for i in members if sides[i] is _VALIDATION)
        if train and validation:
            leaks.append(Leak(_kind(source.linter, train, validation), train, validation))
    order = list(LeakKind)
    leaks.sort(key=lambda leak: order.index(leak.kind))  # stable: first-example order kept
    return leaks


def leaking_rows(leaks: Iterable[Leak]) -> set[int]:
    """Every example of every leak, for marking rows in a table."""
    return {row_id for leak in leaks for row_id in leak.rows}


def _kind(linter: Linter, train: tuple[int, ...], validation: tuple[int, ...]) -> LeakKind:
    def shared(key: str) -> bool:
        held_out = {getattr(linter.facts(row_id), key) for row_id in validation} - {None}
        return any(getattr(linter.facts(row_id), key) in held_out for row_id in train)

    if shared("content_key"):
        return LeakKind.DUPLICATE
    if shared("prompt_key"):
        return LeakKind.SAME_PROMPT
    return LeakKind.NEAR_DUPLICATE
