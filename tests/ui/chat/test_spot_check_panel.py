"""Spot-check: held-out tickets through the tuned model and its base, scored and stored."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.chat.conftest import SEPARATOR, SYSTEM, VALIDATION, Tuned, prompt
from tests.ui.chat.helpers import open_tab
from tunedeck.core.chat.evaluation import OTHER
from tunedeck.core.session import CurationSession
from tunedeck.ui.chat.tab import ChatTab

pytestmark = pytest.mark.gui


def run_spot_check(qtbot, tab: ChatTab, how: str = "validation", **choice) -> None:
    panel = tab.spot_check
    tab.parts.setCurrentWidget(panel)
    panel.setup.choose(how, **choice)
    qtbot.mouseClick(panel.setup.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=20000)


def test_the_confusion_matrix_of_the_validation_split_matches_a_hand_count(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    setup = tab.spot_check.setup
    assert setup.first.current_name() == tuned.chat  # the newest tuned model...
    setup.first.select(tuned.legacy)
    setup.second.select("davinci-002")  # ...against its base
    run_spot_check(qtbot, tab)

    panel = tab.spot_check
    assert panel.setup.progress.value() == panel.setup.progress.maximum() == 16
    tuned_scores = panel.metrics.models[tuned.legacy]
    # By hand, from the construction of the validation tickets (conftest.VALIDATION):
    hand = Counter((expected, answered) for _ticket, expected, answered in VALIDATION)
    assert hand == {
        ("billing", "billing"): 1,
        ("technical", "technical"): 2,
        ("technical", "billing"): 1,
        ("account", "account"): 1,
        ("feedback", "feedback"): 2,
        ("feedback", "account"): 1,
    }
    matrix = tuned_scores.matrix
    for expected in ("account", "billing", "feedback", "technical"):
        for answered in ("account", "billing", "feedback", "technical"):
            assert matrix.count(expected, answered) == hand[(expected, answered)]
    assert tuned_scores.summary.text().startswith("<b>Accuracy 75%</b> (6 of 8)")
    scores = {score.label: score for score in tuned_scores.result.scores}
    assert (scores["billing"].precision, scores["billing"].recall) == (1 / 2, 1.0)
    assert (scores["technical"].precision, scores["technical"].recall) == (1.0, 2 / 3)
    assert tuned_scores.scores.item(0, 0).text() == "account"
    assert tuned_scores.scores.item(0, 1).text() == "50%"  # account: precision 1 of 2

    # The base model knows no classes: every answer is "other", none right.
    base = panel.metrics.models["davinci-002"]
    assert base.result.correct == 0
    assert base.matrix.count("technical", OTHER) == 3 and base.matrix.count("billing", OTHER) == 1

    # Expected and actual side by side, a wrong class tinted.
    table = panel.table
    wrong_row = tuned.session.dataset.ids()[-2]  # "twelve seats ... eight": technical
    assert table.cell_text(wrong_row, 2) == "technical"
    assert table.cell_text(wrong_row, 3) == "billing"
    assert table.cell_text(wrong_row, 5).startswith("[SIMULATION]")


def test_failed_items_are_marked_and_retried_while_the_rest_complete(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    panel = tab.spot_check
    panel.setup.first.select(tuned.legacy)
    panel.setup.second.select("davinci-002")
    # The first two answers are refused (a revoked key); the SDK does not retry a 401.
    tuned.connections.ensure_sandbox().inject("unauthorized", path="/v1/completions", times=2)
    run_spot_check(qtbot, tab)

    first_row = tuned.session.dataset.ids()[-len(VALIDATION)]
    failed = panel.check.failed()
    assert {(o.row_id, o.model) for o in failed} == {
        (first_row, tuned.legacy),
        (first_row, "davinci-002"),
    }
    assert sum(o.answered for o in panel.check.outcomes.values()) == 14
    assert panel.table.cell_text(first_row, 3).startswith("⚠ failed:")
    assert "1 failed" in panel.metrics.models[tuned.legacy].summary.text()  # each model's
    assert panel.setup.retry_button.isEnabled()
    stored = tuned.session.project.chats.results(panel.run_id)
    assert sum(r.error is not None for r in stored) == 2

    qtbot.mouseClick(panel.setup.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=20000)
    assert panel.check.failed() == []
    assert panel.table.cell_text(first_row, 3) == "billing"
    assert panel.metrics.models[tuned.legacy].result.correct == 6
    stored = tuned.session.project.chats.results(panel.run_id)
    assert all(r.answer is not None and r.error is None for r in stored)


def test_cancel_stops_the_run_and_retry_finishes_it(qtbot, tuned: Tuned):
    tab = open_tab(qtbot, tuned)
    panel = tab.spot_check
    panel.setup.first.select(tuned.legacy)
    panel.setup.second.select("davinci-002")
    tuned.connections.ensure_sandbox().inject("slow", path="/v1/completions", seconds=0.5)
    qtbot.mouseClick(panel.setup.run_button, Qt.MouseButton.LeftButton)
    assert panel.setup.cancel_button.isEnabled() and not panel.setup.run_button.isEnabled()
    qtbot.waitUntil(
        lambda: len(tuned.relay.bodies("/v1/completions")) == 1
    )  # the first is on its way
    qtbot.mouseClick(panel.setup.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=10000)
    outcomes = list(panel.check.outcomes.values())
    assert sum(o.answered for o in outcomes) == 0  # the answer on its way was dropped too
    assert "cancelled" in panel.check.failed()[0].error
    assert "8 not asked" in panel.metrics.models["davinci-002"].summary.text()
    assert panel.setup.retry_button.isEnabled() and panel.setup.run_button.isEnabled()

    qtbot.mouseClick(panel.setup.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=20000)
    assert all(o.answered for o in panel.check.outcomes.values())
    assert not panel.setup.retry_button.isEnabled()


def test_the_table_filter_and_a_seeded_sample_choose_the_examples(qtbot, tuned: Tuned):
    shown = tuned.session.dataset.ids()[:3]
    tab = open_tab(qtbot, tuned, visible_rows=lambda: shown)
    tab.spot_check.setup.compare.setChecked(False)
    tab.spot_check.setup.first.select(tuned.legacy)
    run_spot_check(qtbot, tab, "rows")
    assert [item.row_id for item in tab.spot_check.check.items] == shown
    assert tab.spot_check.check.models == [tuned.legacy]

    tab.spot_check.setup.first.select(tuned.chat)
    run_spot_check(qtbot, tab, "sample", sample=5, seed=3)
    drawn = [item.row_id for item in tab.spot_check.check.items]
    run_spot_check(qtbot, tab, "sample", sample=5, seed=3)
    assert [item.row_id for item in tab.spot_check.check.items] == drawn and len(drawn) == 5
    # The chat model was asked as it was trained: its system message, then the ticket alone.
    sent = tuned.relay.bodies("/v1/chat/completions")
    assert len(sent) == 10
    assert sent[0]["messages"][0] == {"role": "system", "content": SYSTEM}
    assert sent[0]["messages"][1]["content"].startswith("Ticket: ")
    assert not sent[0]["messages"][1]["content"].endswith(SEPARATOR)
    assert tab.spot_check.metrics.models[tuned.chat].result.total == 5


def test_export_csv_and_a_corrected_answer_becomes_an_example(qtbot, tuned: Tuned, tmp_path: Path):
    tab = open_tab(qtbot, tuned)
    panel = tab.spot_check
    panel.setup.first.select(tuned.legacy)
    panel.setup.compare.setChecked(False)
    run_spot_check(qtbot, tab)

    panel.review.export_csv(str(tmp_path / "check.csv"))
    with (tmp_path / "check.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:4] == ["example", "question", "expected", f"{tuned.legacy} answer"]
    assert len(rows) == 1 + len(VALIDATION)
    assert rows[-2][1:4] == [prompt("We were billed for twelve seats but only use eight."),
                             "technical", "billing"]  # fmt: skip

    wrong_row = tuned.session.dataset.ids()[-2]
    panel.table.select(wrong_row, tuned.legacy)
    added: list[dict] = []
    tab.example_add_requested.connect(added.append)
    qtbot.mouseClick(panel.review.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.review.add_dialog
    assert dialog.answer.toPlainText() == "billing"  # the model's answer, to correct
    dialog.answer.setPlainText("technical")
    dialog.accept()
    ticket = "Ticket: We were billed for twelve seats but only use eight."
    assert added == [{"prompt": ticket + SEPARATOR, "completion": " technical\n"}]


def test_answers_that_are_not_classes_are_left_to_the_reviewer(qtbot, tuned: Tuned):
    settings = tuned.session.info.settings
    settings.classification = False
    tuned.session.apply_settings(settings)
    tuned.session.lint_all()
    shown = tuned.session.dataset.ids()[-2:]
    tab = open_tab(qtbot, tuned, visible_rows=lambda: shown)
    panel = tab.spot_check
    panel.setup.first.select(tuned.legacy)
    panel.setup.second.select("davinci-002")
    run_spot_check(qtbot, tab, "rows")
    assert panel.no_classes.isVisible() and panel.metrics.isHidden()
    assert panel.table.item(0, 3).background().style() == Qt.BrushStyle.NoBrush  # no verdict
    panel.table.select(shown[0], "davinci-002")
    qtbot.mouseClick(panel.review.bad_button, Qt.MouseButton.LeftButton)
    assert panel.table.cell_text(shown[0], 6) == "✗ bad"
    (stored,) = [
        r
        for r in tuned.session.project.chats.results(panel.run_id)
        if (r.example_id, r.model) == (shown[0], "davinci-002")
    ]
    assert stored.rating == "bad" and stored.answer.startswith("[SIMULATION]")


def test_no_spot_check_starts_while_the_examples_are_still_loading(qtbot, tuned: Tuned):
    # The same project opened again with its first rows only, as a large dataset opens.
    name = tuned.session.info.name
    loading = replace(tuned, session=CurationSession(tuned.session.project, name, first=5))
    tab = open_tab(qtbot, loading)
    tab.spot_check.setup.first.select(tuned.legacy)
    with qtbot.waitSignal(tab.spot_check.failed) as refused:
        run_spot_check(qtbot, tab, "sample", sample=3, seed=1)
    assert "still loading" in refused.args[0]
    assert tuned.relay.bodies("/v1/completions") == []  # nothing was asked

    loading.session.take_rest(loading.session.read_rest())
    run_spot_check(qtbot, tab, "sample", sample=3, seed=1)
    assert len(tab.spot_check.check.items) == 3
