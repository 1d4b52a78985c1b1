"""One window, the loop in order: Curate, Fine-tune, Chat, and the ways between them."""

from __future__ import annotations

import pytest

from tests.ui.conftest import show_window
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.workspace_tabs import CHAT, CURATE, FINE_TUNE

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, sample_session, connections):
    shown = show_window(qtbot, sample_session, connections)
    yield shown
    shown.close()


def _action(window: MainWindow, text: str):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    return next(a for menu in menus for a in menu.actions() if a.text() == text)


def test_the_other_tabs_are_built_when_opened_and_curation_steps_aside(qtbot, window):
    assert window.tabs.count() == 3 and window.tabs.currentIndex() == CURATE
    assert window.tabs.launch is None and window.tabs.chat is None  # nothing built yet
    problems = window._problems_dock
    assert problems.isVisible() and _action(window, "&Approve").isEnabled()

    _action(window, "&Fine-tune").trigger()  # Ctrl+2
    assert window.tabs.currentIndex() == FINE_TUNE and window.tabs.launch is not None
    assert window.tabs.currentWidget() is window.tabs.launch
    assert not problems.isVisible()
    assert not _action(window, "&Approve").isEnabled()  # "A" types, it does not approve

    _action(window, "&Curate").trigger()
    assert problems.isVisible() and _action(window, "&Approve").isEnabled()


def test_a_gate_finding_takes_the_user_to_its_row_in_the_table(qtbot, window):
    launch = window.tabs.ensure_launch()
    window.tabs.setCurrentIndex(FINE_TUNE)
    row_id = window.session.dataset.ids()[7]
    launch.row_requested.emit(row_id)
    assert window.tabs.currentIndex() == CURATE
    assert window.current_row_id() == row_id


def test_open_in_chat_and_add_to_dataset_close_the_loop(qtbot, window):
    launch = window.tabs.ensure_launch()
    launch.open_in_chat_requested.emit("builtin-sandbox", "gpt-4o-mini-2024-07-18")
    assert window.tabs.currentIndex() == CHAT
    chat = window.tabs.chat
    qtbot.waitUntil(lambda: chat.chat.picker.current_name() == "gpt-4o-mini-2024-07-18")

    before = len(window.session.dataset)
    record = {"prompt": "Ticket: refund please\n\n###\n\n", "completion": " billing\n"}
    chat.example_add_requested.emit(record)
    assert len(window.session.dataset) == before + 1
    assert "Ctrl+Z" in window.messages.text
    window.undo_stack.undo()
    assert len(window.session.dataset) == before


def test_the_chat_tab_starts_on_the_model_the_dataset_is_curated_for(qtbot, window):
    _action(window, "C&hat").trigger()
    chat = window.tabs.chat
    qtbot.waitUntil(lambda: chat.chat.picker.current_name() != "", timeout=20000)
    assert chat.chat.picker.current_name() == "davinci-002"  # the sample's own target model


def test_curating_while_the_fine_tune_tab_is_hidden_does_not_recheck_the_export(qtbot, window):
    from tests.ui.launch.conftest import checked

    _action(window, "&Fine-tune").trigger()
    launch = window.tabs.launch
    checked(qtbot, launch)
    panel = launch.panel
    built = panel._build  # the export the last check was about

    _action(window, "&Curate").trigger()
    for row_id in window.session.dataset.ids()[:3]:
        window.session.review(row_id, notes="seen")  # a reviewer at work
    qtbot.wait(600)  # past the check's pause: no export is built while out of sight
    assert panel._build is built and not panel._checking
    assert not panel.bar.launch_button.isEnabled()  # what was checked is out of date

    _action(window, "&Fine-tune").trigger()  # back: checked again, with the new data
    checked(qtbot, launch)
    assert panel._build is not built and panel._checked is panel._build


def test_statistics_made_while_another_tab_is_in_front_wait_for_the_curate_tab(
    qtbot, sample_session, connections
):
    shown = MainWindow(sample_session, connections)
    qtbot.addWidget(shown)
    shown.show()
    shown.tabs.show_launch()  # before the first lint ends, which makes the statistics dock
    shown.passes.finish_lint()
    qtbot.waitUntil(lambda: shown._stats_dock is not None)
    qtbot.wait(100)  # the dock settles in a later turn of the event loop
    assert not shown._stats_dock.isVisible()  # not squeezed under the Fine-tune tab
    assert not shown._problems_dock.isVisible()

    shown.tabs.setCurrentIndex(CURATE)
    assert shown._stats_dock.isVisible()
    shown.close()
