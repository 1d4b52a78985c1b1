"""What the user chose to export: for which model, which examples, and how to split them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tunedeck.core.models import ModelKind, model_info
from tunedeck.core.storage.records import Split


class Which(StrEnum):
    APPROVED = "approved"  # only what a reviewer approved
    NOT_REJECTED = "not-rejected"  # approved and unreviewed; never rejected or needs-work


class SplitSource(StrEnum):
    ASSIGNED = "assigned"  # the reviewers' own train/validation assignments
    PROPOSED = "proposed"  # a stratified proposal (stats.propose_split), not applied


@dataclass(frozen=True)
class ExportOptions:
    """Everything that decides the bytes of an export, so that its fingerprint covers it.

    Attributes:
        model: The base model to train; its kind decides the format.
        which: Which review statuses are written.
        system_message: For a chat export of prompt/completion pairs: the system message
            each converted example starts with (the chat tab locks to it later).
        split: SplitSource.ASSIGNED, or PROPOSED with `assignments` from a proposal.
        assignments: Row id -> TRAIN/VALIDATION for a proposed split.
        proposal: What produced the assignments (ratio, seed), kept for the record.
        byte_order_mark: Start each file with a UTF-8 BOM (Azure OpenAI requires one).
        min_examples: The provider's minimum training examples.
        max_bytes: The provider's largest accepted file.
    """

    model: str
    which: Which = Which.APPROVED
    system_message: str | None = None
    split: SplitSource = SplitSource.ASSIGNED
    assignments: Mapping[int, Split] = field(default_factory=dict)
    proposal: Mapping[str, float | int] = field(default_factory=dict)
    byte_order_mark: bool = False
    min_examples: int = 10
    max_bytes: int | None = None

    @property
    def kind(self) -> ModelKind:
        return model_info(self.model).kind

    def describe(self) -> dict[str, object]:
        """The options as JSON-able data, for the fingerprint and the launch record."""
        return {
            "model": self.model,
            "format": self.kind.value,
            "which": self.which.value,
            "system_message": self.system_message,
            "split": self.split.value,
            "proposal": dict(self.proposal),
            "byte_order_mark": self.byte_order_mark,
        }
