"""Every sandbox response parses strictly into the openai SDK's own types, on both services.

The clients validate each response (`_strict_response_validation`), and the raw JSON is
validated again with pydantic's strict mode, so a missing required field or a wrongly typed
one fails here rather than in TuneDeck.
"""

from __future__ import annotations

import re
import time

import pytest
from openai import OpenAI
from openai.types import Completion, FileDeleted, FileObject, Model, ModelDeleted
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent
from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint

from tests.core.sandbox.conftest import (
    CLIPPY,
    CLIPPY_VALID,
    DBPEDIA,
    finished,
    http,
    upload,
    wait_for,
)
from tunedeck.core.sandbox import Sandbox

ARM = (
    "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct"
    "/deployments/{name}?api-version=2023-05-01"
)


def strict(model_type, raw) -> None:
    """Validate a raw response's JSON against an SDK type in pydantic's strict mode."""
    model_type.model_validate(raw.http_response.json(), strict=True)


def each_strict(model_type, raw) -> list:
    data = raw.http_response.json()["data"]
    for item in data:
        model_type.model_validate(item, strict=True)
    return data


def chat_model(sandbox: Sandbox, client: OpenAI, model: str) -> str:
    """What to pass as `model`: the model on OpenAI, a deployment of it on Azure."""
    if client.base_url.path.startswith("/v1"):
        return model
    name = "dep-" + re.sub(r"[^A-Za-z0-9]+", "-", model)
    status, _ = http(sandbox, "PUT", ARM.format(name=name), {
        "sku": {"name": "standard", "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": model, "version": "1"}},
    })  # fmt: skip
    assert status == 201

    def state() -> str:
        return http(sandbox, "GET", ARM.format(name=name))[1]["properties"]["provisioningState"]

    deadline = time.monotonic() + 10
    while state() != "Succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return name


def test_models(any_client: OpenAI) -> None:
    listed = each_strict(Model, any_client.models.with_raw_response.list())
    assert {"gpt-4o-mini-2024-07-18", "babbage-002", "davinci-002"} <= {m["id"] for m in listed}
    strict(Model, any_client.models.with_raw_response.retrieve("gpt-4.1-nano-2025-04-14"))


def test_files(any_client: OpenAI) -> None:
    raw = any_client.files.with_raw_response.create(
        file=(CLIPPY.name, CLIPPY.read_bytes()), purpose="fine-tune"
    )
    strict(FileObject, raw)
    file_id = raw.parse().id
    strict(FileObject, any_client.files.with_raw_response.retrieve(file_id))
    assert [
        f["id"] for f in each_strict(FileObject, any_client.files.with_raw_response.list())
    ] == [file_id]
    assert any_client.files.content(file_id).read() == CLIPPY.read_bytes()
    strict(FileDeleted, any_client.files.with_raw_response.delete(file_id))


def test_jobs_events_checkpoints_and_tuned_models(sandbox: Sandbox, any_client: OpenAI) -> None:
    training, validation = upload(any_client, CLIPPY), upload(any_client, CLIPPY_VALID)
    raw = any_client.fine_tuning.jobs.with_raw_response.create(
        model="gpt-4o-mini", training_file=training.id, validation_file=validation.id,
        suffix="contract", metadata={"intent": "contract-1"},
    )  # fmt: skip
    strict(FineTuningJob, raw)
    job = wait_for(any_client, raw.parse().id, finished)
    strict(FineTuningJob, any_client.fine_tuning.jobs.with_raw_response.retrieve(job.id))
    each_strict(FineTuningJob, any_client.fine_tuning.jobs.with_raw_response.list())
    events = each_strict(
        FineTuningJobEvent, any_client.fine_tuning.jobs.with_raw_response.list_events(job.id)
    )
    assert any(event["type"] == "metrics" for event in events)
    each_strict(
        FineTuningJobCheckpoint,
        any_client.fine_tuning.jobs.checkpoints.with_raw_response.list(job.id),
    )
    strict(Model, any_client.models.with_raw_response.retrieve(job.fine_tuned_model))
    strict(FileObject, any_client.files.with_raw_response.retrieve(job.result_files[0]))
    strict(ModelDeleted, any_client.models.with_raw_response.delete(job.fine_tuned_model))


def test_cancelled_job(any_client: OpenAI) -> None:
    training = upload(any_client, CLIPPY)
    job = any_client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id)
    strict(FineTuningJob, any_client.fine_tuning.jobs.with_raw_response.cancel(job.id))


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_chat_completions(sandbox: Sandbox, any_client: OpenAI, stream: bool) -> None:
    model = chat_model(sandbox, any_client, "gpt-4o-mini")
    messages = [{"role": "user", "content": "Hello"}]
    if not stream:
        raw = any_client.chat.completions.with_raw_response.create(model=model, messages=messages)
        strict(ChatCompletion, raw)
        return
    chunks = list(
        any_client.chat.completions.create(
            model=model, messages=messages, stream=True, stream_options={"include_usage": True}
        )
    )
    for chunk in chunks:
        ChatCompletionChunk.model_validate(chunk.model_dump(exclude_unset=True), strict=True)
    assert chunks[-1].usage is not None and chunks[-2].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_legacy_completions(sandbox: Sandbox, any_client: OpenAI, stream: bool) -> None:
    training = upload(any_client, DBPEDIA)
    job = any_client.fine_tuning.jobs.create(model="babbage-002", training_file=training.id)
    model = chat_model(sandbox, any_client, wait_for(any_client, job.id, finished).fine_tuned_model)
    if not stream:
        strict(
            Completion, any_client.completions.with_raw_response.create(model=model, prompt="Hi")
        )
        return
    chunks = list(any_client.completions.create(model=model, prompt="Hi", stream=True))
    for chunk in chunks:
        Completion.model_validate(chunk.model_dump(exclude_unset=True), strict=True)
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
