"""The launch button's work: write, check the provider's rules, launch once, record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.core.stats.conftest import MakeSession
from tunedeck.core.errors import UserError
from tunedeck.core.export import ExportOptions, Which, build_export
from tunedeck.core.fine_tune.launching import launch_export
from tunedeck.core.remote import AzureProfile, JobSpec, OpenAIProfile, Provider, SandboxProfile
from tunedeck.core.remote.secrets import ApiKey
from tunedeck.core.sandbox import Sandbox

RECORDS = [{"prompt": f"Q{n}\n\n###\n\n", "completion": f" A{n % 3}\n"} for n in range(12)]


def test_a_launch_writes_checks_launches_and_records_the_job(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    session = make_session(RECORDS)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    profile = SandboxProfile(id="sb", name="Sandbox", url=sandbox.url)
    with Provider(profile, None) as provider:
        launched = launch_export(
            build,
            tmp_path / "out",
            "tickets",
            provider,
            session.project.jobs,
            JobSpec("gpt-4o-mini"),
        )
    assert launched.written.training.path.name == "tickets-training.jsonl"
    stored = session.project.jobs.job("sb", launched.job.id)
    assert stored is not None and stored.base_model.startswith("gpt-4o-mini")
    launch = session.project.jobs.launch_of("sb", launched.job.id)
    assert launch.fingerprint == launched.written.fingerprint
    assert launch.request["export"]["model"] == "gpt-4o-mini"
    assert launched.findings == []


def test_a_file_azure_would_refuse_is_not_uploaded(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    session = make_session(RECORDS)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    profile = AzureProfile(id="az", name="Azure", endpoint=sandbox.url)
    with Provider(profile, ApiKey("sk-any", "test")) as provider:
        with pytest.raises(UserError, match="byte-order mark"):
            launch_export(
                build, tmp_path / "out", "t", provider, session.project.jobs, JobSpec("gpt-4o-mini")
            )
        assert provider.list_files() == []
    assert session.project.jobs.jobs() == []


def test_openai_after_its_cut_off_is_refused_before_any_upload(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    session = make_session(RECORDS)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    profile = OpenAIProfile(id="oa", name="OpenAI", base_url=sandbox.openai_base_url)
    with Provider(profile, ApiKey("sk-any", "test")) as provider:
        with pytest.raises(UserError, match="stopped accepting new fine-tuning jobs"):
            launch_export(
                build,
                tmp_path / "out",
                "t",
                provider,
                session.project.jobs,
                JobSpec("gpt-4o-mini"),
                today=date(2027, 2, 1),
            )
        assert provider.list_files() == []
