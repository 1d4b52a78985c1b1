"""A proposed train/validation split: stratified by class, near-duplicates kept together.

Examples with the same near-duplicate key (near_duplicates.py: identical examples, shared
prompts, prompts differing only in case or punctuation) form a group, and a group goes to
one side whole, so the split never leaks (leakage.find_leaks finds nothing in it). Each
class is split on its own, so its share of each side stays at its share of the whole: how
many of its examples to hold out is chosen for all classes at once (split_sizes.py), then
filled with the class's groups in a seeded random order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, TypeVar

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.session import CurationSession
from tunedeck.core.stats.near_duplicates import current_keys
from tunedeck.core.stats.source import NO_REVIEW, StatsSource, chosen_rows
from tunedeck.core.stats.split_sizes import validation_sizes
from tunedeck.core.storage.records import Review, Split

T = TypeVar("T")
_TRAIN, _VALIDATION = Split.TRAIN, Split.VALIDATION


@dataclass(frozen=True, slots=True)
class ClassShare:
    """One class's share (0..1) of all the split examples, and of each side."""

    label: str | None  # None: examples without a class
    whole: float
    train: float | None  # None: the side is empty
    validation: float | None

    @property
    def gap(self) -> float:
        """How far the farther side strays from the whole, as a fraction (0.01: a point)."""
        sides = [share for share in (self.train, self.validation) if share is not None]
        return max((abs(share - self.whole) for share in sides), default=0.0)


@dataclass(frozen=True)
class SplitProposal:
    assignments: dict[int, Split]  # row id -> TRAIN or VALIDATION
    validation_fraction: float  # as asked
    seed: int
    shares: list[ClassShare]  # per class, largest first; empty if not classification
    kept_together: int  # examples split together with a near-duplicate

    @property
    def validation(self) -> int:
        return sum(split is Split.VALIDATION for split in self.assignments.values())

    @property
    def training(self) -> int:
        return len(self.assignments) - self.validation

    @property
    def max_gap(self) -> float:
        return max((share.gap for share in self.shares), default=0.0)

    def changes(self, reviews: Mapping[int, Review]) -> dict[int, Split]:
        """The assignments that differ from the examples' current split."""
        return {
            row_id: split
            for row_id, split in self.assignments.items()
            if reviews.get(row_id, NO_REVIEW).split is not split
        }


@collector_paused
def propose_split(
    source: StatsSource,
    *,
    validation_fraction: float = 0.2,
    seed: int = 0,
    rows: Iterable[int] | None = None,
    max_gap: float = 0.01,
) -> SplitProposal:
    """Split the counted, usable, linted examples (of `rows`, when given).

    `max_gap`: how far each class's share of either side may stray from its share of the
    whole (0.01: a point); the validation size may move away from `validation_fraction` by
    up to a quarter of itself to keep it (see split_sizes.py). Same dataset, arguments and
    seed: same proposal.
    """
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), not {validation_fraction}")
    found = chosen_rows(source, rows)
    ids = [example.id for example in found.examples]
    labels = [facts.label for facts in found.facts]
    strata = _strata(ids, labels, current_keys(source.linter, found.examples, found.facts))
    sizes = {label: len(stratum) for label, stratum in strata.items()}
    targets = validation_sizes(sizes, validation_fraction, max_gap)
    rng = random.Random(seed)
    held: set[int] = set()
    for label in sorted(strata, key=_by_name):
        held.update(_held_out(strata[label], targets[label], rng))
    assignments = {row_id: _VALIDATION if row_id in held else _TRAIN for row_id in ids}
    classification = source.linter.settings.classification
    return SplitProposal(
        assignments=assignments,
        validation_fraction=validation_fraction,
        seed=seed,
        shares=_shares(ids, labels, held) if classification else [],
        kept_together=sum(len(g) for stratum in strata.values() for g in stratum.groups),
    )


def apply_split(
    session: CurationSession,
    proposal: SplitProposal,
    progress: Callable[[int, int], None] | None = None,
    run_store: Callable[[Callable[[], Any]], Any] | None = None,
) -> dict[int, Split]:
    """Store the proposal's splits in one transaction; returns the previous split of every
    example it changed (for undo). Examples deleted since the proposal are skipped.

    `progress` and `run_store`: as CurationSession.review_many takes them.

    Raises:
        UserError: An example could not be stored (someone else changed it); none was.
    """
    sides = {split: {"split": split} for split in Split}  # shared: the store checks each once
    changes = {
        row_id: sides[split]
        for row_id, split in proposal.changes(session.reviews).items()
        if row_id in session.dataset
    }
    previous = session.review_many(changes, progress, run_store)
    return {row_id: fields["split"] for row_id, fields in previous.items()}


@dataclass
class _Stratum:
    """The examples of one class: those with no near-duplicate, and groups of those with."""

    singles: list[int] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.singles) + sum(map(len, self.groups))


def _strata(
    ids: list[int], labels: list[str | None], keys: list[int | None]
) -> dict[str | None, _Stratum]:
    """Examples by class (None: no class, or not classification), in dataset order."""
    copies = Counter(keys)
    strata: dict[str | None, _Stratum] = {}
    together: dict[int, list[int]] = {}  # key -> indexes of the examples sharing it
    for index, key in enumerate(keys):
        if key is None or copies[key] == 1:
            label = labels[index]
            stratum = strata.get(label)
            if stratum is None:
                stratum = strata[label] = _Stratum()
            stratum.singles.append(ids[index])
        else:
            together.setdefault(key, []).append(index)
    for members in together.values():
        label = _majority([labels[index] for index in members])
        strata.setdefault(label, _Stratum()).groups.append([ids[index] for index in members])
    return strata


def _majority(labels: list[str | None]) -> str | None:
    # A group whose examples disagree on the class (conflicting answers) goes with the
    # class most of them have; ties by name, so the result does not depend on row order.
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], *_by_name(label)))


def _by_name(label: str | None) -> tuple[bool, str]:
    return label is None, label or ""


def _held_out(stratum: _Stratum, target: int, rng: random.Random) -> list[int]:
    """The examples of one class to send to validation: `target`, if the groups allow."""
    groups = _shuffled(stratum.groups, rng)
    singles = _shuffled(stratum.singles, rng)
    # Groups go to validation as often as single examples would, by a coin weighted like
    # the target: filling up with whole groups first would put every duplicated example in
    # validation. Single examples then make the count exact.
    chance = target / max(1, len(stratum))
    held: list[int] = []
    left: list[list[int]] = []
    for group in groups:
        if len(held) + len(group) <= target and rng.random() < chance:
            held.extend(group)
        else:
            left.append(group)
    need = target - len(held)
    held.extend(singles[: max(0, need)])
    if need > len(singles):  # too few single examples: whole groups, smallest first
        for group in sorted(left, key=len):
            if abs(len(held) + len(group) - target) < abs(len(held) - target):
                held.extend(group)
    return held


def _shuffled(items: list[T], rng: random.Random) -> list[T]:
    # random.shuffle draws one number per item in Python; sorting by one block of seeded
    # random bytes is a seeded permutation too, at C speed.
    keys = memoryview(rng.randbytes(8 * len(items))).cast("Q")
    return [items[index] for index in sorted(range(len(items)), key=keys.__getitem__)]


def _shares(ids: list[int], labels: list[str | None], held: set[int]) -> list[ClassShare]:
    whole = Counter(labels)
    held_out = Counter(compress(labels, [row_id in held for row_id in ids]))
    total, validation = len(labels), len(held)
    training = total - validation
    shares = [
        ClassShare(
            label,
            n / total,
            (n - held_out[label]) / training if training else None,
            held_out[label] / validation if validation else None,
        )
        for label, n in whole.items()
    ]
    shares.sort(key=lambda share: (-share.whole, *_by_name(share.label)))
    return shares
