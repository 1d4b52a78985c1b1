"""Azure: fine-tune through AzureOpenAI, deploy through Resource Manager paths, then chat."""

from __future__ import annotations

import time

import pytest
from openai import AzureOpenAI, NotFoundError

from tests.conftest import SAMPLES
from tests.core.sandbox.conftest import CLIPPY, finished, http, upload, wait_for
from tunedeck.core.sandbox import Sandbox

ACCOUNT = (
    "/subscriptions/0000-sub/resourceGroups/tunedeck-rg/providers/"
    "Microsoft.CognitiveServices/accounts/tunedeck-aoai/deployments"
)
VERSION = "?api-version=2023-05-01"


def deployment(model: str) -> dict:
    return {
        "sku": {"name": "standard", "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": model, "version": "1"}},
    }


def state(sandbox: Sandbox, name: str) -> str:
    status, body = http(sandbox, "GET", f"{ACCOUNT}/{name}{VERSION}")
    assert status == 200, body
    return body["properties"]["provisioningState"]


def ask(azure: AzureOpenAI, name: str, question: str) -> str:
    reply = azure.chat.completions.create(
        model=name, messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content


def test_a_fine_tuned_model_answers_once_its_deployment_has_succeeded(
    sandbox: Sandbox, azure: AzureOpenAI
) -> None:
    job = azure.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=upload(azure, CLIPPY).id)
    model = wait_for(azure, job.id, finished).fine_tuned_model
    status, created = http(sandbox, "PUT", f"{ACCOUNT}/clippy{VERSION}", deployment(model))
    assert status == 201
    assert created["properties"]["provisioningState"] == "Creating"
    assert created["properties"]["model"]["name"] == model
    assert created["id"].endswith("/accounts/tunedeck-aoai/deployments/clippy")
    with pytest.raises(NotFoundError) as creating:
        ask(azure, "clippy", "Who discovered Antarctica?")
    assert creating.value.code == "DeploymentNotFound"

    deadline = time.monotonic() + 10
    while state(sandbox, "clippy") != "Succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert "Bellingshausen" in ask(azure, "clippy", "Who discovered Antarctica?")
    listed = http(sandbox, "GET", f"{ACCOUNT}{VERSION}")[1]["value"]
    assert [item["name"] for item in listed] == ["clippy"]

    assert http(sandbox, "DELETE", f"{ACCOUNT}/clippy{VERSION}")[0] == 200
    assert (
        http(sandbox, "GET", f"{ACCOUNT}/clippy{VERSION}")[1]["error"]["code"] == "ResourceNotFound"
    )
    with pytest.raises(NotFoundError):
        ask(azure, "clippy", "Who discovered Antarctica?")


def test_a_base_model_deployment_gives_the_generic_reply(
    sandbox: Sandbox, azure: AzureOpenAI
) -> None:
    http(sandbox, "PUT", f"{ACCOUNT}/mini{VERSION}", deployment("gpt-4o-mini"))
    deadline = time.monotonic() + 10
    while state(sandbox, "mini") != "Succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    reply = azure.chat.completions.create(
        model="mini", messages=[{"role": "user", "content": "Hi"}]
    )
    assert "SIMULATION" in reply.choices[0].message.content
    assert reply.model == "gpt-4o-mini-2024-07-18"


def test_resource_manager_refuses_what_azure_refuses(sandbox: Sandbox) -> None:
    status, body = http(sandbox, "PUT", f"{ACCOUNT}/x", deployment("gpt-4o-mini"))
    assert (status, body["error"]["code"]) == (400, "MissingApiVersionParameter")
    status, body = http(
        sandbox, "PUT", f"{ACCOUNT}/x?api-version=1999-01-01", deployment("gpt-4o-mini")
    )
    assert (status, body["error"]["code"]) == (400, "InvalidApiVersionParameter")
    status, body = http(
        sandbox, "PUT", f"{ACCOUNT}/x{VERSION}", deployment("ft:gpt-4o-mini:nope::x")
    )
    assert (status, body["error"]["code"]) == (400, "DeploymentModelNotSupported")


def test_the_results_file_is_plain_csv_on_azure(azure: AzureOpenAI) -> None:
    training = upload(azure, SAMPLES / "genai-for-beginners_elle_limerick_training-data.jsonl")
    job = wait_for(
        azure,
        azure.fine_tuning.jobs.create(model="gpt-4.1-mini", training_file=training.id).id,
        finished,
    )
    text = azure.files.content(job.result_files[0]).read().decode()
    assert text.startswith("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n")
