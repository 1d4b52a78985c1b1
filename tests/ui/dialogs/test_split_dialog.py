"""Proposing a split: the shares a reviewer checks, one undoable step, and a refused store."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from tests.conftest import SAMPLES
from tests.ui.conftest import open_session, show_window
from tunedeck.core.stats import find_leaks
from tunedeck.core.storage import Project, Split, Status
from tunedeck.ui.dialogs.split_dialog import SplitChange, SplitDialog
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.widgets.balance_style import Segment

pytestmark = pytest.mark.gui

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"


@pytest.fixture
def window(qtbot, tmp_path: Path):
    shown = show_window(qtbot, open_session(tmp_path / "p.tunedeck", DBPEDIA, model=None))
    yield shown
    shown.close()


def _dialog(qtbot, window: MainWindow) -> SplitDialog:
    dialog = SplitDialog(window.session, window)
    qtbot.addWidget(dialog)
    return dialog


def _splits(window: MainWindow) -> dict[Split, int]:
    reviews = window.session.reviews
    found = [reviews[row_id].split for row_id in window.session.dataset.ids()]
    return {split: found.count(split) for split in Split}


def test_the_dialog_shows_every_class_share_on_both_sides(qtbot, window: MainWindow):
    dialog = _dialog(qtbot, window)
    proposal = dialog.proposal
    assert proposal is not None
    held_out = proposal.validation
    assert 30 <= held_out <= 50  # 20 %, moved by up to a quarter to keep every class's share
    assert dialog.table.rowCount() == 14
    assert dialog.table.item(0, 0).text() == "Artist"
    assert dialog.table.item(0, 1).text() == "10.5 %"  # 21 of 200
    assert f"<b>{200 - held_out} train</b> and <b>{held_out} validation</b>" in (
        dialog.summary.text()
    )
    dialog.fraction.setValue(40)
    qtbot.waitUntil(lambda: dialog.proposal.validation != held_out)
    assert 60 <= dialog.proposal.validation <= 100
    assert dialog.buttons.button(dialog.buttons.StandardButton.Apply).isEnabled()


def test_applying_is_one_undoable_step(qtbot, window: MainWindow):
    proposal = _dialog(qtbot, window).proposal
    window._on_split_requested(proposal)
    assert window.undo_stack.count() == 1
    held_out = proposal.validation
    assert _splits(window) == {
        Split.TRAIN: 200 - held_out,
        Split.VALIDATION: held_out,
        Split.UNASSIGNED: 0,
    }
    assert find_leaks(window.session) == []
    chart = window.stats.balance_chart
    qtbot.waitUntil(lambda: Segment(Split.VALIDATION, Status.UNREVIEWED) in chart._sets)
    assert "Split stored" in window.messages.text
    with Project.open(window.session.project.location) as other:
        stored = [r.review.split for r in other.examples(window.session.info.id)]
        assert stored.count(Split.VALIDATION) == held_out

    window.undo_stack.undo()
    assert _splits(window)[Split.UNASSIGNED] == 200
    qtbot.waitUntil(lambda: Segment(None, Status.UNREVIEWED) in chart._sets)
    window.undo_stack.redo()
    assert _splits(window)[Split.VALIDATION] == held_out


def test_a_split_someone_else_interrupted_is_not_stored_at_all(qtbot, window: MainWindow):
    proposal = _dialog(qtbot, window).proposal
    row_id = window.session.dataset.ids()[-1]
    with Project.open(window.session.project.location, author="bob") as other:
        other.review(row_id, other.example(row_id).version, notes="bob's")
    window._on_split_requested(proposal)
    assert "changed by bob" in window.messages.text
    assert window.undo_stack.count() == 0
    assert _splits(window)[Split.UNASSIGNED] == 200


def _stored_splits(window: MainWindow) -> dict[int, Split]:
    with Project.open(window.session.project.location) as reopened:
        return {s.id: s.review.split for s in reopened.examples(window.session.info.id)}


def _large(window: MainWindow, proposal) -> SplitChange:
    """The change as the window makes it, treating this small sample as a large split."""
    return SplitChange(window.session, proposal, window._report, window._bulk, progress_from=1)


class _Watch:
    """What a user would see while a large split is stored: polls from the event loop, and
    holds the project's write lock until the store's thread is waiting for it, so the store
    can only finish if the window goes on handling events meanwhile."""

    def __init__(self, project_file: Path) -> None:
        self.seen: list[tuple[bool, bool]] = []  # (progress dialog shown, store running)
        self.blocker = sqlite3.connect(project_file, isolation_level=None)
        self.blocker.execute("BEGIN IMMEDIATE")
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        shown = any(
            isinstance(widget, QProgressDialog) and widget.isVisible()
            for widget in QApplication.topLevelWidgets()
        )
        storing = any(thread.name == "tunedeck-split-store" for thread in threading.enumerate())
        self.seen.append((shown, storing))
        if shown and storing and self.blocker.in_transaction:
            self.blocker.rollback()

    def stop(self) -> None:
        self.timer.stop()
        self.blocker.close()


def test_a_large_split_is_stored_behind_a_progress_dialog_and_undone(qtbot, window: MainWindow):
    proposal = _dialog(qtbot, window).proposal
    before = _stored_splits(window)
    watch = _Watch(Path(window.session.project.location))
    change = _large(window, proposal)
    try:
        assert change.apply()
    finally:
        watch.stop()
    window.undo_stack.push(change)
    assert (True, True) in watch.seen  # the dialog was up and the window alive while storing
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert {r: window.session.reviews[r].split for r in proposal.assignments} == (
        proposal.assignments
    )
    assert _stored_splits(window) == {**before, **proposal.assignments}
    some = next(iter(proposal.assignments))
    (entry,) = window.session.project.history(some)
    assert (entry.old, entry.new) == ("unassigned", proposal.assignments[some])
    chart = window.stats.balance_chart
    qtbot.waitUntil(lambda: Segment(Split.VALIDATION, Status.UNREVIEWED) in chart._sets)

    window.undo_stack.undo()
    assert _splits(window)[Split.UNASSIGNED] == 200
    assert _stored_splits(window) == before
    qtbot.waitUntil(lambda: Segment(None, Status.UNREVIEWED) in chart._sets)


def test_a_large_split_someone_else_interrupted_is_not_stored_at_all(qtbot, window: MainWindow):
    proposal = _dialog(qtbot, window).proposal
    before = _stored_splits(window)
    row_id = window.session.dataset.ids()[-1]
    with Project.open(window.session.project.location, author="bob") as other:
        other.review(row_id, other.example(row_id).version, notes="bob's")
    assert not _large(window, proposal).apply()
    assert "changed by bob" in window.messages.text
    assert _splits(window)[Split.UNASSIGNED] == 200
    assert _stored_splits(window) == before
    assert QApplication.overrideCursor() is None  # the busy cursor is gone too
