"""Opening a session with its first rows, and bringing in the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Status

SEPARATOR = "\n\n###\n\n"


@pytest.fixture
def project(tmp_path: Path):
    """25 rows: the first 5 end their prompts with "->", the other 20 with the seeds'
    separator, so settings inferred from the first rows alone would be wrong."""
    source = tmp_path / "tickets.jsonl"
    rows = [{"prompt": f"ticket {n} ->", "completion": " refund"} for n in range(5)]
    rows += [{"prompt": f"ticket {n}{SEPARATOR}", "completion": " billing"} for n in range(20)]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    with Project.open(tmp_path / "p.tunedeck", create=True, author="ann") as created:
        info = created.import_file(source, "tickets")
        last = list(created.examples(info.id))[-1]
        created.review(last.id, last.version, status=Status.APPROVED)
    opened = Project.open(tmp_path / "p.tunedeck", author="ann")
    yield opened
    opened.close()


def test_a_session_opened_with_its_first_rows_takes_the_rest_in_one_step(project: Project):
    session = CurationSession(project, "tickets", first=5)
    assert len(session.dataset) == 5
    assert not session.complete
    assert session.total_rows == 25
    appended: list[list[int]] = []
    session.dataset.rows_appended.connect(appended.append)
    progress: list[int] = []

    rest = session.read_rest(progress.append)
    assert len(session.dataset) == 5  # the worker only reads; the dataset waits
    session.take_rest(rest)

    whole = CurationSession(project, "tickets")
    assert session.complete
    assert session.dataset.ids() == whole.dataset.ids()
    assert [e.record for e in session.dataset] == [e.record for e in whole.dataset]
    assert session.reviews == whole.reviews
    assert session.reviews[whole.dataset.ids()[-1]].status is Status.APPROVED
    assert appended == [whole.dataset.ids()[5:]]
    assert progress[-1] == 20


def test_the_first_lint_after_the_rest_infers_settings_from_every_row(project: Project):
    session = CurationSession(project, "tickets", first=5)
    session.take_rest(session.read_rest())
    session.lint_all()

    assert session.linter.settings.separator == SEPARATOR
    flagged = {d.row_id for d in session.linter.diagnostics() if d.rule == "missing-separator"}
    assert flagged == set(session.dataset.ids()[:5])


def test_a_small_dataset_opens_whole_even_when_asked_for_its_first_rows(project: Project):
    session = CurationSession(project, "tickets", first=100)
    assert session.complete
    assert len(session.dataset) == session.total_rows == 25
    assert session.read_rest() == {}


def test_linted_means_every_row_in_and_checked_by_the_current_linter(project: Project):
    # What the Fine-tune tab waits for before it checks an export.
    session = CurationSession(project, "tickets", first=5)
    session.lint_all()  # the first rows only
    assert not session.linted
    session.take_rest(session.read_rest())
    assert not session.linted
    session.lint_all()
    assert session.linted
    session.apply_settings(session.info.settings)  # a new linter, not run yet
    assert not session.linted
    session.lint_all()
    assert session.linted
