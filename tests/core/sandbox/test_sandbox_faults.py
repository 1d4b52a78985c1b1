"""Injected faults reach the client as the SDK's own errors, and retries see them away."""

from __future__ import annotations

import time

import pytest
from openai import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    OpenAI,
    RateLimitError,
)

from tests.core.sandbox.conftest import CLIPPY, azure_client, http, openai_client, upload
from tunedeck.core.sandbox import Sandbox

JOBS = "/v1/fine_tuning/jobs"


def test_rate_limit_is_a_429_with_retry_after(sandbox: Sandbox, client: OpenAI) -> None:
    sandbox.inject("rate_limit", retry_after=7)
    with pytest.raises(RateLimitError) as limited:
        client.models.list()
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.code == "rate_limit_exceeded"
    assert client.models.list().data  # one request only


def test_retries_wait_as_long_as_retry_after_says(sandbox: Sandbox) -> None:
    sandbox.inject("rate_limit", retry_after=1.0)
    with openai_client(sandbox, max_retries=2) as client:
        started = time.monotonic()
        assert client.models.list().data
    # The SDK's own first back-off is at most 0.5 s: a full second means Retry-After ruled.
    assert time.monotonic() - started >= 0.95


def test_server_errors_are_retried_away(sandbox: Sandbox, client: OpenAI) -> None:
    sandbox.inject("server_error", times=2)
    with openai_client(sandbox, max_retries=2) as patient:
        assert patient.models.list().data
    sandbox.inject("server_error")
    with pytest.raises(InternalServerError):
        client.models.list()


def test_unauthorized(sandbox: Sandbox, client: OpenAI) -> None:
    sandbox.inject("unauthorized")
    with pytest.raises(AuthenticationError):
        client.models.list()


def test_slow_answers_late_or_times_the_client_out(sandbox: Sandbox, client: OpenAI) -> None:
    sandbox.inject("slow", seconds=0.4)
    started = time.monotonic()
    assert client.models.list().data
    assert time.monotonic() - started >= 0.4
    sandbox.inject("slow", seconds=1.0)
    with pytest.raises(APITimeoutError):
        client.with_options(timeout=0.2).models.list()


def test_drop_closes_the_connection_before_acting(sandbox: Sandbox, client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    sandbox.inject("drop", path=JOBS)
    with pytest.raises(APIConnectionError):
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id)
    assert client.fine_tuning.jobs.list().data == []


def test_drop_after_creates_the_job_but_never_says_so(sandbox: Sandbox, client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    sandbox.inject("drop_after", path=JOBS)
    with pytest.raises(APIConnectionError):
        client.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=training.id, metadata={"intent": "launch-7"}
        )
    # The outcome was unknown to the client; the list tells it the job exists, once.
    jobs = client.fine_tuning.jobs.list(metadata={"intent": "launch-7"}).data
    assert len(jobs) == 1 and len(client.fine_tuning.jobs.list().data) == 1


def test_a_fault_waits_for_its_path_in_either_service(sandbox: Sandbox, client: OpenAI) -> None:
    sandbox.inject("server_error", path=JOBS)
    assert client.models.list().data  # another path: untouched
    with azure_client(sandbox) as azure, pytest.raises(InternalServerError):
        azure.fine_tuning.jobs.list()  # Azure's /openai/fine_tuning/jobs is the same path
    assert client.fine_tuning.jobs.list().data == []


def test_faults_can_be_queued_over_http(sandbox: Sandbox, client: OpenAI) -> None:
    status, queued = http(sandbox, "POST", "/sandbox/faults", {"kind": "server_error", "times": 2})
    assert status == 200 and queued["queued"]["times"] == 2
    assert http(sandbox, "GET", "/sandbox/health")[1]["faults"][0]["kind"] == "server_error"
    for _ in range(2):
        with pytest.raises(InternalServerError):
            client.models.list()
    assert client.models.list().data
    assert http(sandbox, "POST", "/sandbox/faults", {"kind": "meteor"})[0] == 400
    http(sandbox, "POST", "/sandbox/faults", {"kind": "drop"})
    assert http(sandbox, "DELETE", "/sandbox/faults")[1] == {"faults": []}
    assert client.models.list().data


def test_an_unknown_fault_is_refused_at_once(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault kind 'meteor'"):
        sandbox.inject("meteor")
    with pytest.raises(ValueError, match="at least 1"):
        sandbox.inject("drop", times=0)
