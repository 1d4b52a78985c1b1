"""A project's fine-tuning records: what lets a job be traced, followed and never duplicated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.storage import Project
from tunedeck.core.storage.job_records import StoredEvent, StoredMetric

CREATED = "2026-11-22T10:00:00+00:00"


def _snapshot(job_id: str, status: str = "running", **more) -> dict:
    known = {"id": job_id, "status": status, "base_model": "gpt-4o-mini", "created_at": CREATED}
    return known | more


def test_a_reopened_project_knows_its_uploads_intents_and_jobs(location: str):
    with Project.open(location, create=True, author="ann") as project:
        info = project.import_file(BUNDLED_SAMPLE)
        project.jobs.record_upload("sandbox", "f" * 64, "file-1", "train.jsonl", 1234)
        project.jobs.record_intent(
            "intent-1", "sandbox", "a" * 64, {"model": "gpt-4o-mini"}, dataset_id=info.id
        )
    with Project.open(location) as project:
        assert project.jobs.uploaded("sandbox", "f" * 64) == "file-1"
        assert project.jobs.uploaded("openai", "f" * 64) is None  # per provider
        (launch,) = project.jobs.open_launches()
        assert (launch.intent_id, launch.created_by, launch.dataset_id) == (
            "intent-1",
            "ann",
            info.id,
        )
        project.jobs.record_job_id("intent-1", "ftjob-1")
        project.jobs.save_job("sandbox", _snapshot("ftjob-1"), intent_id="intent-1")
    with Project.open(location) as project:
        assert project.jobs.open_launches() == []
        assert project.jobs.launch_of("sandbox", "ftjob-1").fingerprint == "a" * 64
        (job,) = project.jobs.active_jobs()
        assert job.job_id == "ftjob-1" and job.created_at == datetime(2026, 11, 22, 10, tzinfo=UTC)


def test_a_job_update_replaces_its_status_and_a_finished_job_is_no_longer_active(
    project: Project,
):
    project.jobs.save_job("sandbox", _snapshot("ftjob-1"))
    project.jobs.save_job("sandbox", _snapshot("ftjob-2", status="queued"))
    done = project.jobs.save_job(
        "sandbox",
        _snapshot(
            "ftjob-1",
            status="succeeded",
            fine_tuned_model="ft:gpt-4o-mini:sandbox:x:1",
            finished_at="2026-11-22T10:05:00+00:00",
        ),
    )
    assert done.finished and done.fine_tuned_model == "ft:gpt-4o-mini:sandbox:x:1"
    assert [job.job_id for job in project.jobs.active_jobs()] == ["ftjob-2"]
    assert len(project.jobs.jobs()) == 2


def test_events_are_stored_once_and_metrics_replace_the_curve(project: Project):
    project.jobs.save_job("sandbox", _snapshot("ftjob-1"))
    at = datetime(2026, 11, 22, 10, 1, tzinfo=UTC)
    first = [StoredEvent("ev-1", at, "info", "Validating"), StoredEvent("ev-2", at, "info", "Go")]
    assert project.jobs.add_events("sandbox", "ftjob-1", first) == 2
    again = [*first, StoredEvent("ev-3", at, "info", "Step 1/10")]
    assert project.jobs.add_events("sandbox", "ftjob-1", again) == 1
    assert [e.message for e in project.jobs.events("sandbox", "ftjob-1")] == [
        "Validating",
        "Go",
        "Step 1/10",
    ]
    project.jobs.save_metrics("sandbox", "ftjob-1", [StoredMetric(1, 2.0, None, 2.1, None)])
    curve = [StoredMetric(step, 2.0 / step, None, None, None) for step in (1, 2, 3)]
    project.jobs.save_metrics("sandbox", "ftjob-1", curve)
    assert [m.train_loss for m in project.jobs.metrics("sandbox", "ftjob-1")] == [2.0, 1.0, 2 / 3]


def test_events_of_an_unknown_job_are_refused(project: Project):
    with pytest.raises(KeyError, match="no job ftjob-9"):
        project.jobs.events("sandbox", "ftjob-9")
