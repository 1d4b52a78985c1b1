"""The project knows how each model it tuned was trained; other models are asked plainly."""

from __future__ import annotations

from tests.core.stats.conftest import MakeSession
from tunedeck.core.chat import TrainingFormat, format_of, plain_format, tuned_models
from tunedeck.core.chat.tuned import describe_format
from tunedeck.core.models import ModelKind
from tunedeck.core.storage.job_store import JobStore

EXPORT = {"model": "davinci-002", "format": "completion", "separator": "\n\n###\n\n", "stop": "\n"}


def record_job(jobs: JobStore, job_id: str, status: str, model: str | None, export=None) -> None:
    if export is not None:
        jobs.record_intent(f"intent-{job_id}", "p", "fingerprint", {"export": export})
        jobs.record_job_id(f"intent-{job_id}", job_id)
    jobs.save_job(
        "p",
        {
            "id": job_id,
            "status": status,
            "base_model": "davinci-002",
            "created_at": f"2025-01-0{len(jobs.jobs()) + 1}T10:00:00+00:00",
            "fine_tuned_model": model,
        },
    )


def test_tuned_models_carry_the_format_of_the_export_they_were_trained_on(
    make_session: MakeSession,
):
    jobs = make_session([{"prompt": "a", "completion": " b"}] * 3).project.jobs
    record_job(jobs, "job-1", "succeeded", "ft:davinci-002:acme:tickets:1", EXPORT)
    record_job(jobs, "job-2", "failed", None, EXPORT)
    record_job(jobs, "job-3", "succeeded", "ft:davinci-002:acme:elsewhere:3")  # no launch

    found = tuned_models(jobs, "p")
    assert [(t.name, t.base_model) for t in found] == [
        ("ft:davinci-002:acme:elsewhere:3", "davinci-002"),  # newest first
        ("ft:davinci-002:acme:tickets:1", "davinci-002"),
    ]
    assert found[0].fmt is None
    recorded = TrainingFormat(ModelKind.COMPLETION, separator="\n\n###\n\n", stop="\n")
    assert found[1].fmt == recorded
    assert tuned_models(jobs, "another-profile") == []

    assert format_of(jobs, "p", "ft:davinci-002:acme:tickets:1") == recorded
    # Tuned elsewhere: its kind from its base, but no separator can be guessed.
    assert format_of(jobs, "p", "ft:davinci-002:acme:elsewhere:3") == plain_format("davinci-002")
    assert plain_format("davinci-002").is_legacy
    assert plain_format("my-azure-deployment").kind is ModelKind.CHAT
    assert TrainingFormat.from_record(describe_format(recorded)) == recorded
