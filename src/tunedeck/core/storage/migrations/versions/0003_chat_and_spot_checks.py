"""The chat tab's conversations and the spot-checks' results.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conversation",
            sa.Integer,
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=True),
        sa.Column("rating", sa.String(8), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.UniqueConstraint("conversation", "position", name="uq_chat_messages_order"),
    )
    op.create_table(
        "spot_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column("models", sa.JSON, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
    )
    op.create_table(
        "spot_check_results",
        sa.Column(
            "spot_check",
            sa.Integer,
            sa.ForeignKey("spot_checks.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("example_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("model", sa.String(200), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("expected", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("rating", sa.String(8), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("answered_at", _WHEN, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("spot_check_results")
    op.drop_table("spot_checks")
    op.drop_table("chat_messages")
    op.drop_table("conversations")
