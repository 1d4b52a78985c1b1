"""The tables of the chat tab and the spot-checks: what was asked, answered and rated.

Kept in the project so that a reviewer's ratings and a spot-check's results are there for the
whole team and comparable across runs (same examples, another model or another day).
"""

from __future__ import annotations

import sqlalchemy as sa

from tunedeck.core.storage.schema import metadata

_WHEN = sa.DateTime(timezone=True)

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("profile", sa.String(200), nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    # temperature, max_tokens, system message, training format: what the answers depended on
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("updated_at", _WHEN, nullable=False),
)

chat_messages = sa.Table(
    "chat_messages",
    metadata,
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
    sa.Column("model", sa.Text, nullable=True),  # who answered (compare mode: two models)
    sa.Column("rating", sa.String(8), nullable=True),  # "good" / "bad"
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.UniqueConstraint("conversation", "position", name="uq_chat_messages_order"),
)

spot_checks = sa.Table(
    "spot_checks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True
    ),
    sa.Column("profile", sa.String(200), nullable=False),
    sa.Column("models", sa.JSON, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),  # selection, temperature, format
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)

spot_check_results = sa.Table(
    "spot_check_results",
    metadata,
    sa.Column(
        "spot_check",
        sa.Integer,
        sa.ForeignKey("spot_checks.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # No foreign key: a result outlives the example it was about being deleted.
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
