"""The class balance chart: what a reviewer reads off it, and how it follows their edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF

from tests.conftest import SAMPLES
from tests.ui.conftest import linted_session
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import ClassBalance
from tunedeck.core.storage import Split, Status
from tunedeck.ui.widgets.balance_chart import BalanceChart
from tunedeck.ui.widgets.balance_style import Segment

pytestmark = pytest.mark.gui

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"
CHAT = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"
UNREVIEWED = Segment(None, Status.UNREVIEWED)
APPROVED = Segment(None, Status.APPROVED)
MULTI_TOKEN = {
    "OfficeHolder",
    "Athlete",
    "NaturalPlace",
    "WrittenWork",
    "EducationalInstitution",
    "MeanOfTransportation",
}


@pytest.fixture
def dbpedia(tmp_path: Path) -> Iterator[CurationSession]:
    yield from linted_session(tmp_path, DBPEDIA)


def _chart(qtbot, session: CurationSession) -> BalanceChart:
    chart = BalanceChart(ClassBalance(session))
    chart._keep = chart._balance  # the session holds a balance only weakly
    qtbot.addWidget(chart)
    chart.resize(760, 460)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _drawn(chart: BalanceChart, label: str) -> float:
    return sum(chart.value(label, segment) for segment in chart._sets)


def _row_of(session: CurationSession, label: str) -> int:
    return next(row for row in session.dataset.ids() if session.linter.facts(row).label == label)


def test_dbpedia_bars_show_uneven_classes_largest_on_top(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    assert chart.showing_bars
    assert len(chart.labels) == 14
    top_down = chart.labels[::-1]
    assert top_down[0] == "Artist" and top_down[-1] == "MeanOfTransportation"
    assert (_drawn(chart, "Artist"), _drawn(chart, "MeanOfTransportation")) == (21, 8)
    assert chart.value("Artist", UNREVIEWED) == 21 and chart.value("Artist", APPROVED) == 0
    assert "14 classes" in chart.caption.text()
    assert "largest / smallest = 2.6×" in chart.caption.text()
    assert "14 below the recommended 100" in chart.caption.text()


def test_multi_token_classes_are_marked_with_an_explaining_tooltip(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    marked = {
        label
        for label, text in zip(chart.labels, chart._class_axis.categories(), strict=True)
        if text.startswith("⚠")
    }
    assert marked == MULTI_TOKEN
    tip = chart.describe("MeanOfTransportation")
    assert "4 tokens" in tip and "class-token" in tip
    assert "⚠" not in chart.describe("Artist")


def test_tooltips_over_a_name_and_over_a_bar(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    area = chart.chart.plotArea()
    row_height = area.height() / len(chart.labels)
    top_row = area.top() + row_height / 2
    assert "<b>Artist</b>: 21 examples" in chart.tooltip_at(QPointF(area.left() - 30, top_row))
    assert "<b>Artist</b>" in chart.tooltip_at(QPointF(area.left() + 5, top_row))
    assert chart.tooltip_at(QPointF(area.right() + 40, area.bottom() + 40)) == ""


def test_edits_move_the_bars_from_maintained_counts(qtbot, dbpedia, monkeypatch):
    chart = _chart(qtbot, dbpedia)
    recounts = []
    monkeypatch.setattr(ClassBalance, "recount", lambda self: recounts.append(self))
    drawn_set = chart.bar_set(UNREVIEWED)

    film = _row_of(dbpedia, "Film")
    dbpedia.execute(SetField(film, "completion", "Artist"))  # relabel
    qtbot.waitUntil(lambda: _drawn(chart, "Artist") == 22)
    assert _drawn(chart, "Film") == 17

    dbpedia.review(_row_of(dbpedia, "Plant"), status=Status.REJECTED)
    qtbot.waitUntil(lambda: _drawn(chart, "Plant") == 18)

    dbpedia.review(_row_of(dbpedia, "Album"), status=Status.APPROVED)
    qtbot.waitUntil(lambda: chart.value("Album", APPROVED) == 1)
    assert chart.value("Album", UNREVIEWED) == 10

    dbpedia.execute(DeleteRows((_row_of(dbpedia, "Village"),)))
    qtbot.waitUntil(lambda: _drawn(chart, "Village") == 11)

    dbpedia.add({"prompt": "A new company.", "completion": "Company"})
    qtbot.waitUntil(lambda: _drawn(chart, "Company") == 18)

    assert recounts == []  # every step moved one row; nothing was counted again
    assert chart.bar_set(UNREVIEWED) is drawn_set  # values changed in place, no rebuild
    assert "(22)" in chart._class_axis.categories()[chart.labels.index("Artist")]


def test_a_burst_of_changes_repaints_once(qtbot, dbpedia, monkeypatch):
    chart = _chart(qtbot, dbpedia)
    updates = []
    original = BalanceChart._update_values
    monkeypatch.setattr(
        BalanceChart, "_update_values", lambda self, *a: (updates.append(1), original(self, *a))
    )
    artists = [r for r in dbpedia.dataset.ids() if dbpedia.linter.facts(r).label == "Artist"]
    dbpedia.execute(DeleteRows(tuple(artists[:10])))  # ten `changed` signals
    qtbot.waitUntil(lambda: _drawn(chart, "Artist") == 11)
    assert updates == [1]


def test_a_split_stacks_train_and_validation(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    artists = [r for r in dbpedia.dataset.ids() if dbpedia.linter.facts(r).label == "Artist"]
    dbpedia.review_many({row: {"split": Split.TRAIN} for row in artists[:15]})
    dbpedia.review_many({row: {"split": Split.VALIDATION} for row in artists[15:]})
    validation = Segment(Split.VALIDATION, Status.UNREVIEWED)
    qtbot.waitUntil(lambda: validation in chart._sets)
    assert chart.value("Artist", validation) == 6
    assert chart.value("Artist", Segment(Split.TRAIN, Status.UNREVIEWED)) == 15
    assert chart.value("Film", Segment(Split.UNASSIGNED, Status.UNREVIEWED)) == 18
    assert {"train", "validation", "not in the split"} <= set(chart.legend.texts)
    assert "validation 6" in chart.describe("Artist")

    clicked = []
    chart.class_clicked.connect(lambda label, split: clicked.append((label, split)))
    chart.bar_set(validation).clicked.emit(chart.labels.index("Artist"))
    assert clicked == [("Artist", Split.VALIDATION)]


def test_the_minimum_line_follows_the_panel_setting(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    chart.set_minimum(15)
    points = chart._minimum_line.points()
    assert {p.x() for p in points} == {15}
    assert "7 below the recommended 15" in chart.caption.text()
    assert chart._count_axis.max() >= 21  # the longest bar still fits


def test_a_dataset_without_classes_says_why_instead_of_bars(qtbot, tmp_path):
    for session in linted_session(tmp_path, CHAT):
        chart = _chart(qtbot, session)
        assert not chart.showing_bars
        assert "not set up as a classification" in chart.message.text()


def test_the_ratio_turns_red_past_the_class_imbalance_threshold(qtbot, dbpedia):
    chart = _chart(qtbot, dbpedia)
    assert "color:#15803d" in chart.caption.text()  # 21 / 8: within 3×
    means = [
        r for r in dbpedia.dataset.ids() if dbpedia.linter.facts(r).label == "MeanOfTransportation"
    ]
    dbpedia.review_many({row: {"status": Status.REJECTED} for row in means[:5]})
    qtbot.waitUntil(lambda: "largest / smallest = 7.0×" in chart.caption.text())
    assert "color:#b91c1c" in chart.caption.text()
