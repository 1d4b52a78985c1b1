"""/v1/models: the base models plus every model the sandbox has fine-tuned.

A fine-tuned model exists from the moment its job succeeds until it is deleted; its name is
OpenAI's `ft:BASE:ORG:SUFFIX:ID` with the organization "sandbox". A checkpoint's name
(`...:ckpt-step-N`) answers too, as on OpenAI, but is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tunedeck.core.sandbox import timeline
from tunedeck.core.sandbox.catalog import (
    ORGANIZATION,
    azure_extras,
    base_model,
    base_model_objects,
    model_object,
)
from tunedeck.core.sandbox.errors import model_not_found, openai_error
from tunedeck.core.sandbox.protocol import Request, Response, listing

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService


@dataclass(frozen=True)
class Target:
    """A model a request can talk to.

    Attributes:
        name: The name responses report (an alias resolves to its snapshot).
        format: "chat" or "completion".
        job: The job that trained it; None for a base model.
    """

    name: str
    format: str
    job: dict | None = None


def tuned_models(service: SandboxService, now: float) -> dict[str, dict]:
    """Every fine-tuned model that exists now, by name, with the job that made it."""
    return {
        job["fine_tuned_model"]: job
        for job in service.state.jobs.values()
        if timeline.status(job, now) == "succeeded"
        and job["fine_tuned_model"] not in service.state.deleted_models
    }


def resolve(service: SandboxService, name: str, now: float) -> Target:
    """The model `name` stands for.

    Raises:
        ApiError: OpenAI's 404 model_not_found for a name that does not exist (any more).
    """
    model = base_model(name)
    if model is not None:
        return Target(model.id, model.format)
    tuned = tuned_models(service, now)
    job = tuned.get(name)
    if job is None and ":ckpt-step-" in name:
        job = tuned.get(name.rsplit(":ckpt-step-", 1)[0])
        saved = (
            {c["fine_tuned_model_checkpoint"] for c in timeline.checkpoints(job, now)}
            if job
            else ()
        )
        job = job if name in saved else None
    if job is None:
        raise model_not_found(name)
    return Target(name, job["format"], job)


def list_models(service: SandboxService, request: Request) -> Response:
    models = base_model_objects(request.azure)
    models += [_tuned_object(job, request) for job in tuned_models(service, request.now).values()]
    body = listing(models)
    del body["has_more"]  # /v1/models is not paginated
    return Response(body=body)


def retrieve(service: SandboxService, request: Request, model: str) -> Response:
    if base_model(model) is not None:
        found = next(m for m in base_model_objects(request.azure) if m["id"] == model)
        return Response(body=found)
    job = tuned_models(service, request.now).get(model)
    if job is None:
        raise model_not_found(model)
    return Response(body=_tuned_object(job, request))


def delete(service: SandboxService, request: Request, model: str) -> Response:
    if base_model(model) is not None:
        raise openai_error(
            403,
            f"You have insufficient permissions to delete the base model {model}; only "
            "fine-tuned models can be deleted.",
            kind="invalid_request_error",
            code="insufficient_permissions",
        )
    if model not in tuned_models(service, request.now):
        raise model_not_found(model)
    service.state.deleted_models[model] = request.now
    service.state.save("deleted_models")
    return Response(body={"id": model, "object": "model", "deleted": True})


def _tuned_object(job: dict, request: Request) -> dict:
    created = int(timeline.Phases.of(job).finished)
    extras = {}
    if request.azure:
        extras = azure_extras(job["format"], created, fine_tunable=False, job=job)
    return model_object(job["fine_tuned_model"], created, ORGANIZATION, **extras)
