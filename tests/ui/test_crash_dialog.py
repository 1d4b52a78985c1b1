"""A genuine bug gets the crash dialog, a saved report, and the window keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import open_session
from tunedeck.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _dismiss_when_shown(seen: list) -> None:
    def dismiss() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text(), box.detailedText()))
            box.accept()
        else:
            QTimer.singleShot(20, dismiss)

    QTimer.singleShot(20, dismiss)


def test_a_bug_in_the_first_lint_shows_the_crash_dialog(qtbot, project_path, private_settings):
    window = MainWindow(open_session(project_path))
    qtbot.addWidget(window)
    window.show()

    def broken(progress=None):
        raise ZeroDivisionError("a bug in a rule")

    window.session.lint_all = broken  # a real defect injected where one could hide
    seen: list = []
    _dismiss_when_shown(seen)
    worker = window.start_lint()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    worker.wait()

    title, text, details = seen[0]
    assert title == "TuneDeck hit a bug"
    assert "Your work is safe" in text and "ZeroDivisionError: a bug in a rule" in text
    assert "Traceback" in details and "broken" in details
    reports = list(Path(private_settings).rglob("crash-*.txt"))
    assert len(reports) == 1 and "a bug in a rule" in reports[0].read_text()
    assert str(reports[0]) in text
    assert "incomplete" in window.messages.text
    assert window.view.isEnabled()  # the window stays usable
    window.close()
