"""The dataset in a few numbers: size, classes, review progress, and what a fine-tune costs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import compress

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.stats.selection import is_counted, is_exported, side_of
from tunedeck.core.stats.source import NO_REVIEW, StatsSource, chosen_rows
from tunedeck.core.storage.records import Split, Status


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over the whole dataset; "exported" and "side" as selection.py defines them.

    Tokens are the trainer's count of whole examples (RowFacts.tokens), in the target
    model's encoding. A fine-tune is billed tokens_per_epoch for every epoch it runs.
    """

    examples: int  # every row, quarantined lines included
    quarantined: int  # lines that are not a usable JSON object
    classes: int  # distinct classes among counted examples; 0 if not classification
    by_status: dict[Status, int]  # every status, zeros included
    by_split: dict[Split, int]  # every split, zeros included
    tokens: int  # every usable example, rejected ones included
    exported: int  # examples the export would write: approved or unreviewed, usable
    exported_tokens: int
    training: int  # exported examples outside the validation split: the training file
    tokens_per_epoch: int  # the training file's tokens: what one epoch trains on
    validation: int  # exported examples in the validation split
    validation_tokens: int
    over_limit: int  # exported examples longer than the model's token limit
    token_limit: int

    @property
    def reviewed(self) -> int:
        """Examples someone has decided on (any status but unreviewed)."""
        return self.examples - self.by_status[Status.UNREVIEWED]

    @property
    def progress(self) -> float:
        """Share of the examples reviewed, 0..1 (1 for an empty dataset)."""
        return self.reviewed / self.examples if self.examples else 1.0

    def training_tokens(self, epochs: int) -> int:
        """Tokens a fine-tune of `epochs` epochs trains on (and bills)."""
        return self.tokens_per_epoch * epochs


@collector_paused
def summarize(source: StatsSource) -> Summary:
    linter, get_review = source.linter, source.reviews.get
    limit = linter.settings.token_limit
    examples = list(source.dataset)
    every_review = [get_review(example.id, NO_REVIEW) for example in examples]
    statuses = Counter([review.status for review in every_review])
    splits = Counter([review.split for review in every_review])
    invalid = ExampleFormat.INVALID
    quarantined = [example.format is invalid for example in examples].count(True)
    usable = chosen_rows(source, rejected=True)
    facts, reviews = usable.facts, usable.reviews
    counted = [is_counted(review) for review in reviews]
    labels = {f.label for f in compress(facts, counted)} - {None}
    exported = [is_exported(review) for review in reviews]
    held_out = [side_of(review) is Split.VALIDATION for review in reviews]
    trained = [e and not h for e, h in zip(exported, held_out, strict=True)]
    validating = [e and h for e, h in zip(exported, held_out, strict=True)]
    tokens = [f.tokens for f in facts]
    training_tokens = sum(compress(tokens, trained))
    validation_tokens = sum(compress(tokens, validating))
    return Summary(
        examples=len(examples),
        quarantined=quarantined,
        classes=len(labels) if linter.settings.classification else 0,
        by_status={status: statuses[status] for status in Status},
        by_split={split: splits[split] for split in Split},
        tokens=sum(tokens),
        exported=exported.count(True),
        exported_tokens=training_tokens + validation_tokens,
        training=trained.count(True),
        tokens_per_epoch=training_tokens,
        validation=validating.count(True),
        validation_tokens=validation_tokens,
        over_limit=sum(n > limit for n in compress(tokens, exported)),
        token_limit=limit,
    )
