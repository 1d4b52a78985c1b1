"""A running job's loss curve, read from its event log before the result file exists."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from tests.core.stats.conftest import MakeSession
from tunedeck.core.export import ExportOptions, Which, build_export, write_export
from tunedeck.core.fine_tune import JobFollower, ProjectLedger, points_from_events, total_steps
from tunedeck.core.remote import JobSpec, Launcher, Provider, SandboxProfile
from tunedeck.core.sandbox import Sandbox
from tunedeck.core.storage.job_records import StoredEvent

_AT = datetime(2026, 1, 1, tzinfo=UTC)


def _events(*messages: str) -> list[StoredEvent]:
    return [StoredEvent(f"e{n}", _AT, "info", text) for n, text in enumerate(messages)]


def test_step_events_become_points_and_other_events_are_ignored():
    events = _events(
        "Fine-tuning job started",
        "Step 1/30: training loss=2.31",
        "Step 2/30: training loss=1.90, validation loss=2.05",
        "Step 3/30: training loss=1.5, full validation loss=1.75.",
        "Checkpoint created at step 3",
    )
    points = points_from_events(events)
    assert [(p.step, p.train_loss, p.valid_loss) for p in points] == [
        (1, 2.31, None),
        (2, 1.90, 2.05),
        (3, 1.5, 1.75),
    ]
    assert total_steps(events) == 30
    assert points_from_events(_events("New fine-tuned model created")) == []


def test_a_running_sandbox_job_reports_a_falling_curve(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    records = [{"prompt": f"Q{n}\n\n###\n\n", "completion": f" A{n % 3}\n"} for n in range(12)]
    session = make_session(records)
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    written = write_export(build, tmp_path / "export")
    profile = SandboxProfile(id="sandbox-1", name="Sandbox", url=sandbox.url)
    jobs = session.project.jobs
    with Provider(profile, None) as provider:
        job = Launcher(provider, ProjectLedger(jobs, profile.id)).launch(
            JobSpec("gpt-4o-mini"), written.training.path
        )
        follower = JobFollower(jobs, provider)
        deadline = time.monotonic() + 10
        while not follower.poll(job.id).job.finished:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    points = points_from_events(jobs.events(profile.id, job.id))
    assert len(points) > 2
    assert points[-1].train_loss < points[0].train_loss
    assert total_steps(jobs.events(profile.id, job.id)) == points[-1].step
