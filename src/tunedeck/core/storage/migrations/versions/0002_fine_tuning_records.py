"""Fine-tuning records: uploads, launch intents, jobs, their events and metrics.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "remote_uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("file_id", sa.Text, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("bytes", sa.BigInteger, nullable=False),
        sa.Column("uploaded_at", _WHEN, nullable=False),
        sa.UniqueConstraint("profile", "fingerprint", name="uq_remote_uploads_content"),
    )
    op.create_table(
        "launches",
        sa.Column("intent_id", sa.String(64), primary_key=True),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("job_id", sa.Text, nullable=True),
    )
    op.create_table(
        "jobs",
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
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.UniqueConstraint("profile", "job_id", name="uq_jobs_remote_id"),
    )
    op.create_table(
        "job_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job", sa.Integer, sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.UniqueConstraint("job", "event_id", name="uq_job_events_remote_id"),
    )
    op.create_table(
        "job_metrics",
        sa.Column(
            "job", sa.Integer, sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("step", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("train_loss", sa.Float, nullable=True),
        sa.Column("train_accuracy", sa.Float, nullable=True),
        sa.Column("valid_loss", sa.Float, nullable=True),
        sa.Column("valid_accuracy", sa.Float, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("job_metrics")
    op.drop_table("job_events")
    op.drop_table("jobs")
    op.drop_table("launches")
    op.drop_table("remote_uploads")
