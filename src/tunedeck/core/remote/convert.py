"""SDK objects in, TuneDeck records out (and job requests out): the one module that knows
the SDK's shapes.

Attributes are read with getattr and defaults, because OpenAI, Azure and compatible
servers each leave out different optional fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tunedeck.core.remote.records import (
    Checkpoint,
    Hyperparameters,
    Job,
    JobError,
    JobEvent,
    JobSpec,
    RemoteFile,
)


def timestamp(value: Any) -> datetime | None:
    """A Unix timestamp (seconds) as an aware UTC datetime; None stays None."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _auto(value: Any, kind: type) -> Any:
    # The service reports unset settings as "auto"; TuneDeck says None.
    if value is None or value == "auto":
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


def hyperparameters(raw: Any) -> Hyperparameters:
    """Training settings from a job or a method block."""
    if raw is None:
        return Hyperparameters()
    return Hyperparameters(
        n_epochs=_auto(getattr(raw, "n_epochs", None), int),
        batch_size=_auto(getattr(raw, "batch_size", None), int),
        learning_rate_multiplier=_auto(getattr(raw, "learning_rate_multiplier", None), float),
    )


def _job_hyperparameters(raw: Any) -> Hyperparameters:
    # Newer jobs report settings under method.supervised.hyperparameters; the top-level
    # field is deprecated but still the only one older servers fill.
    method = getattr(raw, "method", None)
    supervised = getattr(method, "supervised", None) if method is not None else None
    nested = getattr(supervised, "hyperparameters", None) if supervised is not None else None
    if nested is not None:
        return hyperparameters(nested)
    return hyperparameters(getattr(raw, "hyperparameters", None))


def metadata_pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    """Metadata as sorted (key, value) pairs, so records stay hashable."""
    if not raw:
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in dict(raw).items()))


def job(raw: Any) -> Job:
    """A Job record from the SDK's FineTuningJob."""
    error = getattr(raw, "error", None)
    job_error = None
    if error is not None and (getattr(error, "message", None) or getattr(error, "code", None)):
        job_error = JobError(
            code=str(getattr(error, "code", "") or ""),
            message=str(getattr(error, "message", "") or ""),
            param=getattr(error, "param", None),
        )
    return Job(
        id=raw.id,
        status=str(raw.status),
        base_model=str(raw.model),
        created_at=timestamp(raw.created_at) or datetime.fromtimestamp(0, tz=UTC),
        training_file=str(raw.training_file),
        validation_file=getattr(raw, "validation_file", None),
        fine_tuned_model=getattr(raw, "fine_tuned_model", None),
        finished_at=timestamp(getattr(raw, "finished_at", None)),
        estimated_finish=timestamp(getattr(raw, "estimated_finish", None)),
        trained_tokens=getattr(raw, "trained_tokens", None),
        seed=getattr(raw, "seed", None),
        hyperparameters=_job_hyperparameters(raw),
        result_files=tuple(getattr(raw, "result_files", None) or ()),
        metadata=metadata_pairs(getattr(raw, "metadata", None)),
        error=job_error,
    )


def event(raw: Any) -> JobEvent:
    """A JobEvent record from the SDK's FineTuningJobEvent."""
    return JobEvent(
        id=raw.id,
        created_at=timestamp(raw.created_at) or datetime.fromtimestamp(0, tz=UTC),
        level=str(getattr(raw, "level", "info")),
        message=str(getattr(raw, "message", "")),
        kind=getattr(raw, "type", None),
    )


def checkpoint(raw: Any) -> Checkpoint:
    """A Checkpoint record from the SDK's FineTuningJobCheckpoint."""
    metrics = getattr(raw, "metrics", None)

    def metric(name: str) -> float | None:
        value = getattr(metrics, name, None) if metrics is not None else None
        return None if value is None else float(value)

    return Checkpoint(
        id=raw.id,
        job_id=raw.fine_tuning_job_id,
        model=raw.fine_tuned_model_checkpoint,
        step=int(raw.step_number),
        created_at=timestamp(raw.created_at) or datetime.fromtimestamp(0, tz=UTC),
        train_loss=metric("train_loss"),
        train_accuracy=metric("train_mean_token_accuracy"),
        valid_loss=metric("valid_loss"),
        valid_accuracy=metric("valid_mean_token_accuracy"),
    )


def remote_file(raw: Any) -> RemoteFile:
    """A RemoteFile record from the SDK's FileObject."""
    return RemoteFile(
        id=raw.id,
        filename=str(getattr(raw, "filename", "") or ""),
        bytes=int(getattr(raw, "bytes", 0) or 0),
        purpose=str(getattr(raw, "purpose", "") or ""),
        created_at=timestamp(getattr(raw, "created_at", None)),
        status=getattr(raw, "status", None),
    )


def job_create_params(
    spec: JobSpec,
    training_file: str,
    validation_file: str | None,
    extra_metadata: Mapping[str, str] | None = None,
    *,
    top_level_hyperparameters: bool = False,
) -> dict[str, Any]:
    """The keyword arguments of `jobs.create` for a supervised job; unset settings are left
    out so the service applies its own "auto".

    OpenAI wants settings under `method`; Azure's GA API versions document only the older
    top-level `hyperparameters`, which OpenAI still accepts too.
    """
    settings = spec.hyperparameters
    hyper = {
        name: value
        for name, value in (
            ("n_epochs", settings.n_epochs),
            ("batch_size", settings.batch_size),
            ("learning_rate_multiplier", settings.learning_rate_multiplier),
        )
        if value is not None
    }
    params: dict[str, Any] = {"model": spec.base_model, "training_file": training_file}
    if top_level_hyperparameters:
        if hyper:
            params["hyperparameters"] = hyper
    else:
        params["method"] = {"type": "supervised", "supervised": {"hyperparameters": hyper}}
    metadata = {**dict(spec.metadata), **dict(extra_metadata or {})}
    optional = (
        ("validation_file", validation_file),
        ("suffix", spec.suffix),
        ("seed", spec.seed),
        ("metadata", metadata or None),
    )
    params.update((name, value) for name, value in optional if value is not None)
    return params
