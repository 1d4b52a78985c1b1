"""A window opened with its first rows shows them at once, reads the rest, then lints."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressBar, QWidget

from tests.conftest import SAMPLES
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.rest_of_rows import PAINT_WAIT_MS, after_next_paint, show_count

pytestmark = pytest.mark.gui
DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"  # 200 rows


@pytest.fixture
def opened_in_steps(qtbot, tmp_path: Path):
    with Project.open(tmp_path / "p.tunedeck", create=True, author="ann") as project:
        project.import_file(DBPEDIA, "data")
    session = CurationSession(Project.open(tmp_path / "p.tunedeck", author="ann"), "data", first=20)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_the_first_rows_show_read_only_until_the_rest_is_in_and_linted(qtbot, opened_in_steps):
    window = opened_in_steps
    assert window.model.rowCount() == 20
    window.start_lint()
    assert not window.view.isEnabled()
    assert not window.filters.isEnabled()
    assert window.passes.bar.isVisible()
    assert window.passes.bar.maximum() == 200
    assert window.passes.bar.text() == "Loading rows: 20 of 200"

    window.add_example()  # a new row's place is after rows not read yet
    assert "still loading" in window.messages.text
    assert len(window.session.dataset) == 20

    qtbot.waitUntil(lambda: window._stats_dock is not None, timeout=20_000)  # linted
    assert window.model.rowCount() == 200
    assert window.view.isEnabled() and window.filters.isEnabled()
    assert not window.passes.bar.isVisible()
    # DBpedia's completions lack a leading space: found on rows past the first 20 too.
    flagged = {
        d.row_id
        for d in window.session.linter.diagnostics()
        if d.rule == "completion-leading-space"
    }
    assert len(flagged) == 200
    window.add_example()
    assert len(window.session.dataset) == 201


def test_closing_while_the_rest_loads_stops_cleanly(qtbot, opened_in_steps):
    window = opened_in_steps
    worker = window.start_lint()
    window.close()
    assert worker.wait(10_000)
    assert not worker.running
    assert len(window.session.dataset) == 20  # nothing was taken into a closed window


def test_after_next_paint_waits_for_the_paint(qtbot):
    shown, hidden = QWidget(), QWidget()
    qtbot.addWidget(shown)
    qtbot.addWidget(hidden)
    shown.show()
    qtbot.waitExposed(shown)
    calls: list[str] = []
    shown.paintEvent = lambda _event: calls.append("paint")

    after_next_paint(shown, lambda: calls.append("shown"))
    after_next_paint(hidden, lambda: calls.append("hidden"))
    assert calls == []  # never from inside the call, even for a widget with nothing to paint

    qtbot.waitUntil(lambda: "shown" in calls and "hidden" in calls)
    assert calls.index("paint") < calls.index("shown")
    assert calls.count("shown") == 1  # the paint came: the fallback wait calls nothing more
    qtbot.wait(PAINT_WAIT_MS + 100)
    assert calls.count("shown") == 1


def test_after_next_paint_does_not_wait_forever_for_a_widget_hidden_meanwhile(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    calls: list[str] = []
    after_next_paint(widget, lambda: calls.append("called"))
    widget.hide()  # before it could paint: on a tab the user switched away from
    qtbot.waitUntil(lambda: calls == ["called"], timeout=PAINT_WAIT_MS + 1000)


def test_the_rest_loads_and_lints_while_another_tab_is_in_front(qtbot, opened_in_steps):
    window = opened_in_steps
    window.start_lint()
    window.tabs.show_launch()  # at once, before the table could paint
    qtbot.waitUntil(lambda: window.session.linted, timeout=20_000)
    assert len(window.session.dataset) == 200


def test_closing_as_the_rest_comes_in_starts_no_lint(qtbot, opened_in_steps):
    window = opened_in_steps
    window.passes.rows_in.connect(window.close)  # the user closes just as the rows arrive
    window.start_lint()
    qtbot.waitUntil(lambda: window.session.complete, timeout=20_000)
    qtbot.wait(PAINT_WAIT_MS + 200)  # past any wait for a paint that will not come
    assert not window.session.linted
    assert window.passes.worker is not None and not window.passes.worker.running


def test_a_progress_count_reads_with_thousands_separators(qtbot):
    bar = QProgressBar()
    qtbot.addWidget(bar)
    bar.setRange(0, 100_000)
    show_count(bar, "Linting", 2_000)
    assert bar.text() == "Linting 2,000 of 100,000"
    assert bar.value() == 2_000
