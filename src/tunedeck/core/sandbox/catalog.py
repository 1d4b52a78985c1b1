"""The base models the sandbox knows, as OpenAI lists them, and what each one can do.

The creation times are the ones OpenAI's /v1/models reports for these snapshots. An alias
("gpt-4o-mini") resolves to its dated snapshot, as on OpenAI: a job created with the alias
reports the snapshot as its model.
"""

from __future__ import annotations

from dataclasses import dataclass

CHAT, COMPLETION = "chat", "completion"


@dataclass(frozen=True)
class BaseModel:
    """One base model.

    Attributes:
        id: The dated snapshot name.
        created: Unix time OpenAI gives as its creation.
        format: "chat" (trained on and answering messages) or "completion" (legacy prompts).
        fine_tunable: Whether fine-tuning jobs accept it.
    """

    id: str
    created: int
    format: str
    fine_tunable: bool = True


BASE_MODELS: dict[str, BaseModel] = {
    model.id: model
    for model in (
        BaseModel("gpt-4.1-2025-04-14", 1744315746, CHAT),
        BaseModel("gpt-4.1-mini-2025-04-14", 1744317547, CHAT),
        BaseModel("gpt-4.1-nano-2025-04-14", 1744321707, CHAT),
        BaseModel("gpt-4o-mini-2024-07-18", 1721172717, CHAT),
        BaseModel("gpt-4o-2024-08-06", 1722814719, CHAT),
        BaseModel("gpt-3.5-turbo-0125", 1706048358, CHAT),
        BaseModel("babbage-002", 1692634615, COMPLETION),
        BaseModel("davinci-002", 1692634301, COMPLETION),
        # Answers chat, but fine-tuning refuses it: the case a user meets by picking the
        # wrong snapshot.
        BaseModel("gpt-4-turbo-2024-04-09", 1712601677, CHAT, fine_tunable=False),
    )
}

ALIASES = {
    "gpt-4.1": "gpt-4.1-2025-04-14",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-3.5-turbo": "gpt-3.5-turbo-0125",
    "gpt-4-turbo": "gpt-4-turbo-2024-04-09",
}

OWNER = "system"  # what OpenAI reports as owned_by for its own models
ORGANIZATION = "org-sandbox"  # the organization every sandbox object belongs to
ORG_SLUG = "sandbox"  # the organization's part of a fine-tuned model's name


def base_model(name: str) -> BaseModel | None:
    """The base model a name (snapshot or alias) stands for, or None."""
    return BASE_MODELS.get(ALIASES.get(name, name))


def model_object(model_id: str, created: int, owned_by: str, **azure: object) -> dict:
    """A Model object; Azure's extra fields are added when the request came by Azure paths."""
    return {"id": model_id, "object": "model", "created": created, "owned_by": owned_by, **azure}


def azure_extras(fmt: str, created: int, *, fine_tunable: bool, job: dict | None = None) -> dict:
    """The fields Azure's model list adds (capabilities, lifecycle; base model and job for a
    fine-tuned one)."""
    extras = {
        "created_at": created,
        "status": "succeeded",
        "lifecycle_status": "generally-available",
        "capabilities": {
            "fine_tune": fine_tunable and job is None,
            "inference": True,
            "chat_completion": fmt == CHAT,
            "completion": fmt == COMPLETION,
            "embeddings": False,
        },
    }
    if job is not None:
        extras.update(model=job["model"], fine_tune=job["id"])
    return extras


def base_model_objects(azure: bool) -> list[dict]:
    """Every base model and alias as a Model object (aliases share their snapshot's fields)."""
    named = [*BASE_MODELS.items(), *((alias, BASE_MODELS[id_]) for alias, id_ in ALIASES.items())]
    objects = []
    for name, model in named:
        extras = {}
        if azure:
            extras = azure_extras(model.format, model.created, fine_tunable=model.fine_tunable)
        objects.append(model_object(name, model.created, OWNER, **extras))
    return objects
