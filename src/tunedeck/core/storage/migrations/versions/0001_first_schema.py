"""The first schema: datasets, their examples with review state, and the edit history.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_info",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("newline", sa.LargeBinary, nullable=False),
        sa.Column("bom", sa.Boolean, nullable=False),
        sa.Column("trailing", sa.LargeBinary, nullable=False),
        sa.Column("ensure_ascii", sa.Boolean, nullable=False),
        sa.Column("separators", sa.JSON, nullable=False),
        sa.Column("lint_settings", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "examples",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "dataset_id",
            sa.Integer,
            sa.ForeignKey("datasets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("line", sa.Integer, nullable=True),
        sa.Column("raw", sa.LargeBinary, nullable=True),
        sa.Column("record", sa.Text, nullable=True),
        sa.Column("eol", sa.LargeBinary, nullable=False),
        sa.Column("prefix", sa.LargeBinary, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("error_field", sa.Text, nullable=True),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("split", sa.String(16), nullable=False, server_default="unassigned"),
        sa.Column("status", sa.String(16), nullable=False, server_default="unreviewed"),
        sa.Column("reviewer", sa.Text, nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("tags", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("suppressed", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.Text, nullable=True),
        sa.CheckConstraint(
            "split IN ('train', 'validation', 'unassigned')", name="ck_examples_split"
        ),
        sa.CheckConstraint(
            "status IN ('unreviewed', 'approved', 'rejected', 'needs-work')",
            name="ck_examples_status",
        ),
    )
    op.create_index(
        "ix_examples_dataset_order", "examples", ["dataset_id", "deleted", "position", "id"]
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "example_id",
            sa.Integer,
            sa.ForeignKey("examples.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False, server_default="applied"),
    )
    op.create_index("ix_history_example", "history", ["example_id", "id"])


def downgrade() -> None:
    op.drop_table("history")
    op.drop_table("examples")
    op.drop_table("datasets")
    op.drop_table("project_info")
