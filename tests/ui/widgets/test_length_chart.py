"""Token-length histograms: each part of the examples, the model's limit, the longest ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCharts import QAreaSeries, QLineSeries
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QPushButton

from tests.conftest import SAMPLES
from tests.ui.conftest import linted_session
from tunedeck.core.stats import Distribution, LengthStats, length_stats
from tunedeck.ui.widgets.length_chart import LengthChart

pytestmark = pytest.mark.gui

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"
CHAT = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"


def _chart(qtbot) -> LengthChart:
    chart = LengthChart(lambda row_id: f"text of {row_id}")
    qtbot.addWidget(chart)
    chart.resize(620, 480)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _choose(chart: LengthChart, part: str) -> None:
    chart.part.setCurrentIndex(chart.part.findData(part))


def _area(chart: LengthChart) -> QAreaSeries:
    return next(s for s in chart.chart.series() if isinstance(s, QAreaSeries))


def _limit_lines(chart: LengthChart) -> list[QLineSeries]:
    return [s for s in chart.chart.series() if isinstance(s, QLineSeries)]


def test_legacy_parts_and_the_longest_examples(qtbot, tmp_path: Path):
    for session in linted_session(tmp_path, DBPEDIA):
        stats = length_stats(session)
        chart = _chart(qtbot)
        chart.set_stats(stats)
        parts = [chart.part.itemData(i) for i in range(chart.part.count())]
        assert parts == ["example", "prompt", "completion"]
        assert chart.part.currentText() == "Whole example (200)"
        # The area's steps hold every example once.
        heights = [p.y() for p in _area(chart).upperSeries().points()[1:-1:2]]
        assert sum(heights) == 200
        caption = chart.caption.text()
        assert "Whole example</b> of 200 examples" in caption
        assert f"longest {stats.example.maximum}" in caption
        assert "far beyond the longest" in caption  # 2,048 next to 185: no line drawn
        assert _limit_lines(chart) == []

        longest_id, tokens = stats.longest(1)[0]
        first = chart.longest.topLevelItem(0)
        assert (first.text(0), first.text(1)) == (f"{tokens:,}", f"text of {longest_id}")
        assert chart.longest.topLevelItemCount() == 10
        with qtbot.waitSignal(chart.row_requested) as picked:
            chart.longest.itemClicked.emit(first, 1)
        assert picked.args == [longest_id]

        _choose(chart, "completion")
        assert "Completion</b> of 200 examples" in chart.caption.text()


def test_chat_roles_each_get_a_histogram(qtbot, tmp_path: Path):
    for session in linted_session(tmp_path, CHAT):
        chart = _chart(qtbot)
        chart.set_stats(length_stats(session))
        parts = {chart.part.itemData(i) for i in range(chart.part.count())}
        assert {"example", "system", "user", "assistant"} <= parts
        _choose(chart, "assistant")
        assert chart.distribution().name == "assistant"
        assert "Assistant messages</b> of 5 examples" in chart.caption.text()


def test_the_limit_is_a_line_and_examples_over_it_are_counted(qtbot):
    tokens = (10, 40, 90, 120, 130, 300)
    example = Distribution("example", tuple(range(1, 7)), tokens, limit=128)
    chart = _chart(qtbot)
    chart.set_stats(LengthStats("davinci-002", "cl100k_base", 128, {"example": example}))
    (line,) = _limit_lines(chart)
    assert {p.x() for p in line.points()} == {128}
    assert "2 over the limit 128" in chart.caption.text()
    assert chart.longest.topLevelItem(0).text(0) == "300"

    area = chart.chart.plotArea()
    inside = chart.chart.mapToPosition(QPointF(12, 0.5), _area(chart))
    assert chart.tooltip_at(QPointF(inside.x(), area.center().y())) == "0–19 tokens: 1 example"


def test_computing_note_and_the_refresh_button(qtbot):
    chart = _chart(qtbot)
    chart.set_computing()
    assert chart.state.text() == "computing…"
    assert chart.distribution() is None
    refresh = next(b for b in chart.findChildren(QPushButton) if b.text() == "Refresh")
    with qtbot.waitSignal(chart.refresh_requested):
        refresh.click()
