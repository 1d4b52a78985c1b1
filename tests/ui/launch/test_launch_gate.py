"""The pre-flight gate in the panel: errors block and lead to their rows; fixing unblocks;
warnings are read once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.launch.conftest import MakeTab, checked
from tunedeck.core.dataset.commands import SetField
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Split

pytestmark = pytest.mark.gui


def _children(tab, group_title: str) -> list:
    tree = tab.panel.gate.tree
    for index in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(index)
        if group.text(0).startswith(group_title):
            return [group.child(n) for n in range(group.childCount())]
    return []


def test_an_error_blocks_the_launch_until_it_is_fixed(
    qtbot, sample_session: CurationSession, make_tab: MakeTab
):
    row_id = sample_session.dataset.ids()[4]
    original = sample_session.dataset[row_id].prompt
    sample_session.execute(SetField(row_id, "prompt", "word " * 3000 + "\n\n###\n\n"))
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    panel = tab.panel
    assert not panel.bar.launch_button.isEnabled()
    assert not panel.gate.acknowledge.isVisible()  # nothing to acknowledge while blocked
    assert "Cannot launch" in panel.gate.verdict.text()
    (blocking,) = _children(tab, "Blocks the launch")
    assert blocking.text(0).startswith("Example 5 (")  # its place in the table, and its side
    assert "token-overflow" in blocking.text(0)

    with qtbot.waitSignal(tab.row_requested) as requested:
        panel.gate.tree.itemClicked.emit(blocking, 0)
    assert requested.args == [row_id]

    # The fix is noticed without pressing anything: the panel checks again by itself.
    sample_session.execute(SetField(row_id, "prompt", original))
    qtbot.waitUntil(lambda: panel._checked is None, timeout=2000)
    checked(qtbot, tab)
    assert _children(tab, "Blocks the launch") == []
    panel.gate.acknowledge.setChecked(True)
    assert panel.bar.launch_button.isEnabled()
    assert "Ready to launch" in panel.gate.verdict.text()


def test_warnings_are_read_once_until_a_new_one_appears(
    qtbot, sample_session: CurationSession, make_tab: MakeTab
):
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    panel = tab.panel
    warnings = _children(tab, "Read before launching")
    assert warnings and not panel.bar.launch_button.isEnabled()
    clickable = [w for w in warnings if w.data(0, Qt.ItemDataRole.UserRole) is not None]
    assert clickable  # row findings lead to their rows too
    panel.gate.acknowledge.setChecked(True)
    assert panel.bar.launch_button.isEnabled()

    # Checking again finds the same warnings: still read.
    panel.bar.check_button.click()
    checked(qtbot, tab)
    assert panel.gate.acknowledged() and panel.bar.launch_button.isEnabled()

    # An edit that brings a new warning asks again.
    row_id = sample_session.dataset.ids()[0]
    sample_session.execute(SetField(row_id, "completion", "billing"))  # no space, no stop
    checked(qtbot, tab)
    assert not panel.gate.acknowledged() and not panel.bar.launch_button.isEnabled()
    assert not panel.gate.acknowledge.isChecked()


def test_a_split_that_leaks_duplicates_is_refused(
    qtbot, sample_session: CurationSession, make_tab: MakeTab
):
    # Rows 1 and 42 are duplicates; a reviewer put them on different sides.
    ids = sample_session.dataset.ids()
    sample_session.review_many(
        {row_id: {"split": Split.VALIDATION if n % 5 == 1 else Split.TRAIN} for n, row_id in
         enumerate(ids)} | {ids[41]: {"split": Split.VALIDATION}, ids[0]: {"split": Split.TRAIN}}
    )  # fmt: skip
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    panel = tab.panel
    assert panel.selection.assigned.isChecked()  # the reviewers' split is used when there is one
    leaks = [c for c in _children(tab, "Blocks the launch") if "both sides" in c.text(0)]
    assert len(leaks) == 1
    assert not panel.bar.launch_button.isEnabled() and not panel.bar.write_button.isEnabled()

    # The proposed split keeps duplicates together.
    panel.selection.proposed.setChecked(True)
    checked(qtbot, tab)
    assert not [c for c in _children(tab, "Blocks the launch") if "both sides" in c.text(0)]
