"""Schema changes: the first schema is a migration; older projects upgrade, newer are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.errors import UserError
from tunedeck.core.storage import Project
from tunedeck.core.storage.migrate import SCRIPTS, known_revisions
from tunedeck.core.storage.schema import metadata
from tunedeck.core.storage.sqlite_files import backup_path

# A later TuneDeck's migration, as a test stand-in: it adds a column with a default.
NEXT_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("examples") as batch:
        batch.add_column(sa.Column("priority", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("examples") as batch:
        batch.drop_column("priority")
"""


@pytest.fixture
def newer_scripts(tmp_path: Path) -> Path:
    """The migration scripts of a TuneDeck one schema revision ahead of this one."""
    scripts = tmp_path / "newer-migrations"
    shutil.copytree(SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    _, head = known_revisions()
    (scripts / "versions" / "0099_priority.py").write_text(NEXT_REVISION.format(head=head))
    return scripts


def test_the_migrations_build_exactly_the_schema_the_code_uses(location: str):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    Project.open(location, create=True).close()
    engine = sa.create_engine(location if "://" in location else f"sqlite:///{location}")
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_an_older_project_is_backed_up_then_upgraded(tmp_path: Path, newer_scripts: Path):
    path = tmp_path / "team.tunedeck"
    with Project.open(path, create=True) as project:
        info = project.import_file(BUNDLED_SAMPLE)
        example = project.window(info.id, 0, 1)[0]
        project.review(example.id, example.version, notes="before the upgrade")
    with Project.open(path, migrations=newer_scripts) as upgraded:
        assert upgraded.example(example.id).review.notes == "before the upgrade"
    _, head = known_revisions()
    backup = backup_path(path, head)
    assert backup.exists()
    with sqlite3.connect(backup) as old, sqlite3.connect(path) as new:
        assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert new.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]
        assert new.execute("SELECT priority FROM examples LIMIT 1").fetchall() == [(0,)]
        notes = "SELECT notes FROM examples WHERE id = ?"
        assert old.execute(notes, (example.id,)).fetchall() == [("before the upgrade",)]
    # The backup is itself a project this TuneDeck can open.
    with Project.open(backup) as restored:
        assert restored.count(info.id) == 43


def test_a_project_from_a_newer_tunedeck_is_refused_untouched(location: str, newer_scripts: Path):
    Project.open(location, create=True, migrations=newer_scripts).close()
    before = Path(location).read_bytes() if "://" not in location else None
    with pytest.raises(UserError, match=r"saved by a newer TuneDeck \(schema 0099"):
        Project.open(location)
    if before is not None:
        assert Path(location).read_bytes() == before


def test_a_database_of_something_else_is_not_taken_over(tmp_path: Path):
    path = tmp_path / "other.tunedeck"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(UserError, match=r"holds other tables \(invoices\) and is not a TuneDeck"):
        Project.open(path)
    with sqlite3.connect(path) as other:
        tables = other.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("invoices",)]


def test_a_new_project_records_its_creator(tmp_path: Path):
    path = tmp_path / "p.tunedeck"
    Project.open(path, create=True).close()
    with sqlite3.connect(path) as db:
        info = dict(db.execute("SELECT key, value FROM project_info"))
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert info["created_by"].startswith("TuneDeck ")
    assert journal == "wal"


def test_a_first_schema_project_gains_the_newer_tables_and_keeps_its_work(tmp_path: Path):
    first_only = tmp_path / "first-schema-migrations"
    shutil.copytree(SCRIPTS, first_only, ignore=shutil.ignore_patterns("__pycache__"))
    for later in (first_only / "versions").glob("000[2-9]_*.py"):
        later.unlink()
    path = tmp_path / "made-by-an-older-tunedeck.tunedeck"
    with Project.open(path, create=True, migrations=first_only) as older:
        info = older.import_file(BUNDLED_SAMPLE)
        example = older.window(info.id, 0, 1)[0]
        older.review(example.id, example.version, notes="kept")
    with Project.open(path) as upgraded:
        assert upgraded.example(example.id).review.notes == "kept"
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert {"launches", "jobs", "job_events", "job_metrics", "remote_uploads"} <= tables
    assert {"conversations", "chat_messages", "spot_checks", "spot_check_results"} <= tables
    assert backup_path(path, "0001").exists()


def test_every_migration_is_named_after_its_revision_so_opening_can_skip_alembic():
    from alembic.script import ScriptDirectory

    from tunedeck.core.storage.migrate import _config, head_by_file_name

    directory = ScriptDirectory.from_config(_config(SCRIPTS))
    for script in directory.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
    assert head_by_file_name() == directory.get_current_head()
