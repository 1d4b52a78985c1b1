"""A running sandbox per test, and real openai SDK clients (OpenAI and Azure) pointed at it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openai import AzureOpenAI, OpenAI
from openai.types import FileObject
from openai.types.fine_tuning import FineTuningJob

from tests.conftest import SAMPLES
from tunedeck.core.sandbox import Sandbox

JOB_SECONDS = 0.4  # long enough to see every status, short enough for a fast suite
API_VERSION = "2024-10-21"
CLIPPY = SAMPLES / "genai-for-beginners_clippy_training_set.jsonl"
CLIPPY_VALID = SAMPLES / "genai-for-beginners_clippy_validation_set.jsonl"
TOY_CHAT = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"
DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"
FINAL = ("succeeded", "failed", "cancelled")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "sandbox", job_seconds=JOB_SECONDS) as running:
        yield running


def openai_client(sandbox: Sandbox, **options) -> OpenAI:
    """An OpenAI client that validates every response against the SDK's types."""
    options.setdefault("max_retries", 0)
    return OpenAI(
        base_url=sandbox.openai_base_url,
        api_key=options.pop("api_key", "sk-sandbox-test"),
        _strict_response_validation=True,
        **options,
    )


def azure_client(sandbox: Sandbox, **options) -> AzureOpenAI:
    """An AzureOpenAI client on the sandbox as its endpoint, validating every response."""
    options.setdefault("max_retries", 0)
    return AzureOpenAI(
        azure_endpoint=sandbox.url,
        api_version=options.pop("api_version", API_VERSION),
        api_key=options.pop("api_key", "azure-sandbox-test"),
        _strict_response_validation=True,
        **options,
    )


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[OpenAI]:
    with openai_client(sandbox) as opened:
        yield opened


@pytest.fixture
def azure(sandbox: Sandbox) -> Iterator[AzureOpenAI]:
    with azure_client(sandbox) as opened:
        yield opened


@pytest.fixture(params=["openai", "azure"])
def any_client(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[OpenAI]:
    """Each test taking this runs twice: through OpenAI's paths and through Azure's."""
    make = openai_client if request.param == "openai" else azure_client
    with make(sandbox) as opened:
        yield opened


def upload(client: OpenAI, path: Path, content: bytes | None = None) -> FileObject:
    """Upload a training file (bytes in memory, so no file handle is left open)."""
    data = path.read_bytes() if content is None else content
    return client.files.create(file=(path.name, data), purpose="fine-tune")


def wait_for(
    client: OpenAI, job_id: str, until: Callable[[FineTuningJob], bool], timeout: float = 15
) -> FineTuningJob:
    """Poll a job until `until` holds for it; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.fine_tuning.jobs.retrieve(job_id)
        if until(job):
            return job
        assert time.monotonic() < deadline, f"job stuck in {job.status}"
        time.sleep(0.05)


def finished(job: FineTuningJob) -> bool:
    return job.status in FINAL


def http(
    sandbox: Sandbox, method: str, path: str, body: object = None, key: str | None = None
) -> tuple[int, object]:
    """A plain HTTP call to the sandbox (admin and Resource Manager endpoints): status, JSON."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(sandbox.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")
