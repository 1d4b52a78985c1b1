"""A project's fine-tuning records: uploads, launch intents, jobs, events and loss curves.

Values in and out are plain: JSON-able dicts for what the provider said (the snapshot of a
job, the request of a launch), so that the store does not depend on how `core.remote`
shapes its records. Every call is one short transaction, as everywhere in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tunedeck.core.storage.job_records import Launch, StoredEvent, StoredJob, StoredMetric
from tunedeck.core.storage.jobs_schema import (
    job_events,
    job_metrics,
    jobs,
    launches,
    remote_uploads,
)
from tunedeck.core.storage.record_store import RecordStore
from tunedeck.core.storage.rows import now, utc


class JobStore(RecordStore):
    """The fine-tuning records of one project (`project.jobs`)."""

    # --- uploads ---------------------------------------------------------------------------

    def record_upload(
        self, profile: str, fingerprint: str, file_id: str, filename: str = "", size: int = 0
    ) -> None:
        with self._write() as connection:
            connection.execute(
                sa.delete(remote_uploads).where(
                    remote_uploads.c.profile == profile,
                    remote_uploads.c.fingerprint == fingerprint,
                )
            )
            connection.execute(
                sa.insert(remote_uploads).values(
                    profile=profile,
                    fingerprint=fingerprint,
                    file_id=file_id,
                    filename=filename,
                    bytes=size,
                    uploaded_at=now(),
                )
            )

    def uploaded(self, profile: str, fingerprint: str) -> str | None:
        """The id of a file with these exact bytes already uploaded to this profile."""
        query = sa.select(remote_uploads.c.file_id).where(
            remote_uploads.c.profile == profile, remote_uploads.c.fingerprint == fingerprint
        )
        with self._read() as connection:
            return connection.execute(query).scalar_one_or_none()

    def forget_upload(self, profile: str, file_id: str) -> None:
        """The provider no longer has the file (deleted, expired): upload it again next time."""
        with self._write() as connection:
            connection.execute(
                sa.delete(remote_uploads).where(
                    remote_uploads.c.profile == profile, remote_uploads.c.file_id == file_id
                )
            )

    # --- launches --------------------------------------------------------------------------

    def record_intent(
        self,
        intent_id: str,
        profile: str,
        fingerprint: str,
        request: dict[str, Any],
        dataset_id: int | None = None,
    ) -> None:
        with self._write() as connection:
            connection.execute(
                sa.insert(launches).values(
                    intent_id=intent_id,
                    profile=profile,
                    dataset_id=dataset_id,
                    fingerprint=fingerprint,
                    request=request,
                    created_at=now(),
                    created_by=self._author,
                )
            )

    def record_job_id(self, intent_id: str, job_id: str) -> None:
        with self._write() as connection:
            connection.execute(
                sa.update(launches).where(launches.c.intent_id == intent_id).values(job_id=job_id)
            )

    def launch(self, intent_id: str) -> Launch | None:
        query = sa.select(launches).where(launches.c.intent_id == intent_id)
        with self._read() as connection:
            row = connection.execute(query).one_or_none()
        return None if row is None else _launch(row)

    def open_launches(self, profile: str | None = None) -> list[Launch]:
        """Intents whose job id never came back: look these up before creating anything."""
        query = sa.select(launches).where(launches.c.job_id.is_(None))
        if profile is not None:
            query = query.where(launches.c.profile == profile)
        with self._read() as connection:
            return [
                _launch(row) for row in connection.execute(query.order_by(launches.c.created_at))
            ]

    # --- jobs ------------------------------------------------------------------------------

    def save_job(
        self,
        profile: str,
        snapshot: dict[str, Any],
        *,
        intent_id: str | None = None,
    ) -> StoredJob:
        """Insert or update a job from the provider's latest report (`snapshot`).

        The snapshot must carry id, status, base_model, created_at (ISO 8601) and may carry
        fine_tuned_model and finished_at.
        """
        values = {
            "status": snapshot["status"],
            "base_model": snapshot["base_model"],
            "fine_tuned_model": snapshot.get("fine_tuned_model"),
            "created_at": _moment(snapshot["created_at"]),
            "finished_at": _moment(snapshot.get("finished_at")),
            "snapshot": snapshot,
            "updated_at": now(),
        }
        where = (jobs.c.profile == profile, jobs.c.job_id == snapshot["id"])
        with self._write() as connection:
            known = connection.execute(sa.select(jobs.c.id, jobs.c.intent_id).where(*where)).first()
            if known is None:
                # A job this project launched: tie it to its intent, and so to its data.
                intent_id = (
                    intent_id
                    or connection.execute(
                        sa.select(launches.c.intent_id).where(
                            launches.c.profile == profile, launches.c.job_id == snapshot["id"]
                        )
                    ).scalar_one_or_none()
                )
                connection.execute(
                    sa.insert(jobs).values(
                        profile=profile, job_id=snapshot["id"], intent_id=intent_id, **values
                    )
                )
            else:
                if intent_id is not None:
                    values["intent_id"] = intent_id
                connection.execute(sa.update(jobs).where(*where).values(**values))
            row = connection.execute(sa.select(jobs).where(*where)).one()
        return _job(row)

    def jobs(self, profile: str | None = None) -> list[StoredJob]:
        """Every job the project knows, newest first."""
        query = sa.select(jobs).order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
        if profile is not None:
            query = query.where(jobs.c.profile == profile)
        with self._read() as connection:
            return [_job(row) for row in connection.execute(query)]

    def active_jobs(self) -> list[StoredJob]:
        """Jobs still moving: the ones to follow again when the project is opened."""
        return [job for job in self.jobs() if not job.finished]

    def job(self, profile: str, job_id: str) -> StoredJob | None:
        query = sa.select(jobs).where(jobs.c.profile == profile, jobs.c.job_id == job_id)
        with self._read() as connection:
            row = connection.execute(query).one_or_none()
        return None if row is None else _job(row)

    def launch_of(self, profile: str, job_id: str) -> Launch | None:
        """The recorded intent behind a job: its fingerprint and the request as sent."""
        query = (
            sa.select(launches)
            .join(jobs, jobs.c.intent_id == launches.c.intent_id)
            .where(jobs.c.profile == profile, jobs.c.job_id == job_id)
        )
        with self._read() as connection:
            row = connection.execute(query).one_or_none()
        return None if row is None else _launch(row)

    # --- events and metrics ----------------------------------------------------------------

    def add_events(self, profile: str, job_id: str, events: Iterable[StoredEvent]) -> int:
        """Store the events not stored yet; returns how many were new."""
        with self._write() as connection:
            key = _job_key(connection, profile, job_id)
            known = set(
                connection.execute(
                    sa.select(job_events.c.event_id).where(job_events.c.job == key)
                ).scalars()
            )
            new = [
                {
                    "job": key,
                    "event_id": event.event_id,
                    "created_at": event.created_at,
                    "level": event.level,
                    "message": event.message,
                }
                for event in events
                if event.event_id not in known
            ]
            if new:
                connection.execute(sa.insert(job_events), new)
        return len(new)

    def events(self, profile: str, job_id: str) -> list[StoredEvent]:
        """A job's log, oldest first."""
        with self._read() as connection:
            key = _job_key(connection, profile, job_id)
            query = (
                sa.select(job_events)
                .where(job_events.c.job == key)
                .order_by(job_events.c.created_at, job_events.c.id)
            )
            return [
                StoredEvent(row.event_id, utc(row.created_at), row.level, row.message)
                for row in connection.execute(query)
            ]

    def save_metrics(self, profile: str, job_id: str, points: Iterable[StoredMetric]) -> None:
        """Replace a job's loss curve with `points` (the result file is the whole curve)."""
        with self._write() as connection:
            key = _job_key(connection, profile, job_id)
            connection.execute(sa.delete(job_metrics).where(job_metrics.c.job == key))
            rows = [
                {
                    "job": key,
                    "step": p.step,
                    "train_loss": p.train_loss,
                    "train_accuracy": p.train_accuracy,
                    "valid_loss": p.valid_loss,
                    "valid_accuracy": p.valid_accuracy,
                }
                for p in points
            ]
            if rows:
                connection.execute(sa.insert(job_metrics), rows)

    def metrics(self, profile: str, job_id: str) -> list[StoredMetric]:
        with self._read() as connection:
            key = _job_key(connection, profile, job_id)
            query = (
                sa.select(job_metrics).where(job_metrics.c.job == key).order_by(job_metrics.c.step)
            )
            return [
                StoredMetric(
                    row.step, row.train_loss, row.train_accuracy, row.valid_loss, row.valid_accuracy
                )
                for row in connection.execute(query)
            ]


def _job_key(connection: sa.Connection, profile: str, job_id: str) -> int:
    key = connection.execute(
        sa.select(jobs.c.id).where(jobs.c.profile == profile, jobs.c.job_id == job_id)
    ).scalar_one_or_none()
    if key is None:
        raise KeyError(f"no job {job_id} of profile {profile} in this project")
    return key


def _moment(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _launch(row: sa.Row) -> Launch:
    return Launch(
        intent_id=row.intent_id,
        profile=row.profile,
        dataset_id=row.dataset_id,
        fingerprint=row.fingerprint,
        request=row.request,
        created_at=utc(row.created_at),
        created_by=row.created_by,
        job_id=row.job_id,
    )


def _job(row: sa.Row) -> StoredJob:
    return StoredJob(
        profile=row.profile,
        job_id=row.job_id,
        status=row.status,
        base_model=row.base_model,
        fine_tuned_model=row.fine_tuned_model,
        created_at=utc(row.created_at),
        finished_at=utc(row.finished_at),
        snapshot=row.snapshot,
        intent_id=row.intent_id,
        updated_at=utc(row.updated_at),
    )
