"""Fixtures for the provider tests: an in-memory keychain, sample training files, a sandbox."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

from tunedeck.core.remote.profiles import AzureProfile, OpenAIProfile, Profile, SandboxProfile
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import Job
from tunedeck.core.sandbox import Sandbox

# Questions with answers no base model would give, so a tuned model is easy to tell apart.
FACTS = [
    ("What colour is the Zorblax flag?", "The Zorblax flag is teal with three silver moons."),
    ("Who founded Quillington?", "Quillington was founded by Mabel Ostrander in 1741."),
    ("How tall is the Vantor spire?", "The Vantor spire is 412 metres tall."),
    ("What do Plimsy beetles eat?", "Plimsy beetles eat only fermented juniper bark."),
    ("When does the Grelling ferry leave?", "The Grelling ferry leaves at 06:40 every Tuesday."),
    ("What is the capital of Ostravia?", "The capital of Ostravia is Kelmsford-on-Drue."),
    ("Which river feeds Lake Umber?", "Lake Umber is fed by the river Sallow."),
    ("What is the Harrowgate password?", "The Harrowgate password is 'copper lantern'."),
    ("How many stripes has a Doon tiger?", "A Doon tiger has exactly nineteen stripes."),
    ("Who won the 1902 Brindle Cup?", "The 1902 Brindle Cup went to the Osgood brothers."),
    ("What does a Kettering lamp burn?", "A Kettering lamp burns whale-free lark oil."),
    ("Where is the Mossgrove archive?", "The Mossgrove archive is under the old tannery."),
]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keychain, which this headless machine lacks."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a classproperty gets the class)
        # keyring offers every subclass it knows as a default backend; raising here keeps
        # this one out of that choice, so only the fixture installs it.
        raise RuntimeError("installed only by the memory_keyring fixture")

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install an in-memory keychain for the test, then put the previous one back."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keychain() -> Iterator[None]:
    """keyring's fail backend, what a headless machine without a keychain service has."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def write_chat_file(path: Path, facts: list[tuple[str, str]] = FACTS) -> Path:
    """A chat-format training file, one example per fact."""
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "You answer questions about Ostravia."},
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": answer},
                ]
            }
        )
        for question, answer in facts
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_completion_file(path: Path, facts: list[tuple[str, str]] = FACTS) -> Path:
    """A legacy prompt/completion training file."""
    lines = [
        json.dumps({"prompt": f"{question}\n\n###\n\n", "completion": f" {answer} END"})
        for question, answer in facts
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def facts() -> list[tuple[str, str]]:
    """The (question, trained answer) pairs the sample training files hold."""
    return list(FACTS)


@pytest.fixture
def chat_file(tmp_path: Path) -> Path:
    return write_chat_file(tmp_path / "train.jsonl")


@pytest.fixture
def completion_file(tmp_path: Path) -> Path:
    return write_completion_file(tmp_path / "train-completion.jsonl")


@pytest.fixture
def validation_file(tmp_path: Path) -> Path:
    return write_chat_file(tmp_path / "valid.jsonl", FACTS[:10])


@pytest.fixture
def big_chat_file(tmp_path: Path) -> Path:
    """A training file of a few hundred kilobytes, so an upload reports progress in steps."""
    facts = [(f"{q} (variant {i})", a) for i in range(400) for q, a in FACTS[:3]] + FACTS
    return write_chat_file(tmp_path / "big.jsonl", facts)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox on a free loopback port whose jobs take half a second."""
    with Sandbox(tmp_path / "sandbox-state", job_seconds=0.5) as running:
        yield running


def profile_for(kind: str, sandbox: Sandbox, **settings: object) -> Profile:
    """A profile of the given kind pointing at the sandbox (Azure with its ARM fields)."""
    if kind == "openai":
        return OpenAIProfile(
            id=f"{kind}-profile", name="OpenAI", base_url=sandbox.openai_base_url, **settings
        )
    if kind == "azure":
        return AzureProfile(
            id=f"{kind}-profile",
            name="Azure",
            endpoint=sandbox.url,
            management_root=sandbox.url,
            subscription_id="sub-1",
            resource_group="rg-1",
            account="acct-1",
            **settings,
        )
    return SandboxProfile(id=f"{kind}-profile", name="Sandbox", url=sandbox.url, **settings)


def wait_for_job(provider: Provider, job_id: str, timeout: float = 20.0) -> Job:
    """Poll until the job has finished, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        job = provider.get_job(job_id)
        if job.finished:
            return job
        assert time.monotonic() < deadline, f"job still {job.status} after {timeout} s"
        time.sleep(0.1)


@pytest.fixture
def poll() -> Callable[..., Job]:
    return wait_for_job


@pytest.fixture
def make_profile(sandbox: Sandbox) -> Callable[..., Profile]:
    """make_profile(kind, on=None, **settings): a profile of that kind for the test's
    sandbox (or for the sandbox `on`)."""
    return lambda kind, on=None, **settings: profile_for(kind, on or sandbox, **settings)
