"""From the sample dataset to a tuned model in chat: export, gate, estimate, launch, follow."""

from __future__ import annotations

import json

import pytest

from tests.ui.launch.conftest import WAIT_MS, MakeTab, checked, choose_model, finished, launch
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import BUILTIN_SANDBOX_ID

pytestmark = pytest.mark.gui
CHAT_MODEL = "gpt-4o-mini-2024-07-18"
SYSTEM = "You sort support tickets into billing, technical, account, feedback or feature request."


def test_the_sample_goes_from_export_to_a_tuned_model_in_chat(
    qtbot, sample_session: CurationSession, make_tab: MakeTab
):
    tab = make_tab(sample_session)
    panel = tab.panel
    checked(qtbot, tab)
    assert panel.profiles.current().id == BUILTIN_SANDBOX_ID
    assert panel.models.current() == "davinci-002"  # the dataset's own target comes first
    assert "prompt/completion" in panel.format.text().lower()
    assert not panel.selection.system.isVisibleTo(panel)

    # A chat model: the pairs are converted, and a system message may lead each example.
    choose_model(qtbot, tab, CHAT_MODEL)
    assert "converted" in panel.format.text()
    panel.selection.system.setPlainText(SYSTEM)
    qtbot.waitUntil(lambda: panel.selection.option_values()["system_message"] == SYSTEM)
    checked(qtbot, tab)

    # Both sides' class counts, the gate's warnings, and an estimate with a price.
    counts = {
        panel.selection.table.item(r, 0).text(): panel.selection.table.item(r, 2).text()
        for r in range(panel.selection.table.rowCount())
    }
    assert counts["All examples"] == "9" and counts["billing"] == "3"
    assert not panel.bar.launch_button.isEnabled()  # the warnings are not read yet
    assert "Read before launching" in panel.gate.tree.topLevelItem(0).text(0)
    estimate = panel.estimate.estimate.text()
    assert "33 training examples" in estimate and "billed tokens" in estimate and "$" in estimate

    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS) as told:
        launch(qtbot, tab)
    assert "has started" in told.args[0]
    training = panel.folder.path() / f"data-{CHAT_MODEL}-training.jsonl"
    first = json.loads(training.read_text(encoding="utf-8").splitlines()[0])
    assert first["messages"][0] == {"role": "system", "content": SYSTEM}
    assert not panel.bar.launch_button.isEnabled()  # no accidental second job

    # Followed to the end with the curve drawn as it grows, then the tuned model is shown.
    qtbot.waitUntil(lambda: tab.jobs.detail.loss.train.count() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: finished(tab), timeout=WAIT_MS)
    (row,) = tab.jobs.model.rows()
    assert row.job.status == "succeeded" and row.job.fine_tuned_model.startswith("ft:")
    assert row.suffix == "data"
    qtbot.waitUntil(lambda: "result file" in tab.jobs.detail.loss.caption.text(), timeout=WAIT_MS)
    assert tab.jobs.detail.loss.train.count() > 2 and tab.jobs.detail.loss.valid.count() > 2
    assert tab.jobs.model.index(0, 6).data() == row.job.fine_tuned_model
    assert "Fine-tuning job started" in tab.jobs.detail.log.toPlainText()
    qtbot.waitUntil(lambda: tab.jobs.detail.checkpoints.topLevelItemCount() >= 1, timeout=WAIT_MS)

    detail = tab.jobs.detail
    assert detail.chat_button.isEnabled() and not detail.cancel_button.isEnabled()
    with qtbot.waitSignal(tab.open_in_chat_requested) as opened:
        detail.chat_button.click()
    assert opened.args == [BUILTIN_SANDBOX_ID, row.job.fine_tuned_model]

    # The job traces back to the exact files and settings it was trained on.
    launch_record = sample_session.project.jobs.launch_of(BUILTIN_SANDBOX_ID, row.job.id)
    assert launch_record.request["export"]["system_message"] == SYSTEM


def test_write_files_only_writes_and_summarizes(
    qtbot, sample_session: CurationSession, make_tab: MakeTab
):
    tab = make_tab(sample_session)
    checked(qtbot, tab)
    panel = tab.panel
    # The sample's one broken line is said to be left out, in the singular.
    assert "Left out: 1 unreadable line." in panel.selection.summary.text()
    with qtbot.waitSignal(tab.informed, timeout=WAIT_MS):
        panel.bar.write_button.click()
    assert "33 examples" in panel.bar.outcome.text()
    assert (panel.folder.path() / "data-davinci-002-validation.jsonl").exists()
    assert sample_session.project.jobs.jobs() == []  # nothing was uploaded or started
