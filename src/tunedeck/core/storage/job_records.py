"""What the store hands out about fine-tuning: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

FINISHED = ("succeeded", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class Launch:
    """An intent to create a job, recorded before the provider was asked."""

    intent_id: str
    profile: str
    dataset_id: int | None
    fingerprint: str
    request: dict[str, Any]
    created_at: datetime
    created_by: str
    job_id: str | None


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job as the provider last reported it, with where it came from."""

    profile: str
    job_id: str
    status: str
    base_model: str
    fine_tuned_model: str | None
    created_at: datetime
    finished_at: datetime | None
    snapshot: dict[str, Any]
    intent_id: str | None
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True, slots=True)
class StoredEvent:
    event_id: str
    created_at: datetime
    level: str
    message: str


@dataclass(frozen=True, slots=True)
class StoredMetric:
    step: int
    train_loss: float | None
    train_accuracy: float | None
    valid_loss: float | None
    valid_accuracy: float | None
