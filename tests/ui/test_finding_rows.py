"""Filtering by finding keeps up with fixes, undo, new rows and new settings."""

from __future__ import annotations

import dataclasses

import pytest

from tests.ui.conftest import show_window
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.models.table_columns import Column

pytestmark = pytest.mark.gui


def _shown(window: MainWindow) -> set[int]:
    return {window.model.row_id(row) for row in range(window.model.rowCount())}


def _with(window: MainWindow, rule: str) -> set[int]:
    return {d.row_id for d in window.session.linter.diagnostics() if d.rule == rule}


def _refilter(window: MainWindow) -> None:
    # A sort filters every row again with the predicate the table holds.
    window.model.sort(window.model.column_number(Column.TOKENS))


@pytest.fixture
def window(qtbot, sample_session) -> MainWindow:
    return show_window(qtbot, sample_session)


def test_a_rule_filter_follows_a_fix_its_undo_and_a_new_row(qtbot, window: MainWindow):
    combo = window.filters.rule
    combo.setCurrentIndex(combo.findData("missing-stop"))
    flagged = _with(window, "missing-stop")
    assert _shown(window) == flagged and flagged

    finding = next(d for d in window.session.linter.diagnostics() if d.rule == "missing-stop")
    window.problems.fix_requested.emit(finding.fix.command())
    _refilter(window)
    assert _shown(window) == flagged - {finding.row_id}
    window.undo_stack.undo()
    _refilter(window)
    assert _shown(window) == flagged

    new_id = window.session.add({"prompt": "Ticket: new\n\n###\n\n", "completion": " billing"})
    assert new_id in _with(window, "missing-stop")
    assert new_id in _shown(window)  # shown as it arrives, without a refilter


def test_rows_without_findings_exclude_a_new_row_with_some(qtbot, window: MainWindow):
    combo = window.filters.severity
    combo.setCurrentIndex(combo.findData("none"))
    clean = set(window.session.dataset.ids()) - {
        d.row_id for d in window.session.linter.diagnostics()
    }
    assert _shown(window) == clean and clean
    new_id = window.session.add({"prompt": "no separator", "completion": "no space"})
    assert new_id not in _shown(window)


def test_new_settings_filter_by_the_new_findings(qtbot, window: MainWindow):
    combo = window.filters.rule
    combo.setCurrentIndex(combo.findData("missing-stop"))
    assert _shown(window)
    session = window.session
    settings = dataclasses.replace(session.info.settings, stop=" END")
    session.apply_settings(settings)
    session.lint_all()
    session.relinted.emit()  # what the window's lint worker does at the end of the pass
    assert _shown(window) == _with(window, "missing-stop")
    assert len(_shown(window)) > len(session.dataset) // 2  # no completion ends with " END"
