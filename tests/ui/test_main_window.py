"""A reviewer's session in the window: keys, a fix, undo, a filter, and nothing lost on reopen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import open_session
from tunedeck.core.storage import Status
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.models.dataset_table import RowIdRole

pytestmark = pytest.mark.gui


def _findings(window: MainWindow, rule: str) -> list:
    return [d for d in window.session.linter.diagnostics() if d.rule == rule]


def test_review_by_keyboard_moves_on_and_is_kept(qtbot, window: MainWindow, project_path):
    first = window.current_row_id()
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert window.session.reviews[first].status is Status.APPROVED
    second = window.current_row_id()
    assert second != first  # moved to the next example
    qtbot.keyClick(window.view, Qt.Key.Key_R)
    assert window.session.reviews[second].status is Status.REJECTED
    assert "Reviewed 2 / 43" in window._counts.text()
    window.undo_stack.undo()
    assert window.session.reviews[second].status is Status.UNREVIEWED

    window.session.project.close()
    reopened = open_session(project_path)
    try:
        assert reopened.reviews[first].status is Status.APPROVED
        assert reopened.reviews[second].status is Status.UNREVIEWED
    finally:
        reopened.project.close()


def test_a_fix_from_the_problems_panel_and_its_undo(qtbot, window: MainWindow):
    before = len(_findings(window, "missing-stop"))
    finding = _findings(window, "missing-stop")[0]
    window.problems.fix_requested.emit(finding.fix.command())
    assert len(_findings(window, "missing-stop")) == before - 1
    index = window.model.index_of(finding.row_id, 2)
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole) or ""
    assert "does not end with the stop sequence" not in tooltip
    window.undo_stack.undo()
    assert len(_findings(window, "missing-stop")) == before


def test_filter_by_rule_shows_only_those_rows(qtbot, window: MainWindow):
    combo = window.filters.rule
    combo.setCurrentIndex(combo.findData("duplicate"))
    shown = {window.model.index(r, 0).data(RowIdRole) for r in range(window.model.rowCount())}
    assert shown == {d.row_id for d in _findings(window, "duplicate")}
    assert shown


def test_editing_a_cell_updates_its_findings_without_a_full_relint(qtbot, window: MainWindow):
    finding = _findings(window, "completion-leading-space")[0]
    index = window.model.index_of(finding.row_id, 2)
    old = window.session.dataset[finding.row_id].completion
    window.model.setData(index, " " + old, Qt.ItemDataRole.EditRole)
    assert finding.row_id not in {d.row_id for d in _findings(window, "completion-leading-space")}
    assert window.undo_stack.count() == 1


def test_export_writes_the_sample_back(qtbot, window: MainWindow, tmp_path):
    from tests.conftest import BUNDLED_SAMPLE

    window.export(tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == BUNDLED_SAMPLE.read_bytes()
    assert "Wrote 43 examples" in window.messages.text


def test_deleting_the_row_being_edited_keeps_the_window_working(qtbot, window: MainWindow):
    doomed = window.current_row_id()
    following = window.session.dataset.ids()[1]
    prompt = window.editor._fields["prompt"]
    prompt.setPlainText("typed but not sent yet")  # the editor's debounce has not fired
    window.delete_rows()  # a crash here would fail the test (pytest-qt reports slot errors)
    assert doomed not in window.session.dataset
    assert window.current_row_id() == following
    assert window.editor._fields["prompt"].toPlainText() != "typed but not sent yet"
    window.undo_stack.undo()
    assert doomed in window.session.dataset
