"""Proposing a split: the shares a reviewer checks, one undoable step, and a refused store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.ui.conftest import open_session, show_window
from tunedeck.core.stats import find_leaks
from tunedeck.core.storage import Project, Split, Status
from tunedeck.ui.dialogs.split_dialog import SplitDialog
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
