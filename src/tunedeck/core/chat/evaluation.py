"""Scoring a classifier's answers: accuracy, per-class precision and recall, confusion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

OTHER = "(other answer)"  # an answer that is none of the expected classes


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float | None  # None when the model never answered this class
    recall: float | None  # None when no example expected it
    support: int  # examples that expected it


@dataclass(frozen=True)
class Evaluation:
    total: int
    correct: int
    labels: tuple[str, ...]  # expected classes, sorted; OTHER last when it occurred
    confusion: dict[tuple[str, str], int]  # (expected, answered) -> examples
    scores: tuple[ClassScore, ...]

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def cell(self, expected: str, answered: str) -> int:
        return self.confusion.get((expected, answered), 0)


def evaluate(pairs: Iterable[tuple[str, str]], classes: Iterable[str] = ()) -> Evaluation:
    """Score (expected, answered) pairs; answers are compared after trimming whitespace.

    Args:
        pairs: The answered examples.
        classes: Every class the check expects, answered or not: an answer naming the class
            of an example that failed is still that class, not "(other answer)".
    """
    cleaned = [(expected.strip(), answered.strip()) for expected, answered in pairs]
    ordered = sorted({expected for expected, _ in cleaned} | {c.strip() for c in classes})
    known = set(ordered)
    confusion = Counter(
        (expected, answered if answered in known else OTHER) for expected, answered in cleaned
    )
    labels = tuple(ordered) + ((OTHER,) if any(a == OTHER for _, a in confusion) else ())
    scores = []
    for label in ordered:
        hits = confusion[(label, label)]
        answered = sum(n for (_, a), n in confusion.items() if a == label)
        support = sum(n for (e, _), n in confusion.items() if e == label)
        scores.append(
            ClassScore(
                label,
                precision=hits / answered if answered else None,
                recall=hits / support if support else None,
                support=support,
            )
        )
    return Evaluation(
        total=len(cleaned),
        correct=sum(1 for expected, answered in cleaned if expected == answered),
        labels=labels,
        confusion=dict(confusion),
        scores=tuple(scores),
    )
