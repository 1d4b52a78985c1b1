"""Plain, frozen records the rest of TuneDeck gets from a provider, never the SDK's own types.

The openai SDK's pydantic models change shape between releases and drag the SDK into every
module that touches them; these records are what the UI, the jobs view and the project
database rely on instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

JOB_STATUSES_FINISHED = frozenset({"succeeded", "failed", "cancelled"})


@dataclass(frozen=True)
class RemoteFile:
    """A file the service holds, such as an uploaded training set or a job's result file."""

    id: str
    filename: str
    bytes: int
    purpose: str
    created_at: datetime | None = None
    status: str | None = None


@dataclass(frozen=True)
class Hyperparameters:
    """Supervised training settings; None means "let the service decide" (auto)."""

    n_epochs: int | None = None
    batch_size: int | None = None
    learning_rate_multiplier: float | None = None


@dataclass(frozen=True)
class JobSpec:
    """Everything needed to ask for a fine-tuning job, before any file is uploaded."""

    base_model: str
    suffix: str | None = None
    seed: int | None = None
    hyperparameters: Hyperparameters = field(default_factory=Hyperparameters)
    metadata: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class JobError:
    """Why a job failed, in the service's words."""

    code: str
    message: str
    param: str | None = None


@dataclass(frozen=True)
class Job:
    """A fine-tuning job as the service last reported it."""

    id: str
    status: str
    base_model: str
    created_at: datetime
    training_file: str
    validation_file: str | None = None
    fine_tuned_model: str | None = None
    finished_at: datetime | None = None
    estimated_finish: datetime | None = None
    trained_tokens: int | None = None
    seed: int | None = None
    hyperparameters: Hyperparameters = field(default_factory=Hyperparameters)
    result_files: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    error: JobError | None = None

    @property
    def finished(self) -> bool:
        """True once the job can no longer change: succeeded, failed or cancelled."""
        return self.status in JOB_STATUSES_FINISHED


@dataclass(frozen=True)
class JobEvent:
    """One line of a job's log."""

    id: str
    created_at: datetime
    level: str
    message: str
    kind: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    """A model saved part-way through training, usable like the final one."""

    id: str
    job_id: str
    model: str
    step: int
    created_at: datetime
    train_loss: float | None = None
    train_accuracy: float | None = None
    valid_loss: float | None = None
    valid_accuracy: float | None = None


@dataclass(frozen=True)
class MetricsPoint:
    """One row of a job's result file: the losses and accuracies at one training step."""

    step: int
    train_loss: float | None = None
    train_accuracy: float | None = None
    valid_loss: float | None = None
    valid_accuracy: float | None = None
    full_valid_loss: float | None = None
    full_valid_accuracy: float | None = None


@dataclass(frozen=True)
class ChatDelta:
    """A piece of a streamed answer, in arrival order."""

    text: str
    index: int = 0


@dataclass(frozen=True)
class ChatReply:
    """A finished answer, whether it arrived streamed or all at once."""

    model: str
    text: str
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class ModelInfo:
    """A model the profile can use, with what we know about training it and retiring it."""

    id: str
    owned_by: str | None = None
    created_at: datetime | None = None
    fine_tunable: bool = False
    fine_tuned: bool = False
    base_model: str | None = None
    shutdown_on: date | None = None
    retirement_source: str | None = None


@dataclass(frozen=True)
class Deployment:
    """An Azure OpenAI deployment: the name chat calls use for a model."""

    name: str
    model: str
    state: str | None = None
    sku: str | None = None
    capacity: int | None = None

    @property
    def ready(self) -> bool:
        """True when Azure has finished creating it and it answers."""
        return self.state == "Succeeded"
