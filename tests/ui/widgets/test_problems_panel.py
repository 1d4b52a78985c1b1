"""The Problems panel: what a user sees, and the requests its buttons send to the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tunedeck.core.dataset.commands import Batch, EditText, SetField
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.session import CurationSession
from tunedeck.ui.models.problems import DiagnosticRole, RuleRole
from tunedeck.ui.widgets.problems_panel import ProblemsPanel, plan_fix_all


@pytest.fixture
def panel(qtbot, session: CurationSession) -> ProblemsPanel:
    widget = ProblemsPanel(session)
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _branch(panel: ProblemsPanel, rule: str) -> QModelIndex:
    model = panel.view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(RuleRole) == rule:
            return index
    raise AssertionError(f"no branch for {rule}")


def _select_first(panel: ProblemsPanel, rule: str) -> QModelIndex:
    leaf = panel.view.model().index(0, 0, _branch(panel, rule))
    panel.view.setCurrentIndex(leaf)
    return leaf


def _has_branch(panel: ProblemsPanel, rule: str) -> bool:
    model = panel.view.model()
    return any(model.index(row, 0).data(RuleRole) == rule for row in range(model.rowCount()))


@pytest.mark.gui
def test_findings_are_grouped_under_their_rule_with_a_count(panel, session):
    count = sum(d.rule == "missing-stop" for d in session.linter.diagnostics())
    branch = _branch(panel, "missing-stop")
    assert branch.data() == f"missing-stop (TD104) — {count}"
    assert panel.view.isExpanded(branch)
    assert panel.view.model().rowCount(branch) == count
    total = len(session.linter.diagnostics())
    assert panel.summary.text().startswith(f"<b>{total} problems</b>")
    assert "1 error" in panel.summary.text()


@pytest.mark.gui
def test_fix_sends_the_findings_command_and_the_tree_follows(qtbot, panel, session):
    diagnostic = _select_first(panel, "missing-stop").data(DiagnosticRole)
    assert panel.fix_action.isEnabled()
    with qtbot.waitSignal(panel.fix_requested) as sent:
        panel.fix_action.trigger()
    session.execute(sent.args[0])
    assert not _has_branch(panel, "missing-stop")
    assert "missing-stop" not in {d.rule for d in session.linter.diagnostics_for(diagnostic.row_id)}


@pytest.mark.gui
def test_actions_follow_what_the_selected_finding_allows(panel):
    _select_first(panel, "conflicting-completion")  # a judgement call: no automatic fix
    assert not panel.fix_action.isEnabled()
    assert not panel.fix_all_action.isEnabled()
    assert panel.ignore_action.isEnabled()
    _select_first(panel, "class-imbalance")  # about the dataset: no row to ignore it for
    assert not panel.ignore_action.isEnabled()
    assert panel.explain_action.isEnabled()


@pytest.mark.gui
def test_fix_all_of_this_kind_fixes_every_row_in_one_command(qtbot, panel, session):
    for row_id in session.dataset.ids()[:3]:  # two more rows lose their stop sequence
        session.execute(SetField(row_id, "completion", " billing"))
    branch = _branch(panel, "missing-stop")
    assert panel.view.model().rowCount(branch) == 4
    panel.view.setCurrentIndex(branch)  # the rule itself, not one finding, is enough
    with qtbot.waitSignal(panel.fix_requested) as sent:
        panel.fix_all_action.trigger()
    assert isinstance(sent.args[0], Batch)
    session.execute(sent.args[0])
    assert not _has_branch(panel, "missing-stop")


@pytest.mark.gui
def test_fixes_that_need_review_are_applied_in_bulk_only_when_confirmed(qtbot, panel, monkeypatch):
    asked: list[str] = []
    answer = False
    monkeypatch.setattr(panel, "_confirm", lambda text: asked.append(text) or answer)
    _select_first(panel, "pii")
    with qtbot.assertNotEmitted(panel.fix_requested):
        panel.fix_all()
    assert "Apply all 2" in asked[0]
    answer = True
    with qtbot.waitSignal(panel.fix_requested) as sent:
        panel.fix_all()
    assert len(sent.args[0].commands) == 2


def _finding(row_id: int, safe: bool) -> Diagnostic:
    fix = Fix("append", (EditText(row_id, "completion", suffix="\n"),), safe=safe)
    return Diagnostic("r", "TD0", Severity.WARNING, row_id, "completion", "m", fix)


def test_fix_all_takes_only_the_safe_fixes_when_a_rule_has_both():
    plan = plan_fix_all("r", [_finding(1, True), _finding(2, False), _finding(3, True)])
    assert plan is not None
    assert (plan.count, plan.needs_confirmation) == (2, False)
    unsafe = plan_fix_all("r", [_finding(2, False)])
    assert unsafe is not None
    assert unsafe.needs_confirmation
    assert plan_fix_all("r", []) is None


@pytest.mark.gui
def test_ignore_for_this_row_names_the_row_and_the_rule(qtbot, panel):
    diagnostic = _select_first(panel, "duplicate").data(DiagnosticRole)
    with qtbot.waitSignal(panel.ignore_requested) as sent:
        panel.ignore_action.trigger()
    assert sent.args == [diagnostic.row_id, "duplicate"]


@pytest.mark.gui
def test_explain_shows_the_rules_documentation(qtbot, panel):
    _select_first(panel, "missing-stop")
    panel.explain_action.trigger()
    dialog = panel._explain
    assert dialog is not None
    assert dialog.isVisible()
    assert "## Why it matters" in dialog.browser.toMarkdown()
    assert "The stop sequence is how the tuned model says" in dialog.browser.toPlainText()
    dialog.close()


@pytest.mark.gui
def test_clicking_a_finding_selects_its_row(qtbot, panel):
    leaf = panel.view.model().index(0, 0, _branch(panel, "missing-stop"))
    diagnostic = leaf.data(DiagnosticRole)
    center = panel.view.visualRect(leaf).center()
    with qtbot.waitSignal(panel.row_selected) as sent:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert sent.args == [diagnostic.row_id, "completion"]
