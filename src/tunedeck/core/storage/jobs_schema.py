"""The tables that trace a fine-tune back to its data: uploads, launches, jobs and their logs.

Kept in the project, not in the app's settings, so that a team sees each other's jobs and a
job can always be traced to the exact files it was trained on (`launches.fingerprint`).
Provider profiles are named, never stored here with their keys: keys live in the keychain.
"""

from __future__ import annotations

import sqlalchemy as sa

from tunedeck.core.storage.schema import metadata

_WHEN = sa.DateTime(timezone=True)

# Files uploaded to a provider, by content: a retried launch reuses the upload instead of
# sending (and paying storage for) the same file twice.
remote_uploads = sa.Table(
    "remote_uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("profile", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # sha256 of the bytes sent
    sa.Column("file_id", sa.Text, nullable=False),
    sa.Column("filename", sa.Text, nullable=False),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    sa.Column("uploaded_at", _WHEN, nullable=False),
    sa.UniqueConstraint("profile", "fingerprint", name="uq_remote_uploads_content"),
)

# The intent to create a job, written BEFORE the provider is asked: if the answer is lost (a
# dropped connection), the job is looked up by this id instead of being created twice.
launches = sa.Table(
    "launches",
    metadata,
    sa.Column("intent_id", sa.String(64), primary_key=True),
    sa.Column("profile", sa.String(200), nullable=False),
    sa.Column(
        "dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True
    ),
    # sha256 over the exported files and the settings they were built with.
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("request", sa.JSON, nullable=False),  # what was asked for, never a key
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("job_id", sa.Text, nullable=True),  # once the provider has answered
)

# Every job the project knows, as the provider last reported it.
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("profile", sa.String(200), nullable=False),
    sa.Column("job_id", sa.Text, nullable=False),
    sa.Column(
        "intent_id",
        sa.String(64),
        sa.ForeignKey("launches.intent_id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("base_model", sa.Text, nullable=False),
    sa.Column("fine_tuned_model", sa.Text, nullable=True),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("finished_at", _WHEN, nullable=True),
    sa.Column("snapshot", sa.JSON, nullable=False),  # the whole job record, for the jobs view
    sa.Column("updated_at", _WHEN, nullable=False),
    sa.UniqueConstraint("profile", "job_id", name="uq_jobs_remote_id"),
)

job_events = sa.Table(
    "job_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("job", sa.Integer, sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.UniqueConstraint("job", "event_id", name="uq_job_events_remote_id"),
)

# One row per training step of the result file: the loss curves, kept after the provider
# deletes the file.
job_metrics = sa.Table(
    "job_metrics",
    metadata,
    sa.Column("job", sa.Integer, sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("step", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("train_loss", sa.Float, nullable=True),
    sa.Column("train_accuracy", sa.Float, nullable=True),
    sa.Column("valid_loss", sa.Float, nullable=True),
    sa.Column("valid_accuracy", sa.Float, nullable=True),
)
