"""Which examples each statistic counts, and on which side of the split they train.

One definition, shared by the balance, the summary, the split proposal and the leakage
check, so that their numbers agree with each other:

- Counted (balance, lengths, split, leakage): every example but the rejected ones. Examples
  that need work are counted because they are meant to come back; rejected ones never are.
- Exported (summary's export and epoch figures): approved and unreviewed examples with a
  usable record. Examples that need work are held back until someone fixes them.
- Side: an example in the validation split is held out; every other one (train, or not
  assigned yet) is trained on. With no validation examples this is "train on everything",
  which is what a fine-tune without a validation file does.
"""

from __future__ import annotations

from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.storage.records import Review, Split, Status

COUNTED_STATUSES = (Status.APPROVED, Status.UNREVIEWED, Status.NEEDS_WORK)
EXPORTED_STATUSES = (Status.APPROVED, Status.UNREVIEWED)
USABLE_FORMATS = frozenset({ExampleFormat.LEGACY, ExampleFormat.CHAT})  # what trains


# Bound once: looking an enum member up on its class is slow enough to show per row.
_REJECTED, _APPROVED, _UNREVIEWED = Status.REJECTED, Status.APPROVED, Status.UNREVIEWED
_TRAIN, _VALIDATION = Split.TRAIN, Split.VALIDATION


def is_counted(review: Review) -> bool:
    return review.status is not _REJECTED


def is_exported(review: Review) -> bool:
    """For a usable example (see source.chosen_rows): whether the export writes it."""
    status = review.status
    return status is _APPROVED or status is _UNREVIEWED


def side_of(review: Review) -> Split:
    """TRAIN or VALIDATION: where the example ends up in a fine-tune."""
    return _VALIDATION if review.split is _VALIDATION else _TRAIN
