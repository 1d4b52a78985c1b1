"""Every change can be undone and redone, and the project follows each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from tunedeck.core.dataset.commands import SetField
from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Status
from tunedeck.ui.undo import AddExample, LineChange, RecordChange, ReviewChange

pytestmark = pytest.mark.gui


def _stored(path: Path, row_id: int):
    with Project.open(path) as project:
        return project.example(row_id)


def test_edit_undo_redo_reach_the_project(qtbot, sample_session: CurationSession, project_path):
    errors: list[UserError] = []
    stack = QUndoStack()
    row_id = sample_session.dataset.ids()[1]
    change = RecordChange(
        sample_session, SetField(row_id, "completion", " billing\n"), "Edit", errors.append
    )
    assert change.apply()
    stack.push(change)
    assert _stored(project_path, row_id).record["completion"] == " billing\n"
    stack.undo()
    assert _stored(project_path, row_id).record["completion"] == " technical\n"
    stack.redo()
    assert _stored(project_path, row_id).record["completion"] == " billing\n"
    assert errors == []


def test_review_and_line_repair_undo(qtbot, sample_session: CurationSession, project_path):
    stack = QUndoStack()
    row_id = sample_session.dataset.ids()[0]
    review = ReviewChange(sample_session, row_id, {"status": Status.APPROVED}, "Ok", print)
    assert review.apply()
    stack.push(review)
    assert _stored(project_path, row_id).review.status is Status.APPROVED
    stack.undo()
    assert _stored(project_path, row_id).review.status is Status.UNREVIEWED
    assert _stored(project_path, row_id).review.reviewer is None

    broken = next(e.id for e in sample_session.dataset if e.is_quarantined)
    repair = LineChange(sample_session, broken, '{"prompt": "x", "completion": " y"}', print)
    assert repair.apply()
    stack.push(repair)
    assert not sample_session.dataset[broken].is_quarantined
    stack.undo()
    assert sample_session.dataset[broken].is_quarantined
    assert _stored(project_path, broken).example.error is not None


def test_added_example_goes_and_comes_back(qtbot, sample_session: CurationSession, project_path):
    stack = QUndoStack()
    first = sample_session.dataset.ids()[0]
    add = AddExample(sample_session, {"prompt": "new", "completion": " x"}, first, print)
    assert add.apply()
    stack.push(add)
    assert sample_session.dataset.ids()[1] == add.row_id
    stack.undo()
    assert add.row_id not in sample_session.dataset
    assert _stored(project_path, add.row_id).deleted
    stack.redo()
    assert sample_session.dataset.ids()[1] == add.row_id
    assert not _stored(project_path, add.row_id).deleted


def test_a_refused_change_never_reaches_the_stack(qtbot, sample_session, project_path):
    row_id = sample_session.dataset.ids()[1]
    with Project.open(project_path, author="bob") as other:
        current = other.example(row_id)
        other.set_fields(row_id, current.version, {"completion": " bob\n"})
    errors: list[UserError] = []
    edit = SetField(row_id, "completion", " ann\n")
    change = RecordChange(sample_session, edit, "Edit", errors.append)
    assert not change.apply()
    assert "changed by bob" in str(errors[0])
