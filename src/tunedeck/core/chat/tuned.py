"""The models a project has tuned, and how any model expects to be asked.

A job launched from this project left its export's conventions in the launch record
(separator, stop sequence, system message); those are what the chat tab must honour. A
model nothing was recorded for is asked plainly, by its kind: a legacy completion model
continues a prompt, anything else (an unknown name, an Azure deployment) chats.
"""

from __future__ import annotations

from dataclasses import dataclass

from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind, model_info
from tunedeck.core.storage.job_store import JobStore


@dataclass(frozen=True)
class TunedModel:
    """A fine-tuned model one of the project's jobs produced."""

    name: str
    base_model: str
    job_id: str
    fmt: TrainingFormat | None  # None: the job was not launched from this project


def tuned_models(jobs: JobStore, profile_id: str) -> list[TunedModel]:
    """The profile's fine-tuned models known to the project, newest first."""
    found = []
    for job in jobs.jobs(profile_id):
        if job.status != "succeeded" or not job.fine_tuned_model:
            continue
        launch = jobs.launch_of(profile_id, job.job_id)
        export = (launch.request or {}).get("export") if launch is not None else None
        fmt = TrainingFormat.from_record(export) if export else None
        found.append(TunedModel(job.fine_tuned_model, job.base_model, job.job_id, fmt))
    return found


def plain_format(model: str) -> TrainingFormat:
    """How to ask a model with no recorded training: by its kind, chat when unknown."""
    try:
        kind = model_info(model).kind
    except UserError:
        kind = ModelKind.CHAT
    return TrainingFormat(kind)


def format_of(jobs: JobStore, profile_id: str, model: str) -> TrainingFormat:
    """The way to ask `model`: as it was trained when the project tuned it, plainly else."""
    for tuned in tuned_models(jobs, profile_id):
        if tuned.name == model and tuned.fmt is not None:
            return tuned.fmt
    return plain_format(model)


def describe_format(fmt: TrainingFormat) -> dict[str, str | None]:
    """A format as JSON-able data that TrainingFormat.from_record reads back."""
    return {
        "format": fmt.kind.value,
        "separator": fmt.separator,
        "stop": fmt.stop,
        "system_message": fmt.system_message,
    }
