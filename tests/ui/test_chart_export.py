"""Saving a chart for a report: a PNG an image viewer opens, an SVG a browser parses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import SAMPLES
from tests.ui.conftest import linted_session
from tunedeck.core.errors import UserError
from tunedeck.core.stats import ClassBalance
from tunedeck.ui.chart_export import PNG_SCALE, save_widget
from tunedeck.ui.widgets.balance_chart import BalanceChart

pytestmark = pytest.mark.gui

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"


@pytest.fixture
def chart(qtbot, tmp_path: Path):
    for session in linted_session(tmp_path, DBPEDIA):
        balance = ClassBalance(session)
        widget = BalanceChart(balance)
        qtbot.addWidget(widget)
        widget.resize(700, 420)
        widget.show()
        qtbot.waitExposed(widget)
        yield widget.bars_page
        balance.close()


def test_png_is_a_sharp_image_of_the_chart(chart, tmp_path: Path):
    path = tmp_path / "balance.png"
    save_widget(chart, path)
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (
        chart.width() * PNG_SCALE,
        chart.height() * PNG_SCALE,
    )
    # Not a blank page: the bars' blue is in it.
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 5


def test_svg_is_well_formed_and_has_the_class_names(chart, tmp_path: Path):
    path = tmp_path / "balance.SVG"
    save_widget(chart, path, "Class balance")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text(encoding="utf-8")
    assert "Class balance" in text and "Artist" in text


def test_an_unknown_ending_or_a_missing_folder_is_a_user_error(chart, tmp_path: Path):
    with pytest.raises(UserError, match=r"\.png or \.svg"):
        save_widget(chart, tmp_path / "balance.jpg")
    for name in ("balance.png", "balance.svg"):
        with pytest.raises(UserError, match="could not write"):
            save_widget(chart, tmp_path / "no such folder" / name)
