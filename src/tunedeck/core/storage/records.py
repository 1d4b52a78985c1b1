"""What the store hands out: plain, immutable values, never database rows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tunedeck.core.dataset import Dataset, Example, FileLayout
from tunedeck.core.errors import UserError
from tunedeck.core.lint.settings import LintSettings


class Status(StrEnum):
    UNREVIEWED = "unreviewed"
    APPROVED = "approved"
    REJECTED = "rejected"
    NEEDS_WORK = "needs-work"


class Split(StrEnum):
    TRAIN = "train"
    VALIDATION = "validation"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's decisions about one example."""

    status: Status = Status.UNREVIEWED
    split: Split = Split.UNASSIGNED
    label: str | None = None  # set by hand; None means the linter derives it
    reviewer: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    suppressed: tuple[str, ...] = ()  # lint rule names silenced for this example


REVIEW_FIELDS = frozenset(Review.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class StoredExample:
    """One example as the project holds it.

    `example.id` is the example's stable id in the project; `version` grows by one with every
    change and is what an edit must name to be accepted.
    """

    example: Example
    review: Review
    version: int
    dataset_id: int
    position: int
    deleted: bool = False
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def id(self) -> int:
        return self.example.id

    @property
    def record(self) -> dict[str, Any] | None:
        return self.example.record


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    id: int
    name: str
    source: str | None
    created_at: datetime
    layout: FileLayout
    settings: LintSettings
    settings_version: int


# (position, id): where a row sits in its dataset's order.
RowKey = tuple[int, int]


@dataclass(frozen=True, slots=True)
class LoadedDataset:
    """A dataset held in memory with what the store knows about each example."""

    info: DatasetInfo
    dataset: Dataset  # example ids are the project's ids
    reviews: dict[int, Review]
    versions: dict[int, int]
    # Where the rows not loaded yet begin (Project.load(first=...)); None: all are here.
    rest: RowKey | None = None

    def lint_settings(self) -> LintSettings:
        """The dataset's settings, with each example's suppressed rules."""
        return with_suppressions(self.info.settings, self.reviews)


def with_suppressions(settings: LintSettings, reviews: dict[int, Review]) -> LintSettings:
    """A copy of `settings` carrying the rules each reviewed example silences."""
    combined = dataclasses.replace(settings)
    combined.suppressed = {
        row_id: set(review.suppressed) for row_id, review in reviews.items() if review.suppressed
    }
    return combined


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One field's change. `old`/`new` are MISSING when the field did not exist."""

    id: int
    example_id: int
    field: str
    old: Any
    new: Any
    author: str
    at: datetime
    version: int
    outcome: str  # "applied", or "conflict" for a change refused by a concurrent edit


@dataclass(frozen=True, slots=True)
class Change:
    """One example's change within a batch (see Project.apply)."""

    example_id: int
    expected_version: int
    content: dict[str, Any] | None = None  # field path -> value (fields.MISSING removes)
    review: dict[str, Any] | None = None  # review field or "deleted" -> value


class ConflictError(UserError):
    """Someone else changed the example first; nothing was overwritten.

    Attributes:
        example_id: The example both edits were about.
        attempted: The refused change, field by field (also kept in the history).
        current: The example as the other person left it.
    """

    def __init__(self, example_id: int, attempted: dict[str, Any], current: StoredExample):
        who = current.updated_by or "someone else"
        super().__init__(
            f"example {example_id} was changed by {who} (now version {current.version}) "
            "since you loaded it; your change was not applied but is kept in its history. "
            "Refresh to see their version."
        )
        self.example_id = example_id
        self.attempted = attempted
        self.current = current
