"""The tables of a project, as the code queries them.

The migrations under `migrations/versions/` create exactly these tables; a test compares the
two so that they cannot drift apart.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Facts about the project itself (who created it, with which TuneDeck).
project_info = sa.Table(
    "project_info",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("source", sa.Text, nullable=True),  # the file it was imported from
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # The file's layout, so that an export writes back what was imported byte for byte.
    sa.Column("newline", sa.LargeBinary, nullable=False),
    sa.Column("bom", sa.Boolean, nullable=False),
    sa.Column("trailing", sa.LargeBinary, nullable=False),
    sa.Column("ensure_ascii", sa.Boolean, nullable=False),
    sa.Column("separators", sa.JSON, nullable=False),
    sa.Column("lint_settings", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # of the settings, for concurrency
)

examples = sa.Table(
    "examples",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # Order within the dataset; spaced out so that an insertion rarely renumbers.
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("line", sa.Integer, nullable=True),  # in the source file; None for new examples
    # The line exactly as imported: what an untouched example exports, and what a
    # quarantined line still is.
    sa.Column("raw", sa.LargeBinary, nullable=True),
    # The record as JSON once it differs from `raw`; NULL while `raw` still describes it.
    sa.Column("record", sa.Text, nullable=True),
    sa.Column("eol", sa.LargeBinary, nullable=False),
    sa.Column("prefix", sa.LargeBinary, nullable=False),
    sa.Column("error", sa.Text, nullable=True),  # set while the line is quarantined
    sa.Column("error_field", sa.Text, nullable=True),
    sa.Column("label", sa.Text, nullable=True),  # set by hand; NULL means derived by the linter
    sa.Column("split", sa.String(16), nullable=False, server_default="unassigned"),
    sa.Column("status", sa.String(16), nullable=False, server_default="unreviewed"),
    sa.Column("reviewer", sa.Text, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("tags", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("suppressed", sa.JSON, nullable=False, server_default="[]"),  # rule names
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_by", sa.Text, nullable=True),
    sa.CheckConstraint("split IN ('train', 'validation', 'unassigned')", name="ck_examples_split"),
    sa.CheckConstraint(
        "status IN ('unreviewed', 'approved', 'rejected', 'needs-work')",
        name="ck_examples_status",
    ),
    # Covers the table's page query (live examples of a dataset, in order), so that paging to
    # the end of a large dataset skips rows in the index instead of reading each one.
    sa.Index("ix_examples_dataset_order", "dataset_id", "deleted", "position", "id"),
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "example_id",
        sa.Integer,
        sa.ForeignKey("examples.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # "status", "notes", ... for review fields; "$.prompt", "$.messages[2].content" for the
    # record's content, "$" for the whole record, "deleted" for a deletion.
    sa.Column("field", sa.Text, nullable=False),
    # JSON text; SQL NULL when the field did not exist (a key added or removed), which a JSON
    # column could not tell apart from a JSON null.
    sa.Column("old_value", sa.Text, nullable=True),
    sa.Column("new_value", sa.Text, nullable=True),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the example's version it produced
    # "applied", or "conflict" for a change refused because someone else changed the example
    # first: kept so that the loser's work is never lost.
    sa.Column("outcome", sa.String(16), nullable=False, server_default="applied"),
    sa.Index("ix_history_example", "example_id", "id"),
)

# The fine-tuning and chat tables join the same metadata, so that anything reading
# `metadata` (the migrations' drift test) sees every table of a project.
from tunedeck.core.storage import chat_schema, jobs_schema  # noqa: E402, F401
