"""Following a job: poll, store what changed, and wait longer while nothing does."""

from __future__ import annotations

from dataclasses import dataclass

from tunedeck.core.fine_tune.snapshot import job_snapshot
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import Job
from tunedeck.core.storage.job_records import StoredEvent, StoredMetric
from tunedeck.core.storage.job_store import JobStore


@dataclass(frozen=True)
class Poll:
    job: Job
    new_events: int
    changed: bool  # status or events moved since the last poll
    metrics: int  # points of the loss curve stored so far


class Backoff:
    """Seconds until the next poll: short while a job moves, growing to `longest` while it
    sits in a queue, back to `shortest` as soon as something happens."""

    def __init__(self, shortest: float = 2.0, longest: float = 60.0, factor: float = 1.6):
        self.shortest, self.longest, self.factor = shortest, longest, factor
        self.delay = shortest

    def next(self, changed: bool) -> float:
        self.delay = self.shortest if changed else min(self.longest, self.delay * self.factor)
        return self.delay


class JobFollower:
    """Polls one provider for jobs and records each answer in the project."""

    def __init__(self, jobs: JobStore, provider: Provider) -> None:
        self._jobs = jobs
        self._provider = provider
        self._profile = provider.profile.id

    def poll(self, job_id: str, *, intent_id: str | None = None) -> Poll:
        """Ask for the job and its events; on success, fetch and keep its loss curve."""
        before = self._jobs.job(self._profile, job_id)
        job = self._provider.get_job(job_id)
        self._jobs.save_job(self._profile, job_snapshot(job), intent_id=intent_id)
        events = self._provider.list_events(job_id)
        new = self._jobs.add_events(
            self._profile,
            job_id,
            (StoredEvent(e.id, e.created_at, e.level, e.message) for e in events),
        )
        stored = self._jobs.metrics(self._profile, job_id)
        if job.status == "succeeded" and job.result_files and not stored:
            points = self._provider.metrics(job)
            stored = [
                StoredMetric(p.step, p.train_loss, p.train_accuracy, p.valid_loss, p.valid_accuracy)
                for p in points
            ]
            self._jobs.save_metrics(self._profile, job_id, stored)
        changed = before is None or before.status != job.status or new > 0
        return Poll(job, new, changed, len(stored))

    def follow(self, job_id: str, *, sleep, cancel=None, backoff: Backoff | None = None) -> Job:
        """Poll until the job finishes (or `cancel.is_set()`); returns its last state."""
        backoff = backoff or Backoff()
        while True:
            result = self.poll(job_id)
            if result.job.finished or (cancel is not None and cancel.is_set()):
                return result.job
            sleep(backoff.next(result.changed))
