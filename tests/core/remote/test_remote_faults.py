"""A misbehaving service: rate limits, 5xx, dropped connections, slowness, a revoked key.

Each fault is injected into the sandbox and met by the real SDK; what is not retried away
must end as a UserError that says what happened and what to do.
"""

from __future__ import annotations

import time
from pathlib import Path

import openai
import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.errors import CancelledError, UnknownOutcomeError
from tunedeck.core.remote.launch import INTENT_TAG, Launcher
from tunedeck.core.remote.ledger import JsonFileLedger
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import JobSpec
from tunedeck.core.remote.uploads import CancelToken

JOBS = "/v1/fine_tuning/jobs"
SPEC = JobSpec("gpt-4o-mini-2024-07-18")


def _jobs_on_server(provider: Provider) -> list:
    return provider.list_jobs(limit=100)


def _files_on_server(provider: Provider) -> list[str]:
    return [f.filename for f in provider.list_files()]


def test_a_rate_limit_is_waited_out_as_retry_after_says(sandbox, make_profile) -> None:
    with Provider(make_profile("openai"), None) as provider:
        sandbox.inject("rate_limit", path=JOBS, retry_after=1)
        started = time.monotonic()
        assert provider.list_jobs() == []
        assert time.monotonic() - started >= 1.0


def test_job_creation_waits_out_a_rate_limit_and_creates_one_job(
    sandbox, make_profile, chat_file, tmp_path: Path
) -> None:
    with Provider(make_profile("openai"), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(tmp_path / "ledger.json"))
        launcher.upload_once(chat_file)
        sandbox.inject("rate_limit", path=JOBS, times=2, retry_after=0.5)
        started = time.monotonic()
        job = launcher.launch(SPEC, chat_file)
        assert time.monotonic() - started >= 1.0
        assert [j.id for j in _jobs_on_server(provider)] == [job.id]


def test_a_lasting_rate_limit_ends_in_a_clear_message(sandbox, make_profile) -> None:
    with Provider(make_profile("openai", max_retries=1), None) as provider:
        sandbox.inject("rate_limit", path=JOBS, times=2, retry_after=0.1)
        with pytest.raises(UserError, match="limiting how fast requests may be sent") as raised:
            provider.list_jobs()
        assert isinstance(raised.value.__cause__, openai.RateLimitError)
        assert "Wait a minute" in str(raised.value)


def test_a_server_error_is_retried_away_and_a_lasting_one_explained(sandbox, make_profile) -> None:
    with Provider(make_profile("azure", max_retries=1), None) as provider:
        sandbox.inject("server_error", path="/v1/models")
        assert provider.list_models()
        sandbox.inject("server_error", path="/v1/models", times=2)
        with pytest.raises(UserError, match=r"internal error \(500\)") as raised:
            provider.list_models()
        assert "try again later" in str(raised.value)
        assert isinstance(raised.value.__cause__, openai.InternalServerError)


@pytest.mark.parametrize("times", [1, 3])
def test_a_connection_dropped_after_creating_the_job_leaves_exactly_one_job(
    sandbox, make_profile, chat_file, tmp_path: Path, times: int
) -> None:
    ledger = JsonFileLedger(tmp_path / "ledger.json")
    with Provider(make_profile("openai"), None) as provider:
        launcher = Launcher(provider, ledger, sleep=lambda seconds: None)
        launcher.upload_once(chat_file)
        # The create request is carried out, then the connection closes without an answer.
        sandbox.inject("drop_after", path=JOBS, times=times)
        job = launcher.launch(SPEC, chat_file)
        on_server = _jobs_on_server(provider)
        assert [j.id for j in on_server] == [job.id]  # found by lookup, not created twice
        assert ledger.job_for(dict(job.metadata)[INTENT_TAG]) == job.id
        assert ledger.open_intents() == []


def test_a_connection_dropped_before_creating_the_job_creates_it_once(
    sandbox, make_profile, chat_file, tmp_path: Path
) -> None:
    with Provider(make_profile("openai"), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(tmp_path / "l.json"), sleep=lambda s: None)
        launcher.upload_once(chat_file)
        sandbox.inject("drop", path=JOBS)  # closed before the job is created
        job = launcher.launch(SPEC, chat_file)
        assert [j.id for j in _jobs_on_server(provider)] == [job.id]


def test_an_unsettled_launch_is_found_after_a_restart(
    sandbox, make_profile, chat_file, tmp_path: Path
) -> None:
    ledger_path = tmp_path / "ledger.json"
    with Provider(make_profile("openai", max_retries=0), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(ledger_path), sleep=lambda s: None)
        launcher.upload_once(chat_file)
        # Created but the answer is lost, and the lookup fails too: the outcome is unknown.
        sandbox.inject("drop_after", path=JOBS)
        sandbox.inject("server_error", path=JOBS)
        with pytest.raises(UnknownOutcomeError, match="could not check whether the job") as raised:
            launcher.launch(SPEC, chat_file)
        assert "nothing is started twice" in str(raised.value)
        assert len(JsonFileLedger(ledger_path).open_intents()) == 1
    with Provider(make_profile("openai"), None) as provider:  # the app starts again
        ledger = JsonFileLedger(ledger_path)
        [job] = Launcher(provider, ledger).resume_open()
        assert [j.id for j in _jobs_on_server(provider)] == [job.id]
        assert ledger.open_intents() == []


def test_launching_again_after_an_unknown_outcome_continues_that_launch(
    sandbox, make_profile, chat_file, tmp_path: Path
) -> None:
    with Provider(make_profile("openai", max_retries=0), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(tmp_path / "l.json"), sleep=lambda s: None)
        launcher.upload_once(chat_file)
        sandbox.inject("drop_after", path=JOBS)
        sandbox.inject("server_error", path=JOBS)
        with pytest.raises(UnknownOutcomeError):
            launcher.launch(SPEC, chat_file)
        job = launcher.launch(SPEC, chat_file)  # the user presses Launch again
        assert [j.id for j in _jobs_on_server(provider)] == [job.id]


def test_a_dropped_upload_is_sent_again_once(sandbox, make_profile, big_chat_file) -> None:
    with Provider(make_profile("sandbox"), None) as provider:
        sent: list[int] = []
        sandbox.inject("drop", path="/v1/files")
        remote = provider.upload(big_chat_file, progress=lambda done, total: sent.append(done))
        assert remote.bytes == big_chat_file.stat().st_size
        assert _files_on_server(provider) == [big_chat_file.name]
        assert sent[-1] == big_chat_file.stat().st_size


def test_an_upload_that_keeps_dropping_says_the_network_failed(
    sandbox, make_profile, chat_file
) -> None:
    with Provider(make_profile("sandbox", max_retries=1), None) as provider:
        sandbox.inject("drop", path="/v1/files", times=2)
        with pytest.raises(UserError, match="could not reach") as raised:
            provider.upload(chat_file)
        assert "Check the network connection" in str(raised.value)
        assert _files_on_server(provider) == []


def test_a_cancelled_upload_stops_and_leaves_no_file(sandbox, make_profile, big_chat_file) -> None:
    token = CancelToken()

    def progress(done: int, total: int) -> None:
        token.cancel()  # the user presses Cancel as soon as the first chunk is out

    with Provider(make_profile("sandbox"), None) as provider:
        with pytest.raises(CancelledError, match="upload was cancelled"):
            provider.upload(big_chat_file, progress=progress, cancel=token)
        assert _files_on_server(provider) == []


def test_a_slow_service_and_a_short_timeout_give_a_clear_message(sandbox, make_profile) -> None:
    profile = make_profile("openai", timeout_seconds=0.3, max_retries=0)
    with Provider(profile, None) as provider:
        sandbox.inject("slow", path="/v1/models", seconds=2.0)
        started = time.monotonic()
        with pytest.raises(UserError, match="did not answer in time") as raised:
            provider.list_models()
        assert time.monotonic() - started < 1.5  # gave up; did not wait for the answer
        assert "raise the timeout" in str(raised.value)


def test_a_revoked_key_is_not_retried_and_is_named(sandbox, make_profile) -> None:
    with Provider(make_profile("openai"), None) as provider:
        sandbox.inject("unauthorized", path=JOBS, times=1)
        with pytest.raises(UserError, match="rejected the API key") as raised:
            provider.get_job("ftjob-anything")
        assert isinstance(raised.value.__cause__, openai.AuthenticationError)
        with pytest.raises(UserError, match="does not know this"):
            provider.get_job("ftjob-anything")  # the next request gets through: a real 404
