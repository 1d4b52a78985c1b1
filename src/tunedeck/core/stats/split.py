"""A proposed train/validation split: stratified by class, near-duplicates kept together.

Examples with the same near-duplicate key (near_duplicates.py: identical examples, shared
prompts, prompts differing only in case or punctuation) form a group, and a group goes to
one side whole, so the split never leaks (leakage.find_leaks finds nothing in it). Each
class is split on its own, so its share of each side stays at its share of the whole: the
number of validation examples per class is chosen jointly for all classes to keep every
share as close as rounding allows (within a point whenever each side has a few hundred
examples), then filled with that class's groups in a seeded random order.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tunedeck.core.session import CurationSession
from tunedeck.core.stats.collector import collector_paused
from tunedeck.core.stats.near_duplicates import PromptKeys
from tunedeck.core.stats.source import NO_REVIEW, StatsSource, chosen_rows
from tunedeck.core.storage.records import Review, Split

# How far from validation_fraction the total may move (in rows, at most this many) when a
# nearby total rounds every class's share more evenly.
_WIGGLE = 10


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
) -> SplitProposal:
    """Split `rows` (default: every counted, usable, linted example).

    Same dataset, fraction and seed: same proposal.
    """
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), not {validation_fraction}")
    labels = _labels(source, rows)
    groups = _groups(source, labels)
    strata: dict[str | None, list[list[int]]] = {}
    for group in groups:
        strata.setdefault(_majority(labels[row_id] for row_id in group), []).append(group)
    sizes = {stratum: sum(map(len, members)) for stratum, members in strata.items()}
    targets = _targets(sizes, validation_fraction)
    rng = random.Random(seed)
    assignments: dict[int, Split] = {}
    for stratum in sorted(strata, key=_by_name):
        _fill(strata[stratum], targets[stratum], rng, assignments)
    classification = source.linter.settings.classification
    return SplitProposal(
        assignments=assignments,
        validation_fraction=validation_fraction,
        seed=seed,
        shares=_shares(labels, assignments) if classification else [],
        kept_together=sum(len(group) for group in groups if len(group) > 1),
    )


def apply_split(session: CurationSession, proposal: SplitProposal) -> dict[int, Split]:
    """Store the proposal's splits; returns the previous split of every example it changed
    (for undo). Examples deleted since the proposal are skipped.

    One stored review per changed example: the session has no call that stores many
    reviews in one transaction. If one fails (someone else changed the example), the
    examples before it keep their new split and the error propagates.
    """
    previous: dict[int, Split] = {}
    for row_id, split in proposal.changes(session.reviews).items():
        if row_id in session.dataset:
            previous[row_id] = session.review(row_id, split=split)["split"]
    return previous


def _labels(source: StatsSource, rows: Iterable[int] | None) -> dict[int, str | None]:
    """Row id -> class (None if not classification) of the rows to split, in dataset order."""
    found = chosen_rows(source, rows)
    return {e.id: f.label for e, f in zip(found.examples, found.facts, strict=True)}


def _groups(source: StatsSource, labels: dict[int, str | None]) -> list[list[int]]:
    """Rows grouped by near-duplicate key, in order of first appearance."""
    key_of = PromptKeys()
    dataset = source.dataset
    by_key: dict[object, list[int]] = {}
    for row_id in labels:
        key = key_of(dataset[row_id])
        by_key.setdefault(("row", row_id) if key is None else key, []).append(row_id)
    return list(by_key.values())


def _majority(labels: Iterable[str | None]) -> str | None:
    # A group whose examples disagree on the class (conflicting answers) goes with the
    # class most of them have; ties by name, so the result does not depend on row order.
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], *_by_name(label)))


def _by_name(label: str | None) -> tuple[bool, str]:
    return label is None, label or ""


def _targets(sizes: dict[str | None, int], fraction: float) -> dict[str | None, int]:
    """Validation examples per stratum: each its share of a total near fraction * all,
    that total chosen (within _WIGGLE) so that the rounding skews the shares least."""
    whole = sum(sizes.values())
    nothing = dict.fromkeys(sizes, 0)
    ideal = round(whole * fraction)
    if whole < 2 or ideal == 0:
        return nothing
    wiggle = min(_WIGGLE, max(1, ideal // 10))
    best: tuple[tuple[float, float], dict[str | None, int]] | None = None
    for total in range(max(1, ideal - wiggle), min(whole - 1, ideal + wiggle) + 1):
        counts = {s: math.floor(n * total / whole + 0.5) for s, n in sizes.items()}
        held = sum(counts.values())
        if not 0 < held < whole:
            continue
        gap = max(_skew(n, counts[s], held, whole) for s, n in sizes.items())
        score = (gap, abs(held - whole * fraction))
        if best is None or score < best[0]:
            best = score, counts
    return best[1] if best is not None else nothing


def _skew(size: int, size_held: int, held: int, whole: int) -> float:
    """How far a class's share of either side strays from its share of the whole."""
    share = size / whole
    return max(abs(size_held / held - share), abs((size - size_held) / (whole - held) - share))


def _fill(
    groups: list[list[int]], target: int, rng: random.Random, assignments: dict[int, Split]
) -> None:
    """Send `target` examples of a class to validation, its other examples to training."""
    order = groups[:]
    rng.shuffle(order)
    # Groups of several examples go to validation as often as single ones would, by a coin
    # weighted like the target: filling up with whole groups first would put every
    # duplicated example in validation. Single examples then make the count exact.
    chance = target / max(1, sum(map(len, order)))
    held = 0
    chosen: list[list[int]] = []
    rest: list[list[int]] = []
    for group in order:
        if len(group) > 1 and held + len(group) <= target and rng.random() < chance:
            chosen.append(group)
            held += len(group)
        else:
            rest.append(group)
    rest.sort(key=len)  # singles first; bigger groups only if singles cannot reach the target
    for group in rest:
        if abs(held + len(group) - target) < abs(held - target):
            chosen.append(group)
            held += len(group)
    for group in order:
        for row_id in group:
            assignments[row_id] = Split.TRAIN
    for group in chosen:
        for row_id in group:
            assignments[row_id] = Split.VALIDATION


def _shares(labels: dict[int, str | None], assignments: dict[int, Split]) -> list[ClassShare]:
    whole = Counter(labels.values())
    held = Counter(labels[row_id] for row_id, s in assignments.items() if s is Split.VALIDATION)
    total, validation = len(labels), sum(held.values())
    training = total - validation
    shares = [
        ClassShare(
            label,
            n / total,
            (n - held[label]) / training if training else None,
            held[label] / validation if validation else None,
        )
        for label, n in whole.items()
    ]
    shares.sort(key=lambda share: (-share.whole, *_by_name(share.label)))
    return shares
