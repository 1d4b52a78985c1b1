"""/v1/fine_tuning/jobs: create, list, retrieve, cancel, events and checkpoints.

A create request is checked the way OpenAI checks it, so a bad request fails at once with a
400 naming the parameter. A training file with fewer than 10 examples is accepted, and the
job then fails while validating files, as on OpenAI.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tunedeck.core.sandbox import hyperparameters, timeline
from tunedeck.core.sandbox.catalog import CHAT, ORG_SLUG, ORGANIZATION, base_model
from tunedeck.core.sandbox.errors import invalid, missing, openai_error, wrong_type
from tunedeck.core.sandbox.ids import new_id, stable_id
from tunedeck.core.sandbox.paging import page
from tunedeck.core.sandbox.protocol import Request, Response

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService

MIN_EXAMPLES = 10
_MAX_SUFFIX, _MAX_METADATA, _MAX_KEY, _MAX_VALUE = 64, 16, 64, 512
_FORMATS = {CHAT: "chat (messages)", "completion": "prompt/completion"}


def create(service: SandboxService, request: Request) -> Response:
    body = request.json()
    model = _model(body)
    training = _file(service, body, "training_file", required=True)
    validation = _file(service, body, "validation_file", required=False)
    asked = hyperparameters.requested(body)
    suffix = _suffix(body.get("suffix"))
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise wrong_type("seed", "an integer", seed)
    metadata = _metadata(body.get("metadata"))
    for param, record in (("training_file", training), ("validation_file", validation)):
        if record is not None and record["format"] != model.format:
            raise invalid(
                f"File {record['id']} is in the {_FORMATS[record['format']]} format, but "
                f"{model.id} is trained on the {_FORMATS[model.format]} format. Upload a file "
                "in that format or choose another model.",
                param,
                "invalid_file_format",
            )
    job_id = new_id("ftjob-")
    job = {
        "id": job_id,
        "created_at": request.now,
        "duration": service.job_seconds,
        "model": model.id,
        "format": model.format,
        "training_file": training["id"],
        "validation_file": validation["id"] if validation else None,
        "examples": training["examples"],
        "tokens": training["tokens"],
        "requested": asked,
        "resolved": hyperparameters.resolve(asked, training["examples"]),
        "suffix": suffix,
        "seed": random.randrange(2**31) if seed is None else seed,
        "metadata": metadata,
        "integrations": body.get("integrations") or [],
        "failure": _too_few(training),
        "cancelled_at": None,
        "fine_tuned_model": f"ft:{model.id}:{ORG_SLUG}:{suffix or ''}:{new_id('', 8)}",
        "result_file": stable_id("file-", job_id, "results", length=22),
        "settled": False,
    }
    service.state.jobs[job_id] = job
    service.state.save("jobs")
    return Response(body=job_object(job, request.now))


def list_jobs(service: SandboxService, request: Request) -> Response:
    wanted = {
        key[len("metadata[") : -1]: values[0]
        for key, values in request.query.items()
        if key.startswith("metadata[") and key.endswith("]")
    }
    jobs = [
        job
        for job in reversed(service.state.jobs.values())
        if all((job.get("metadata") or {}).get(k) == v for k, v in wanted.items())
    ]
    objects = [job_object(job, request.now) for job in jobs]
    return Response(body=page(objects, request, default=20))


def retrieve(service: SandboxService, request: Request, job_id: str) -> Response:
    return Response(body=job_object(find(service, job_id), request.now))


def cancel(service: SandboxService, request: Request, job_id: str) -> Response:
    job = find(service, job_id)
    state = timeline.status(job, request.now)
    if state in ("succeeded", "failed"):
        raise invalid(
            f"Job {job_id} has already {state}; only a job that is validating files, queued "
            "or running can be cancelled.",
            "fine_tuning_job_id",
        )
    if state != "cancelled":
        job["cancelled_at"] = request.now
        service.state.save("jobs")
    return Response(body=job_object(job, request.now))


def events(service: SandboxService, request: Request, job_id: str) -> Response:
    return Response(body=page(timeline.events(find(service, job_id), request.now), request, 20))


def checkpoints(service: SandboxService, request: Request, job_id: str) -> Response:
    saved = timeline.checkpoints(find(service, job_id), request.now)
    return Response(body=page(saved, request, default=10))


def find(service: SandboxService, job_id: str) -> dict:
    """The stored job, or a 404 in OpenAI's words."""
    job = service.state.jobs.get(job_id)
    if job is None:
        raise openai_error(
            404,
            f"Could not find fine-tuning job: {job_id}",
            param="fine_tuning_job_id",
            code="fine_tuning_job_not_found",
        )
    return job


def job_object(job: dict, now: float) -> dict:
    """The FineTuningJob object for a stored job as it stands at `now`."""
    state = timeline.status(job, now)
    finished = timeline.finished_at(job, now)
    started = now >= timeline.Phases.of(job).started and not job.get("failure")
    # OpenAI echoes "auto" until the job starts, then reports the numbers it chose.
    settings = job["resolved"] if started else job["requested"]
    succeeded = state == "succeeded"
    return {
        "object": "fine_tuning.job",
        "id": job["id"],
        "created_at": int(job["created_at"]),
        "error": job["failure"] if state == "failed" else None,
        "fine_tuned_model": job["fine_tuned_model"] if succeeded else None,
        "finished_at": None if finished is None else int(finished),
        "hyperparameters": settings,
        "method": {"type": "supervised", "supervised": {"hyperparameters": settings}},
        "model": job["model"],
        "organization_id": ORGANIZATION,
        "result_files": [job["result_file"]] if succeeded else [],
        "seed": job["seed"],
        "status": state,
        "trained_tokens": job["tokens"] * job["resolved"]["n_epochs"] if succeeded else None,
        "training_file": job["training_file"],
        "validation_file": job["validation_file"],
        "estimated_finish": None if finished is not None else int(timeline.Phases.of(job).finished),
        "integrations": job["integrations"],
        "metadata": job["metadata"],
        "user_provided_suffix": job["suffix"],
    }


def _model(body: dict):
    name = body.get("model")
    if name is None:
        raise missing("model")
    if not isinstance(name, str):
        raise wrong_type("model", "a string", name)
    model = base_model(name)
    if model is None or not model.fine_tunable:
        raise invalid(
            f"Model {name} is not available for fine-tuning or does not exist.",
            "model",
            "model_not_available",
        )
    return model


def _file(service: SandboxService, body: dict, param: str, *, required: bool) -> dict | None:
    file_id = body.get(param)
    if file_id is None:
        if required:
            raise missing(param)
        return None
    if not isinstance(file_id, str):
        raise wrong_type(param, "a string", file_id)
    record = service.state.files.get(file_id)
    if record is None:
        raise invalid(f"invalid {param}: {file_id}", param)
    if record["purpose"] != "fine-tune":
        raise invalid(
            f"File {file_id} was uploaded with purpose '{record['purpose']}'; fine-tuning needs "
            "a file uploaded with purpose 'fine-tune'.",
            param,
        )
    return record


def _suffix(suffix: object) -> str | None:
    if suffix is None:
        return None
    if not isinstance(suffix, str):
        raise wrong_type("suffix", "a string", suffix)
    if len(suffix) > _MAX_SUFFIX:
        raise invalid(
            f"Invalid 'suffix': string too long. Expected a string with maximum length "
            f"{_MAX_SUFFIX}, but got a string with length {len(suffix)} instead.",
            "suffix",
            "string_above_max_length",
        )
    return suffix


def _metadata(metadata: object) -> dict | None:
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise wrong_type("metadata", "an object", metadata)
    if len(metadata) > _MAX_METADATA:
        raise invalid(
            f"Invalid 'metadata': too many properties. Expected an object with at most "
            f"{_MAX_METADATA} properties, but got an object with {len(metadata)} properties "
            "instead.",
            "metadata",
            "object_above_max_properties",
        )
    for key, value in metadata.items():
        if len(key) > _MAX_KEY or not isinstance(value, str) or len(value) > _MAX_VALUE:
            raise invalid(
                f"Invalid 'metadata.{key}': keys are strings of at most {_MAX_KEY} characters "
                f"and values strings of at most {_MAX_VALUE}.",
                f"metadata.{key}",
            )
    return metadata


def _too_few(training: dict) -> dict | None:
    if training["examples"] >= MIN_EXAMPLES:
        return None
    return {
        "code": "invalid_training_file",
        "param": "training_file",
        "message": (
            f"The job failed due to an invalid training file. Training file has "
            f"{training['examples']} example(s), but must have at least {MIN_EXAMPLES} examples."
        ),
    }
