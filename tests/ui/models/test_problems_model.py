"""The problems tree: one branch per rule, kept current edit by edit through the session."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.lint.diagnostic import Severity
from tunedeck.core.session import CurationSession
from tunedeck.ui.models.problems import DiagnosticRole, ProblemsModel, RuleRole


def _branches(model: ProblemsModel) -> dict[str, str]:
    return {
        model.index(row, 0).data(RuleRole): model.index(row, 0).data()
        for row in range(model.rowCount())
    }


def _leaves(model: ProblemsModel, rule: str) -> list:
    parent = model.rule_index(rule)
    return [
        model.index(row, 0, parent).data(DiagnosticRole) for row in range(model.rowCount(parent))
    ]


def _expected(session: CurationSession) -> dict[str, list]:
    found: dict[str, list] = {}
    for diagnostic in session.linter.diagnostics():
        found.setdefault(diagnostic.rule, []).append(diagnostic)
    return found


@pytest.mark.gui
def test_the_tree_groups_every_finding_by_rule(qtbot, qtmodeltester, session: CurationSession):
    model = ProblemsModel(session)
    qtmodeltester.check(model)
    branches = _branches(model)
    expected = _expected(session)
    assert branches["missing-stop"] == f"missing-stop (TD104) — {len(expected['missing-stop'])}"
    assert branches["pii"] == "pii (TD401) — 2"  # two findings on one row: two leaves
    assert "class-imbalance" in branches  # dataset-wide findings have a branch too
    assert {rule: _leaves(model, rule) for rule in model.rules()} == expected
    severities = Counter(d.severity for d in session.linter.diagnostics())
    assert model.counts() == {severity: severities[severity] for severity in Severity}
    assert model.counts()[Severity.ERROR] == 1  # the quarantined line


@pytest.mark.gui
def test_a_leaf_shows_line_field_and_message(qtbot, session: CurationSession):
    model = ProblemsModel(session)
    parent = model.rule_index("missing-stop")
    diagnostic = model.index(0, 0, parent).data(DiagnosticRole)
    line = session.dataset[diagnostic.row_id].line
    texts = [model.index(0, column, parent).data() for column in range(3)]
    assert texts == [f"line {line}", "completion", diagnostic.message]
    assert model.index(0, 0, parent).data(Qt.ItemDataRole.DecorationRole) is not None
    dataset_wide = model.index(0, 0, model.rule_index("class-imbalance"))
    assert dataset_wide.data() == "dataset"


@pytest.mark.gui
def test_edits_update_only_what_they_touch(qtbot, qtmodeltester, session: CurationSession):
    model = ProblemsModel(session)
    qtmodeltester.check(model)  # keeps checking the model's signals from here on
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    row_id = _leaves(model, "missing-stop")[0].row_id

    undo = session.execute(SetField(row_id, "completion", " billing\n"))
    assert "missing-stop" not in model.rules()
    session.execute(undo)
    assert _leaves(model, "missing-stop")[0].row_id == row_id

    clean = session.dataset.ids()[0]
    session.execute(SetField(clean, "completion", "billing"))  # no leading space, no stop
    assert {"missing-stop", "completion-leading-space"} <= {
        d.rule for d in session.linter.diagnostics_for(clean)
    }
    assert [d.row_id for d in _leaves(model, "missing-stop")] == sorted([clean, row_id])
    assert resets == []
    assert {rule: _leaves(model, rule) for rule in model.rules()} == _expected(session)


@pytest.mark.gui
def test_deleted_rows_and_ignored_rules_leave_the_tree(
    qtbot, qtmodeltester, session: CurationSession
):
    model = ProblemsModel(session)
    qtmodeltester.check(model)
    pii_row = _leaves(model, "pii")[0].row_id
    session.execute(DeleteRows((pii_row,)))
    assert "pii" not in model.rules()
    stop_row = _leaves(model, "missing-stop")[0].row_id
    session.review(stop_row, suppressed=["missing-stop"])
    assert "missing-stop" not in model.rules()
    assert {rule: _leaves(model, rule) for rule in model.rules()} == _expected(session)


@pytest.mark.gui
def test_new_settings_rebuild_the_tree(qtbot, session: CurationSession):
    model = ProblemsModel(session)
    settings = session.info.settings
    settings.model = "gpt-4o-mini"
    session.apply_settings(settings)
    session.lint_all()
    session.relinted.emit()  # what the window does when its off-thread pass finishes
    assert "format-mismatch" in model.rules()
    assert model.rowCount(QModelIndex()) == len(_expected(session))
