"""Where a job is at any moment, derived from its stored timestamps.

A job spends the first 15% of its duration validating files, the next 15% queued and the
rest running, then succeeds; a failed validation ends it at the end of validation, and a
cancellation ends it when asked. Nothing else is stored, so the status, events and
checkpoints of a job read the same after a sandbox restart and keep moving with the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from tunedeck.core.sandbox.ids import stable_id
from tunedeck.core.sandbox.metrics import at, sampled_steps, total_steps

_VALIDATING, _QUEUED = 0.15, 0.15  # fractions of the job's duration
_MAX_STEP_EVENTS = 100  # OpenAI reports every step of a small job; a large one is sampled
_KEPT_CHECKPOINTS = 3  # OpenAI keeps the checkpoints of the last three epochs


@dataclass(frozen=True)
class Phases:
    """The moments a job moves on (Unix time)."""

    created: float
    validated: float
    started: float
    finished: float

    @classmethod
    def of(cls, job: dict) -> Phases:
        created, duration = job["created_at"], job["duration"]
        validated = created + _VALIDATING * duration
        return cls(created, validated, validated + _QUEUED * duration, created + duration)

    def step_time(self, step: int, steps: int) -> float:
        """When a training step ends: steps are spread evenly over the running phase."""
        return self.started + (self.finished - self.started) * step / steps


def status(job: dict, now: float) -> str:
    """validating_files, queued, running, succeeded, failed or cancelled."""
    phases = Phases.of(job)
    if job.get("cancelled_at") is not None:
        return "cancelled"
    if now < phases.validated:
        return "validating_files"
    if job.get("failure"):
        return "failed"
    if now < phases.started:
        return "queued"
    return "running" if now < phases.finished else "succeeded"


def finished_at(job: dict, now: float) -> float | None:
    """When the job reached its final status, or None while it is still going."""
    state = status(job, now)
    if state == "cancelled":
        return job["cancelled_at"]
    if state == "failed":
        return Phases.of(job).validated
    return Phases.of(job).finished if state == "succeeded" else None


def events(job: dict, now: float) -> list[dict]:
    """The job's events so far, newest first, as FineTuningJobEvent objects."""
    phases = Phases.of(job)
    cutoff = min(now, job.get("cancelled_at") or now)
    listed = []
    for index, (moment, level, message, data) in enumerate(_history(job, phases)):
        if moment <= cutoff:
            listed.append(_event(job, index, moment, level, message, data))
    if job.get("cancelled_at") is not None:
        listed.append(_event(job, 10**6, job["cancelled_at"], "info", "Fine-tuning job cancelled"))
    listed.reverse()
    return listed


def checkpoints(job: dict, now: float) -> list[dict]:
    """The checkpoints saved so far (the last three epochs' ends), newest first."""
    if job.get("failure"):
        return []
    phases, steps = Phases.of(job), total_steps(job)
    cutoff = min(now, job.get("cancelled_at") or now)
    saved = []
    for step in reversed(_saved_steps(job)):
        moment = phases.step_time(step, steps)
        if moment > cutoff:
            continue
        row = at(job, step)
        name = (
            job["fine_tuned_model"]
            if step == steps
            else f"{job['fine_tuned_model']}:ckpt-step-{step}"
        )
        saved.append(
            {
                "object": "fine_tuning.job.checkpoint",
                "id": stable_id("ftckpt_", job["id"], step),
                "created_at": int(moment),
                "fine_tuned_model_checkpoint": name,
                "fine_tuning_job_id": job["id"],
                "step_number": step,
                "metrics": {
                    "step": float(step),
                    "train_loss": row.train_loss,
                    "train_mean_token_accuracy": row.train_accuracy,
                    "valid_loss": row.valid_loss,
                    "valid_mean_token_accuracy": row.valid_accuracy,
                    "full_valid_loss": row.valid_loss,
                    "full_valid_mean_token_accuracy": row.valid_accuracy,
                },
            }
        )
    return saved


def _history(job: dict, phases: Phases):
    """Every event the job will ever have, oldest first: (time, level, message, data)."""
    files = f"Validating training file: {job['training_file']}"
    if job.get("validation_file"):
        files += f" and validation file: {job['validation_file']}"
    yield phases.created, "info", f"Created fine-tuning job: {job['id']}", None
    yield phases.created, "info", files, None
    if job.get("failure"):
        yield phases.validated, "error", job["failure"]["message"], None
        return
    yield phases.validated, "info", "Files validated, moving job to queued state", None
    yield phases.started, "info", "Fine-tuning job started", None
    steps = total_steps(job)
    saved = _saved_steps(job)
    reported = set(sampled_steps(steps, _MAX_STEP_EVENTS))
    for step in sorted(reported | set(saved)):
        moment = phases.step_time(step, steps)
        if step in reported:
            row = at(job, step)
            message = f"Step {step}/{steps}: training loss={row.train_loss:.2f}"
            if row.valid_loss is not None:
                message += f", validation loss={row.valid_loss:.2f}"
            yield moment, "info", message, row.as_data(steps)
        if step in saved:
            yield moment, "info", f"Checkpoint created at step {step}", None
    yield phases.finished, "info", f"New fine-tuned model created: {job['fine_tuned_model']}", None
    yield phases.finished, "info", "The job has successfully completed", None


def _saved_steps(job: dict) -> list[int]:
    """The steps whose checkpoints are kept: the ends of the last three epochs, oldest first."""
    epochs = job["resolved"]["n_epochs"]
    per_epoch = total_steps(job) // epochs
    return [
        per_epoch * epoch for epoch in range(max(1, epochs - _KEPT_CHECKPOINTS + 1), epochs + 1)
    ]


def _event(job: dict, index: int, moment: float, level: str, message: str, data=None) -> dict:
    return {
        "object": "fine_tuning.job.event",
        "id": stable_id("ftevent-", job["id"], index),
        "created_at": int(moment),
        "level": level,
        "message": message,
        "data": data or {},
        "type": "metrics" if data else "message",
    }
