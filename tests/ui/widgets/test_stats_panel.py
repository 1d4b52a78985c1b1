"""The Statistics dock in the window: bars filter the table, leaks are found and shown, the
numbers follow the review, and the lengths are counted off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import SAMPLES
from tests.ui.conftest import open_session, show_window
from tunedeck.core.storage import Split, Status
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.models.dataset_table import RowIdRole
from tunedeck.ui.widgets.balance_style import Segment
from tunedeck.ui.widgets.stats_panel import StatsPanel

pytestmark = pytest.mark.gui

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"


@pytest.fixture
def window(qtbot, tmp_path: Path):
    shown = show_window(qtbot, open_session(tmp_path / "p.tunedeck", DBPEDIA, model=None))
    qtbot.waitUntil(lambda: shown.stats.lengths.stats is not None)
    yield shown
    shown.close()


def _panel(window: MainWindow) -> StatsPanel:
    assert window.stats is not None
    return window.stats


def _shown_ids(window: MainWindow) -> list[int]:
    return [window.model.index(r, 0).data(RowIdRole) for r in range(window.model.rowCount())]


def _labels(window: MainWindow, ids: list[int]) -> set[str | None]:
    return {window.session.linter.facts(row_id).label for row_id in ids}


def test_the_dock_opens_from_the_view_menu_with_its_numbers(qtbot, window: MainWindow):
    action = next(a for a in window._view_menu.actions() if a.text() == "&Statistics")
    assert action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()
    assert window._stats_dock.isVisible()
    summary = _panel(window).summary.text()
    assert "200" in summary and "14" in summary
    assert "13,446" in summary  # tokens per epoch, as summarize counts them
    assert "40,338" in summary  # three epochs


def test_clicking_a_bar_filters_the_table_to_that_class(qtbot, window: MainWindow):
    chart = _panel(window).balance_chart
    chart.bar_set(Segment(None, Status.UNREVIEWED)).clicked.emit(chart.labels.index("Plant"))
    shown = _shown_ids(window)
    assert len(shown) == 19
    assert _labels(window, shown) == {"Plant"}
    assert window.filters.label.currentData() == "Plant"


def test_clicking_a_validation_segment_also_filters_the_split(qtbot, window: MainWindow):
    session = window.session
    plants = [r for r in session.dataset.ids() if session.linter.facts(r).label == "Plant"]
    session.review_many({row: {"split": Split.VALIDATION} for row in plants[:4]})
    chart = _panel(window).balance_chart
    validation = Segment(Split.VALIDATION, Status.UNREVIEWED)
    qtbot.waitUntil(lambda: validation in chart._sets)
    chart.bar_set(validation).clicked.emit(chart.labels.index("Plant"))
    assert sorted(_shown_ids(window)) == sorted(plants[:4])


def test_leakage_check_finds_a_planted_duplicate_across_the_split(qtbot, window: MainWindow):
    session = window.session
    panel = _panel(window)
    original = session.dataset.ids()[5]
    copy = session.add(dict(session.dataset[original].record))
    session.review(original, split=Split.TRAIN)
    session.review(copy, split=Split.VALIDATION)

    leaks = panel.check_leaks()
    assert [(leak.train, leak.validation) for leak in leaks] == [((original,), (copy,))]
    assert "2 examples leak" in panel.leak_list.summary.text()
    rows = [panel.leak_list.list.item(i) for i in range(panel.leak_list.list.count())]
    clickable = [item.data(Qt.ItemDataRole.UserRole) for item in rows]
    assert clickable == [None, original, copy]  # a heading, then each example

    panel.leak_list.show_only.click()
    assert sorted(_shown_ids(window)) == sorted([original, copy])
    panel.leak_list.list.itemClicked.emit(rows[2])
    assert window.current_row_id() == copy

    window.filters.rows_button.click()  # "Only 2 leaking examples ✕"
    assert len(_shown_ids(window)) == 201


def test_no_leak_without_a_validation_split(qtbot, window: MainWindow):
    assert _panel(window).check_leaks() == []
    assert "Nothing is held out" in _panel(window).leak_list.summary.text()


def test_a_longest_example_is_shown_even_when_filtered_out(qtbot, window: MainWindow):
    panel = _panel(window)
    longest_id, _tokens = panel.lengths.stats.longest(1)[0]
    label = window.session.linter.facts(longest_id).label
    other = next(name for name in panel.balance_chart.labels if name != label)
    window.filters.show_class(other)
    assert longest_id not in _shown_ids(window)
    panel.lengths.longest.itemClicked.emit(panel.lengths.longest.topLevelItem(0), 1)
    assert window.current_row_id() == longest_id


def test_summary_follows_the_review_while_shown_and_catches_up_when_shown(
    qtbot, window: MainWindow
):
    panel = _panel(window)
    assert panel.visibleRegion().isEmpty()  # Problems is the tab in front
    ids = window.session.dataset.ids()
    for row_id in ids[:3]:  # the dock is behind Problems: nothing recounted yet
        window.session.review(row_id, status=Status.APPROVED)
    assert "0 of 200" in panel.summary.text()
    window.show_stats()
    assert "3 of 200 (2%)" in panel.summary.text()
    assert "3 approved" in panel.summary.text()
    window.session.review(ids[3], status=Status.REJECTED)
    qtbot.waitUntil(lambda: "1 rejected" in panel.summary.text())


def test_lengths_are_counted_again_on_refresh_and_after_edits_say_so(qtbot, window: MainWindow):
    panel = _panel(window)
    first = panel.lengths.stats
    assert panel.lengths.state.text().startswith("counted at")
    row_id = window.session.dataset.ids()[0]
    window.session.review(row_id, status=Status.APPROVED)
    assert panel.lengths.state.text().startswith("counted at")  # the lengths are the same
    window.session.review(row_id, status=Status.REJECTED)
    assert panel.lengths.state.text() == "out of date: Refresh"
    panel.refresh_lengths()
    assert panel.lengths.state.text() == "computing…"
    qtbot.waitUntil(lambda: panel.lengths.stats is not first)
    assert len(panel.lengths.stats.example) == 199  # the rejected example is left out


def test_closing_while_counting_waits_for_the_count(qtbot, tmp_path: Path):
    shown = show_window(qtbot, open_session(tmp_path / "p.tunedeck", DBPEDIA, model=None))
    _panel(shown).refresh_lengths()
    shown.close()  # must not destroy a running thread (that would abort the process)
    assert not _panel(shown).computing


def test_a_chat_dataset_shows_its_statistics_and_says_why_there_are_no_bars(qtbot, tmp_path: Path):
    chat = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"
    shown = show_window(qtbot, open_session(tmp_path / "c.tunedeck", chat, model=None))
    try:
        shown.show_stats()
        panel = _panel(shown)
        qtbot.waitUntil(lambda: panel.lengths.stats is not None)
        assert not panel.balance_chart.isVisible()
        assert panel.no_classes.isVisible()
        assert "not set up as a classification" in panel.no_classes.text()
        assert "Examples: 5" in panel.summary.text()
        assert {"user", "assistant"} <= set(panel.lengths.stats.parts)
    finally:
        shown.close()


def test_save_chart_writes_the_file_the_user_names(
    qtbot, window: MainWindow, tmp_path, monkeypatch
):
    target = tmp_path / "lengths"  # no ending typed: the chosen filter's is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "SVG drawing (*.svg)")
    )
    _panel(window).lengths.view.save_dialog()
    assert (tmp_path / "lengths.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "Saved the chart to" in window.messages.text


def test_new_settings_count_the_lengths_again_in_the_new_encoding(qtbot, window: MainWindow):
    panel = _panel(window)
    assert panel.lengths.stats.encoding == "cl100k_base"
    settings = window.session.info.settings
    settings.model = "gpt-4o-mini"
    worker = window.apply_settings(settings)
    assert worker is not None
    qtbot.waitUntil(lambda: panel.lengths.stats.encoding == "o200k_base", timeout=20000)
    assert panel.lengths.stats.model == "gpt-4o-mini"


def test_a_refresh_asked_for_while_counting_counts_once_more(qtbot, window: MainWindow):
    panel = _panel(window)
    panel.refresh_lengths()
    assert panel.computing
    window.session.review(window.session.dataset.ids()[0], status=Status.REJECTED)
    panel.refresh_lengths()  # while the first count may not have seen the rejection
    qtbot.waitUntil(lambda: not panel.computing)
    assert len(panel.lengths.stats.example) == 199
    assert panel.lengths.state.text().startswith("counted at")
