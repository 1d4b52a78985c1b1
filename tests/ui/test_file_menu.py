"""Opening and importing from the window: File menu, drops, recent projects, replacing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from tests.conftest import BUNDLED_SAMPLE
from tests.ui.conftest import open_session
from tunedeck import app
from tunedeck.core.storage import Project
from tunedeck.ui import recent
from tunedeck.ui.file_menu import unique_name
from tunedeck.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def choose_save_path(monkeypatch, path: Path) -> None:
    """The user picks `path` in the save dialog (the only stand-in: a person's choice)."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(path), ""))


def test_dataset_names_stay_unique():
    assert unique_name("tickets", set()) == "tickets"
    assert unique_name("tickets", {"tickets", "tickets-2"}) == "tickets-3"


def test_import_from_the_menu_into_a_new_then_the_same_project(
    qtbot, window, tmp_path, monkeypatch
):
    source = shutil.copy(BUNDLED_SAMPLE, tmp_path / "tickets.jsonl")
    target = tmp_path / "chosen" / "team.tunedeck"
    target.parent.mkdir()
    choose_save_path(monkeypatch, target)

    with qtbot.waitSignal(window.open_requested) as opened:
        window.files.import_file(Path(source))
    assert opened.args == [str(target), "tickets"]
    with qtbot.waitSignal(window.open_requested) as again:
        window.files.import_file(Path(source))
    assert again.args == [str(target), "tickets-2"]  # an existing project gains a dataset
    with Project.open(target) as project:
        assert [info.name for info in project.datasets()] == ["tickets", "tickets-2"]
        assert project.count(project.dataset("tickets-2").id) == 43


def test_the_import_proposes_a_project_beside_the_file(window, tmp_path, monkeypatch):
    proposed = []

    def dialog(_parent, _title, suggestion, *_args, **_kwargs):
        proposed.append(suggestion)
        return "", ""  # the user cancels: nothing is imported

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    window.files.import_file(tmp_path / "tickets.csv")
    assert proposed == [str(tmp_path / "tickets.tunedeck")]
    assert not (tmp_path / "tickets.tunedeck").exists()


def test_a_broken_file_says_why_and_leaves_no_project(qtbot, window, tmp_path, monkeypatch):
    source = tmp_path / "table.xlsx"
    source.write_bytes(b"not a spreadsheet")
    choose_save_path(monkeypatch, tmp_path / "table.tunedeck")
    with qtbot.assertNotEmitted(window.open_requested):
        window.files.import_file(source)
    assert "table.xlsx" in window.messages.text
    assert not (tmp_path / "table.tunedeck").exists()


def _drop(window: MainWindow, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_a_project_opens_it_and_a_data_file_imports_it(
    qtbot, window, tmp_path, monkeypatch
):
    other = tmp_path / "other.tunedeck"
    open_session(other).project.close()
    with qtbot.waitSignal(window.open_requested) as opened:
        _drop(window, other)
    assert opened.args == [str(other), ""]

    source = shutil.copy(BUNDLED_SAMPLE, tmp_path / "dropped.jsonl")
    choose_save_path(monkeypatch, tmp_path / "dropped.tunedeck")
    with qtbot.waitSignal(window.open_requested) as imported:
        _drop(window, Path(source))
    assert imported.args == [str(tmp_path / "dropped.tunedeck"), "dropped"]


def test_dropping_something_else_names_what_can_be_opened(qtbot, window, tmp_path):
    picture = tmp_path / "holiday.png"
    picture.write_bytes(b"\x89PNG")
    _drop(window, picture)
    qtbot.waitUntil(lambda: "holiday.png" in window.messages.text)
    assert ".jsonl" in window.messages.text


def test_recent_projects_in_the_file_menu(qtbot, window, project_path, tmp_path):
    gone = tmp_path / "gone.tunedeck"
    recent.remember(str(gone))
    app.open_window(str(project_path)).close()  # opening remembers, newest first
    menu = window.files.recent_menu
    menu.aboutToShow.emit()
    texts = [action.text() for action in menu.actions()]
    assert texts[:2] == [f"&1 {project_path}", f"&2 {gone}"]

    with qtbot.waitSignal(window.open_requested) as opened:
        menu.actions()[0].trigger()
    assert opened.args == [str(project_path), ""]
    menu.actions()[1].trigger()  # moved away since: said so, and dropped from the list
    assert "no longer there" in window.messages.text
    assert recent.recent_projects() == [str(project_path)]


def test_a_team_address_is_remembered_without_its_password():
    recent.remember("postgresql://ann:s3cret@db.example/curation")
    assert recent.recent_projects() == ["postgresql://ann@db.example/curation"]


def test_opening_replaces_the_window_and_a_failure_keeps_it(qtbot, window, tmp_path):
    other = tmp_path / "other.tunedeck"
    open_session(other).project.close()
    new = app.replace_window(window, str(other), None)
    qtbot.addWidget(new)
    assert str(new.session.project.location) == str(other)
    assert new.isVisible() and not window.isVisible()
    new.start_lint().wait()

    kept = app.replace_window(new, str(tmp_path / "missing.tunedeck"), None)
    assert kept is None and new.isVisible()
    assert "missing.tunedeck" in new.messages.text
    new.close()


def test_closing_during_the_first_lint_stops_it_cleanly(qtbot, project_path):
    shown = MainWindow(open_session(project_path))
    qtbot.addWidget(shown)
    shown.show()
    worker = shown.start_lint()
    shown.close()  # must not abort with "QThread destroyed while running"
    assert worker.wait(5000)
