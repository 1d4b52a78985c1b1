"""A planted key must not turn up anywhere: files, logs at DEBUG, messages, reprs.

The key sits in the keychain (for the OpenAI profile) and in the environment (for Azure),
and the sandbox demands it, so every request really carries it. The flows include failing
ones, with the SDK's, the HTTP stack's and our loggers writing DEBUG to a file.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote import connection
from tunedeck.core.remote.cost import PriceTable
from tunedeck.core.remote.deployments import AzureDeployments
from tunedeck.core.remote.launch import Launcher
from tunedeck.core.remote.ledger import JsonFileLedger
from tunedeck.core.remote.profiles import AzureProfile, OpenAIProfile, ProfileStore
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import JobSpec
from tunedeck.core.remote.secrets import KeyStore
from tunedeck.core.sandbox import Sandbox

PLANT = f"sk-tdplant-{uuid.uuid4().hex}"
LOGGERS = ("openai", "httpx", "httpx2", "httpcore", "httpcore2", "tunedeck")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    previous = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        previous[name] = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        yield path
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(previous[name])
        handler.close()


def test_the_key_appears_in_no_file_log_message_or_repr(
    memory_keyring, monkeypatch, tmp_path: Path, debug_log: Path, chat_file, poll
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", PLANT)
    monkeypatch.setenv("OPENAI_API_KEY", PLANT)
    failures: list[BaseException] = []
    shown: list[object] = []

    def expect_failure(call, *args, **kwargs) -> None:
        with pytest.raises(UserError) as raised:
            call(*args, **kwargs)
        failures.append(raised.value)

    with Sandbox(tmp_path / "sandbox-state", job_seconds=0.3, api_key=PLANT) as sandbox:
        store = ProfileStore(tmp_path / "profiles.json")
        openai_profile = OpenAIProfile(id="o", name="OpenAI", base_url=sandbox.openai_base_url)
        azure = AzureProfile(
            id="a",
            name="Azure",
            endpoint=sandbox.url,
            management_root=sandbox.url,
            subscription_id="s",
            resource_group="g",
            account="acct",
        )
        store.save(openai_profile)
        store.save(azure)
        keys = KeyStore()
        keys.save(openai_profile, PLANT)
        PriceTable().save(tmp_path / "prices.json")
        ledger = JsonFileLedger(tmp_path / "ledger.json")

        shown.append(connection.test_connection(openai_profile, keys))
        sandbox.inject("unauthorized", path="/v1/models")
        shown.append(connection.test_connection(azure, keys))
        assert shown[0].ok and not shown[1].ok

        with Provider.open(openai_profile, keys) as provider:
            launcher = Launcher(provider, ledger)
            sandbox.inject("drop_after", path="/v1/fine_tuning/jobs")
            job = poll(provider, launcher.launch(JobSpec("gpt-4o-mini"), chat_file).id)
            provider.list_events(job.id)
            provider.list_checkpoints(job.id)
            provider.metrics(job)
            provider.chat(job.fine_tuned_model, [{"role": "user", "content": "Who founded it?"}])
            sandbox.inject("unauthorized", path="/v1/chat")
            expect_failure(provider.chat, job.fine_tuned_model, [{"role": "user", "content": "x"}])
            expect_failure(provider.complete, "no-such-model", "prompt")
            expect_failure(provider.cancel_job, job.id)  # already succeeded: refused
            sandbox.inject("server_error", path="/v1/files", times=3)
            expect_failure(provider.upload, chat_file)
            shown += [provider, launcher, job]

        with Provider.open(azure, keys) as provider:
            job = poll(
                provider, Launcher(provider, ledger).launch(JobSpec("gpt-4o-mini"), chat_file).id
            )
            deployments = AzureDeployments(azure, lambda: keys.require(azure))
            deployments.create("candidate", job.fine_tuned_model)
            deployments.wait_until_ready("candidate", poll_seconds=0.05)
            provider.chat("candidate", [{"role": "user", "content": "Who founded it?"}])
            expect_failure(provider.chat, "not-deployed", [{"role": "user", "content": "x"}])
            sandbox.inject("unauthorized", path="/subscriptions")
            expect_failure(deployments.list)
            shown += [provider, deployments, keys, keys.require(azure), store, ledger]

    assert debug_log.read_text(encoding="utf-8").count("Sending HTTP Request") > 10
    needle = PLANT.encode()
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(written) >= 6
    leaked = [str(path) for path in written if needle in path.read_bytes()]
    assert leaked == []
    for failure in failures:
        chain = [failure, failure.__cause__, failure.__context__]
        for exc in filter(None, chain):
            assert PLANT not in str(exc) and PLANT not in repr(exc)
    for thing in shown:
        assert PLANT not in repr(thing) and PLANT not in str(thing)
