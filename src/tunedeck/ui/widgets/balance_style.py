"""How the balance chart draws a split and a review status (hue for the split, shade for
the status), the legend that says so, and the words of a class's tooltip."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from tunedeck.core.stats import ClassCounts
from tunedeck.core.storage import Split, Status
from tunedeck.ui.widgets.chart_legend import Entry

STATUSES = (Status.APPROVED, Status.UNREVIEWED, Status.NEEDS_WORK)  # rejected: not counted
STATUS_NAMES = {
    Status.APPROVED: "approved",
    Status.UNREVIEWED: "unreviewed",
    Status.NEEDS_WORK: "needs work",
}
SPLIT_NAMES = {
    Split.TRAIN: "train",
    Split.VALIDATION: "validation",
    Split.UNASSIGNED: "not in the split",
}
# (approved, unreviewed) per split; needs-work bars are hatched in the approved colour.
# Blue and orange stay apart for the common colour blindnesses.
COLOURS = {
    None: ("#2563eb", "#a9c6f5"),  # before any split everything trains: train's colours
    Split.TRAIN: ("#2563eb", "#a9c6f5"),
    Split.VALIDATION: ("#d9480f", "#f7b990"),
    Split.UNASSIGNED: ("#4b5563", "#c8ccd2"),
}
_NEUTRAL = ("#4b5563", "#c8ccd2")  # the status legend, apart from any split
MINIMUM_COLOUR = "#b91c1c"
WARN = "⚠"  # marks a class name the model reads as several tokens


@dataclass(frozen=True)
class Segment:
    """One bar set: the examples of a split (None: all, before any split) with a status."""

    split: Split | None
    status: Status

    @property
    def name(self) -> str:
        status = STATUS_NAMES[self.status]
        return status if self.split is None else f"{SPLIT_NAMES[self.split]} · {status}"

    def count(self, counts: ClassCounts) -> int:
        return counts.count(self.split, self.status)

    def brush(self) -> QBrush:
        return _brush(COLOURS[self.split], self.status)

    def pen(self) -> QPen:
        return QPen(QColor(COLOURS[self.split][0]), 0.8)


def segments_for(has_split: bool) -> tuple[Segment, ...]:
    """The bar sets, in stacking order: each split's statuses together."""
    splits = tuple(SPLIT_NAMES) if has_split else (None,)
    return tuple(Segment(split, status) for split in splits for status in STATUSES)


def minimum_pen() -> QPen:
    return QPen(QColor(MINIMUM_COLOUR), 2, Qt.PenStyle.DashLine)


def legend_rows(
    segments: tuple[Segment, ...], present: set[Split], minimum: int
) -> list[list[Entry | str]]:
    """Before a split: one entry per status. After: the splits (those with examples) by
    hue on one row, the statuses by shade on the next."""
    line = []
    if minimum > 0:
        tip = "How many examples per class the fine-tuning guides advise at least"
        line.append(Entry(f"recommended minimum ({minimum})", pen=minimum_pen(), tooltip=tip))
    if segments and segments[0].split is None:
        return [[*(_status_entry(COLOURS[None], status) for status in STATUSES), *line]]
    splits = [
        Entry(SPLIT_NAMES[split], QBrush(QColor(COLOURS[split][0])), tooltip=_SPLIT_TIPS[split])
        for split in SPLIT_NAMES
        if split in present
    ]
    shades = [_status_entry(_NEUTRAL, status) for status in STATUSES]
    return [[*splits, *line], ["shade:", *shades]]


_SPLIT_TIPS = {
    Split.TRAIN: "Examples the model trains on",
    Split.VALIDATION: "Examples held out to measure the model",
    Split.UNASSIGNED: "Examples added since the split; they train until assigned",
}


def _status_entry(colours: tuple[str, str], status: Status) -> Entry:
    return Entry(STATUS_NAMES[status], _brush(colours, status), QPen(QColor(colours[0]), 0.8))


def _brush(colours: tuple[str, str], status: Status) -> QBrush:
    solid, light = colours
    if status is Status.UNREVIEWED:
        return QBrush(QColor(light))
    if status is Status.NEEDS_WORK:
        return QBrush(QColor(solid), Qt.BrushStyle.BDiagPattern)
    return QBrush(QColor(solid))


def describe(counts: ClassCounts, has_split: bool, minimum: int) -> str:
    """A class's numbers as rich text: by split and status, and its tokens."""
    lines = [f"<b>{html.escape(counts.label)}</b>: {counts.total} examples"]
    for split in list(SPLIT_NAMES) if has_split else [None]:
        total = counts.count(split)
        if not total:
            continue
        detail = ", ".join(
            f"{STATUS_NAMES[status]} {counts.count(split, status)}"
            for status in STATUSES
            if counts.count(split, status)
        )
        side = "" if split is None else f"{SPLIT_NAMES[split]} {total}: "
        lines.append(side + detail)
    if counts.multi_token:
        pieces = " + ".join(f"“{html.escape(t)}”" for t in counts.tokens)
        lines.append(
            f"{WARN} {len(counts.tokens)} tokens ({pieces}): to answer with this class "
            "the model must produce all of them (class-token)"
        )
    if counts.total < minimum:
        lines.append(f"{minimum - counts.total} short of the recommended {minimum}")
    return "<br>".join(lines)
