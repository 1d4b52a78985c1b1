"""The JSON launch ledger: intents survive a restart and close when their job is recorded."""

from __future__ import annotations

from pathlib import Path

from tunedeck.core.remote.ledger import JsonFileLedger, LaunchIntent
from tunedeck.core.remote.records import Hyperparameters, JobSpec


def test_intents_uploads_and_jobs_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    spec = JobSpec(
        "gpt-4o-mini-2024-07-18",
        suffix="support",
        seed=7,
        hyperparameters=Hyperparameters(n_epochs=3, learning_rate_multiplier=0.5),
        metadata=(("dataset", "tickets"),),
    )
    first = LaunchIntent("i1", "p", spec, "file-t", "file-v", created_at=1.0)
    second = LaunchIntent("i2", "p", JobSpec("davinci-002"), "file-t2", created_at=2.0)
    ledger = JsonFileLedger(path)
    ledger.record_upload("sha256:abc:fine-tune@p", "file-t")
    ledger.record_intent(second)
    ledger.record_intent(first)

    reopened = JsonFileLedger(path)
    assert reopened.open_intents() == [first, second]  # oldest first, equal after the trip
    assert reopened.uploaded("sha256:abc:fine-tune@p") == "file-t"
    assert reopened.uploaded("sha256:other") is None
    reopened.record_job("i1", "ftjob-1")
    assert JsonFileLedger(path).open_intents() == [second]
    assert JsonFileLedger(path).job_for("i1") == "ftjob-1"
