"""A curation session: edits and fixes are linted incrementally and stored before returning."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Split, Status


@pytest.fixture
def path(tmp_path: Path) -> Path:
    location = tmp_path / "p.tunedeck"
    with Project.open(location, create=True, author="ann") as project:
        info = project.import_file(BUNDLED_SAMPLE, "tickets")
        settings = info.settings
        settings.model = "davinci-002"
        project.set_settings("tickets", settings, info.settings_version)
    return location


@pytest.fixture
def session(path: Path):
    project = Project.open(path, author="ann")
    opened = CurationSession(project, "tickets")
    opened.lint_all()
    yield opened
    project.close()


def _rules(session: CurationSession, row_id: int) -> set[str]:
    return {d.rule for d in session.linter.diagnostics_for(row_id)}


def _row_with(session: CurationSession, rule: str) -> int:
    return next(d.row_id for d in session.linter.diagnostics() if d.rule == rule)


def test_a_fix_updates_findings_at_once_and_is_stored(session: CurationSession, path: Path):
    row_id = _row_with(session, "missing-stop")
    fix = next(d.fix for d in session.linter.diagnostics_for(row_id) if d.rule == "missing-stop")
    repainted = []
    session.findings_changed.connect(lambda update: repainted.append(update.rows))
    undo = session.execute(fix.command())
    assert "missing-stop" not in _rules(session, row_id)
    assert any(row_id in rows for rows in repainted)
    with Project.open(path) as other:
        assert other.example(row_id).record == session.dataset[row_id].record
    session.execute(undo)
    assert "missing-stop" in _rules(session, row_id)
    with Project.open(path) as other:
        assert other.example(row_id).example.raw is not None  # back to the imported bytes


def test_delete_and_its_undo_are_stored(session: CurationSession, path: Path):
    row_id = session.dataset.ids()[4]
    undo = session.execute(DeleteRows((row_id,)))
    with Project.open(path) as other:
        assert other.example(row_id).deleted
        assert other.count(session.info.id) == 42
    session.execute(undo)
    assert session.dataset.ids()[4] == row_id
    with Project.open(path) as other:
        assert not other.example(row_id).deleted


def test_review_and_ignore_for_this_row(session: CurationSession, path: Path):
    row_id = _row_with(session, "duplicate")
    seen = []
    session.reviewed.connect(seen.append)
    old = session.review(row_id, status=Status.APPROVED, notes="fine")
    assert old == {"status": Status.UNREVIEWED, "notes": "", "reviewer": None}
    assert seen == [{row_id}]  # one announcement, naming the row
    session.review(row_id, suppressed=["duplicate"])
    assert "duplicate" not in _rules(session, row_id)
    with Project.open(path) as other:
        review = other.example(row_id).review
    assert (review.status, review.notes, review.suppressed) == ("approved", "fine", ("duplicate",))


def test_a_refused_store_leaves_memory_as_it_was(session: CurationSession, path: Path):
    row_id = _row_with(session, "missing-stop")
    with Project.open(path, author="bob") as other:
        current = other.example(row_id)
        other.set_fields(row_id, current.version, {"completion": " bob\n"})
    before = dict(session.dataset[row_id].record)
    with pytest.raises(UserError, match="changed by bob"):
        session.execute(SetField(row_id, "completion", " ann\n"))
    assert session.dataset[row_id].record == before
    assert session.refresh() == {row_id}
    assert session.dataset[row_id].record["completion"] == " bob\n"
    session.execute(SetField(row_id, "completion", " ann\n"))  # now against bob's version


def test_repairing_a_quarantined_line_brings_the_example_back(session: CurationSession):
    broken = next(e for e in session.dataset if e.is_quarantined)
    assert "invalid-record" in _rules(session, broken.id)
    text = '{"prompt": "Ticket: ok\\n\\n###\\n\\n", "completion": " x\\n"}'
    old = session.replace_line(broken.id, text)
    assert old.startswith('{"prompt"')
    assert not session.dataset[broken.id].is_quarantined
    assert "invalid-record" not in _rules(session, broken.id)
    session.replace_line(broken.id, old)
    assert session.dataset[broken.id].is_quarantined


def test_added_examples_are_stored_in_place_and_linted(session: CurationSession, path: Path):
    after = session.dataset.ids()[0]
    new_id = session.add({"prompt": "Ticket: new", "completion": "billing"}, after=after)
    assert session.dataset.ids()[1] == new_id
    assert {"missing-separator", "completion-leading-space"} <= _rules(session, new_id)
    with Project.open(path) as other:
        assert [s.id for s in other.window(session.info.id, 0, 2)] == [after, new_id]


def test_new_settings_relint(session: CurationSession):
    relinted = []
    session.relinted.connect(lambda: relinted.append(True))
    settings = session.info.settings
    settings.model = "gpt-4o-mini"
    session.apply_settings(settings)
    session.lint_all()
    assert relinted == [True]
    assert session.linter.settings.model.name == "gpt-4o-mini"
    assert any(d.rule == "format-mismatch" for d in session.linter.diagnostics())


def test_review_many_stores_all_in_one_go_and_undoes(session: CurationSession, path: Path):
    ids = session.dataset.ids()[:3]
    seen = []
    session.reviewed.connect(seen.append)
    old = session.review_many({row_id: {"split": Split.VALIDATION} for row_id in ids})
    assert old == {row_id: {"split": Split.UNASSIGNED} for row_id in ids}
    assert seen == [set(ids)]  # one announcement for the whole change
    with Project.open(path) as other:
        assert [other.example(row_id).review.split for row_id in ids] == [Split.VALIDATION] * 3
    session.review_many(old)
    assert [session.reviews[row_id].split for row_id in ids] == [Split.UNASSIGNED] * 3


def test_review_many_stores_nothing_when_one_row_is_refused(session: CurationSession, path: Path):
    ids = session.dataset.ids()[:3]
    with Project.open(path, author="bob") as other:
        other.review(ids[2], other.example(ids[2]).version, notes="bob was here")
    with pytest.raises(UserError, match="changed by bob"):
        session.review_many({row_id: {"split": Split.TRAIN} for row_id in ids})
    assert [session.reviews[row_id].split for row_id in ids] == [Split.UNASSIGNED] * 3
    with Project.open(path) as other:
        assert [other.example(row_id).review.split for row_id in ids] == [Split.UNASSIGNED] * 3


def test_review_many_shows_nothing_until_stored_then_reports_its_progress(
    session: CurationSession, path: Path
):
    ids = session.dataset.ids()
    validation = {"split": Split.VALIDATION}  # one mapping for every row, as a split passes
    seen: list[frozenset[int]] = []
    session.reviewed.connect(seen.append)
    steps: list[tuple[int, int]] = []

    def run_store(store):
        # The window runs the store in a thread and repaints meanwhile: until it is done, the
        # session must still show what the project held, and tell nobody anything.
        assert seen == [] and session.reviews[ids[0]].split is Split.UNASSIGNED
        result = []
        thread = threading.Thread(target=lambda: result.append(store()))
        thread.start()
        thread.join(timeout=30)
        return result[0]

    old = session.review_many(
        {row_id: validation for row_id in ids},
        lambda done, total: steps.append((done, total)),
        run_store,
    )
    assert old == {row_id: {"split": Split.UNASSIGNED} for row_id in ids}
    assert seen == [set(ids)]
    assert steps == [(len(ids), len(ids))]  # fewer than a thousand rows: only the end
    with Project.open(path) as other:
        assert {other.example(row_id).review.split for row_id in ids} == {Split.VALIDATION}
        assert all(other.history(row_id)[-1].new == "validation" for row_id in ids)


def test_the_list_of_every_finding_follows_fixes_ignores_and_undo(session: CurationSession):
    def everything() -> set[tuple[str, int | None]]:
        return {(d.rule, d.row_id) for d in session.linter.diagnostics()}

    row_id = _row_with(session, "missing-stop")
    assert ("missing-stop", row_id) in everything()  # asked once: kept until a change
    fix = next(d.fix for d in session.linter.diagnostics_for(row_id) if d.rule == "missing-stop")
    undo = session.execute(fix.command())
    assert ("missing-stop", row_id) not in everything()
    session.execute(undo)
    assert ("missing-stop", row_id) in everything()
    session.review(row_id, suppressed=["missing-stop"])  # "Ignore for this row"
    assert ("missing-stop", row_id) not in everything()
