"""From a vetted dataset to a tuned model answering, all recorded in the project."""

from __future__ import annotations

import time
from pathlib import Path

from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import TrainingFormat
from tunedeck.core.export import ExportOptions, Which, build_export, write_export
from tunedeck.core.fine_tune import Backoff, JobFollower, ProjectLedger, job_from_snapshot
from tunedeck.core.remote import JobSpec, Launcher, Provider, SandboxProfile
from tunedeck.core.sandbox import Sandbox
from tunedeck.core.storage import Project

QUESTIONS = [
    ("What is iMocha?", "iMocha is a skills assessment platform."),
    ("Who makes the Zorblax flag?", "The Zorblax flag is sewn in Kelmsford."),
    ("What colour is the Vantor spire?", "The Vantor spire is painted teal."),
]


def _records(copies: int = 4) -> list[dict]:
    return [
        {"prompt": f"{question} ({n})\n\n###\n\n", "completion": f" {answer}\n"}
        for n in range(copies)
        for question, answer in QUESTIONS
    ]


def test_export_launch_follow_and_ask_the_tuned_model(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    session = make_session(_records())
    options = ExportOptions(
        model="gpt-4o-mini-2024-07-18", which=Which.NOT_REJECTED, system_message="Answer briefly."
    )
    build = build_export(session, options)
    written = write_export(build, tmp_path / "export")
    project: Project = session.project
    profile = SandboxProfile(id="sandbox-1", name="Sandbox", url=sandbox.url)
    ledger = ProjectLedger(
        project.jobs,
        profile.id,
        dataset_id=session.info.id,
        fingerprint=written.fingerprint,
        export=build.describe(),
    )
    with Provider(profile, None) as provider:
        job = Launcher(provider, ledger).launch(
            JobSpec(options.model, suffix="imocha", seed=7), written.training.path
        )
        follower = JobFollower(project.jobs, provider)
        done = follower.follow(job.id, sleep=lambda _seconds: time.sleep(0.05))
        assert done.status == "succeeded" and done.fine_tuned_model.startswith("ft:")

        stored = project.jobs.job(profile.id, job.id)
        assert stored.finished and job_from_snapshot(stored.snapshot) == done
        assert project.jobs.events(profile.id, job.id)  # the log is in the project
        curve = project.jobs.metrics(profile.id, job.id)
        assert len(curve) > 2 and curve[-1].train_loss < curve[0].train_loss

        # The job traces back to the exact export, and the chat tab can ask as trained.
        launch = project.jobs.launch_of(profile.id, job.id)
        assert launch is not None and launch.fingerprint == written.fingerprint
        fmt = TrainingFormat.from_record(launch.request["export"])
        reply = provider.chat(done.fine_tuned_model, fmt.messages([], "What is iMocha?"))
        assert "skills assessment platform" in reply.text
        base = provider.chat(options.model, fmt.messages([], "What is iMocha?"))
        assert "skills assessment platform" not in base.text


def test_a_launch_retried_after_its_answer_was_lost_leaves_one_job(
    make_session: MakeSession, sandbox: Sandbox, tmp_path: Path
):
    session = make_session(_records())
    build = build_export(session, ExportOptions(model="gpt-4o-mini", which=Which.NOT_REJECTED))
    written = write_export(build, tmp_path / "export")
    profile = SandboxProfile(id="sandbox-1", name="Sandbox", url=sandbox.url, max_retries=2)
    ledger = ProjectLedger(session.project.jobs, profile.id, fingerprint=written.fingerprint)
    sandbox.inject("drop_after", path="/v1/fine_tuning/jobs", times=1)
    with Provider(profile, None) as provider:
        launcher = Launcher(provider, ledger, sleep=lambda _s: None)
        job = launcher.launch(JobSpec("gpt-4o-mini"), written.training.path)
        again = launcher.launch(JobSpec("gpt-4o-mini"), written.training.path)
        jobs = provider.list_jobs(limit=50)
    assert session.project.jobs.open_launches() == []
    tagged = [j for j in jobs if j.id == job.id]
    assert len(tagged) == 1
    # A second launch of the same data is a new, deliberate job; the lost answer made none.
    assert len(jobs) == 2 and again.id != job.id


def test_backoff_waits_longer_while_nothing_moves_and_resets_on_change():
    backoff = Backoff(shortest=2, longest=10, factor=2)
    assert [backoff.next(False) for _ in range(4)] == [4, 8, 10, 10]
    assert backoff.next(True) == 2
