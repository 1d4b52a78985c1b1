"""A job record as JSON for the project, and back, so the jobs view can show it offline."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from tunedeck.core.remote.records import Hyperparameters, Job, JobError


def job_snapshot(job: Job) -> dict[str, Any]:
    data = dataclasses.asdict(job)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    data["metadata"] = [list(pair) for pair in job.metadata]
    data["result_files"] = list(job.result_files)
    return data


def job_from_snapshot(data: dict[str, Any]) -> Job:
    values = dict(data)
    for key in ("created_at", "finished_at", "estimated_finish"):
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    values["hyperparameters"] = Hyperparameters(**(values.get("hyperparameters") or {}))
    values["metadata"] = tuple(tuple(pair) for pair in values.get("metadata") or ())
    values["result_files"] = tuple(values.get("result_files") or ())
    error = values.get("error")
    values["error"] = JobError(**error) if error else None
    known = {field.name for field in dataclasses.fields(Job)}
    return Job(**{key: value for key, value in values.items() if key in known})
