"""Choosing, converting and splitting the examples of an export, before anything is written.

The build is pure data: the records of each side, how many of each class went where, what
was left out and why, and any example whose near-duplicate sits on the other side. The gate
lints it, the writer writes it, and the panel shows it — all from the same object, so what
the user saw is what gets uploaded.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.errors import UserError
from tunedeck.core.export.convert import exported_record
from tunedeck.core.export.options import ExportOptions, SplitSource, Which
from tunedeck.core.stats import Leak, LintedDataset, StatsSource, find_leaks
from tunedeck.core.stats.source import NO_REVIEW
from tunedeck.core.storage.records import Review, Split, Status

_WRITTEN = {
    Which.APPROVED: (Status.APPROVED,),
    Which.NOT_REJECTED: (Status.APPROVED, Status.UNREVIEWED),
}
_USABLE = (ExampleFormat.LEGACY, ExampleFormat.CHAT)


@dataclass(frozen=True)
class Side:
    """One file's worth: the training or the validation examples, in dataset order."""

    name: str
    rows: tuple[int, ...]
    records: tuple[dict[str, Any], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def content(self, byte_order_mark: bool = False) -> bytes:
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in self.records)
        text = "".join(lines)
        return ("\ufeff" if byte_order_mark else "").encode() + text.encode("utf-8")


@dataclass(frozen=True)
class ExportBuild:
    options: ExportOptions
    training: Side
    validation: Side
    separator: str | None  # as the dataset was linted: what a legacy export keeps
    stop: str | None
    classification: bool
    classes: dict[str, tuple[int, int]] = field(default_factory=dict)  # label: (train, valid)
    left_out: dict[str, int] = field(default_factory=dict)  # reason: examples
    dropped_keys: dict[str, int] = field(default_factory=dict)  # record key: examples
    leaks: list[Leak] = field(default_factory=list)
    incompatible: tuple[int, ...] = ()  # rows with no form the target model trains on

    def describe(self) -> dict[str, object]:
        """The options and the dataset's conventions, for the launch record (the chat tab
        reads them back as a TrainingFormat). Recorded for a chat export too: they are what
        the conversion removed, and a spot-check must remove them the same way."""
        return self.options.describe() | {"separator": self.separator, "stop": self.stop}

    @property
    def examples(self) -> int:
        return len(self.training) + len(self.validation)

    def problems(self) -> list[str]:
        """What makes this export unfit to upload, in words for the user (empty: fit)."""
        found = []
        if self.incompatible:
            found.append(
                f"{len(self.incompatible)} chat example(s) cannot train the completion model "
                f"{self.options.model}: choose a chat model"
            )
        if len(self.training) < self.options.min_examples:
            found.append(
                f"{len(self.training)} training example(s); the provider needs at least "
                f"{self.options.min_examples}"
            )
        if self.leaks:
            rows = sum(len(leak.rows) for leak in self.leaks)
            found.append(
                f"{len(self.leaks)} group(s) of duplicate or near-duplicate examples ({rows} "
                "examples) sit on both sides of the split: validation would measure memory"
            )
        return found


def build_export(source: StatsSource, options: ExportOptions) -> ExportBuild:
    """Choose, convert and split a linted dataset's examples as `options` say."""
    settings = source.linter.settings
    written = _WRITTEN[options.which]
    reviews = _effective_reviews(source.reviews, options)
    sides: dict[Split, tuple[list[int], list[dict[str, Any]]]] = {
        Split.TRAIN: ([], []),
        Split.VALIDATION: ([], []),
    }
    left_out: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    incompatible = []
    classes: dict[str, list[int]] = {}
    for example in source.dataset:
        review = reviews.get(example.id, NO_REVIEW)
        if example.format not in _USABLE:
            left_out["unreadable line" if example.is_quarantined else "not an example"] += 1
            continue
        if review.status not in written:
            left_out[review.status.value] += 1
            continue
        try:
            record, dropped_here = exported_record(
                example,
                options.kind,
                separator=settings.separator,
                stop=settings.stop,
                system_message=options.system_message,
            )
        except UserError:
            incompatible.append(example.id)
            continue
        dropped.update(dropped_here)
        side = Split.VALIDATION if review.split is Split.VALIDATION else Split.TRAIN
        sides[side][0].append(example.id)
        sides[side][1].append(record)
        label = _label(source, example.id) if settings.classification else None
        if label is not None:
            classes.setdefault(label, [0, 0])[side is Split.VALIDATION] += 1
    exported = set(sides[Split.TRAIN][0]) | set(sides[Split.VALIDATION][0])
    resplit = LintedDataset(source.dataset, source.linter, reviews)
    return ExportBuild(
        options=options,
        training=Side("training", tuple(sides[Split.TRAIN][0]), tuple(sides[Split.TRAIN][1])),
        validation=Side(
            "validation", tuple(sides[Split.VALIDATION][0]), tuple(sides[Split.VALIDATION][1])
        ),
        separator=settings.separator,
        stop=settings.stop,
        classification=settings.classification,
        classes={label: (train, valid) for label, (train, valid) in sorted(classes.items())},
        left_out=dict(left_out),
        dropped_keys=dict(dropped),
        leaks=find_leaks(resplit, exported) if exported else [],
        incompatible=tuple(incompatible),
    )


def _effective_reviews(
    reviews: Mapping[int, Review], options: ExportOptions
) -> Mapping[int, Review]:
    """The reviews with a proposed split in place of the assigned one, when one is chosen."""
    if options.split is SplitSource.ASSIGNED:
        return reviews
    return {
        row_id: dataclasses.replace(
            reviews.get(row_id, NO_REVIEW), split=options.assignments.get(row_id, Split.TRAIN)
        )
        for row_id in set(reviews) | set(options.assignments)
    }


def _label(source: StatsSource, row_id: int) -> str | None:
    try:
        return source.linter.facts(row_id).label
    except KeyError:  # not linted yet (a row added a moment ago)
        return None
