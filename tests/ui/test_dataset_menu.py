"""The Dataset menu: new settings re-check everything in the background; switching datasets."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.storage import Project
from tunedeck.ui.main_window import MainWindow
from tunedeck.ui.models.dataset_table import DiagnosticsRole

pytestmark = pytest.mark.gui


def rules_shown(window: MainWindow) -> set[str]:
    model = window.model
    return {
        finding.rule
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for finding in model.index(row, column).data(DiagnosticsRole) or ()
    }


def test_turning_classification_off_rechecks_in_the_background(qtbot, window, project_path):
    assert "class-token" in rules_shown(window)
    settings = dataclasses.replace(window.session.info.settings, classification=False)

    worker = window.apply_settings(settings)
    assert not window.view.isEnabled()  # the table waits for the new findings
    with qtbot.waitSignal(worker.finished, timeout=10000):
        pass
    assert window.view.isEnabled()
    assert "class-token" not in rules_shown(window)
    assert "missing-stop" in rules_shown(window)  # the rest is still checked
    with Project.open(project_path) as project:
        assert project.dataset("data").settings.classification is False  # kept for next time


def test_switch_to_another_dataset_of_the_project(qtbot, window, project_path):
    with Project.open(project_path) as project:
        project.import_file(BUNDLED_SAMPLE, "second")
    menu = window._switch_menu
    menu.aboutToShow.emit()
    names = {action.text(): action for action in menu.actions()}
    assert set(names) == {"data", "second"}
    assert names["data"].isChecked() and not names["second"].isChecked()
    with qtbot.waitSignal(window.open_requested) as requested:
        names["second"].trigger()
    assert requested.args == [str(project_path), "second"]


def test_the_settings_shortcut_is_in_the_menu(window):
    dataset_menu = next(
        action.menu() for action in window.menuBar().actions() if action.text() == "&Dataset"
    )
    shortcuts = {action.text(): action.shortcut().toString() for action in dataset_menu.actions()}
    assert shortcuts["&Settings…"] == "Ctrl+,"
