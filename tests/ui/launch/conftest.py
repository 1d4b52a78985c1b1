"""Launch tabs on real projects, talking to the built-in sandbox over loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt

from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch import LaunchTab

POLL = (0.1, 0.5)  # seconds: the sandbox's jobs take one second
WAIT_MS = 20000

MakeTab = Callable[..., LaunchTab]


@pytest.fixture
def make_tab(qtbot, connections: Connections) -> Iterator[MakeTab]:
    """make_tab(session, connections=None): a shown LaunchTab, shut down after the test."""
    made: list[LaunchTab] = []

    def make(session: CurationSession, shared: Connections | None = None) -> LaunchTab:
        tab = LaunchTab(session, shared or connections, poll_seconds=POLL)
        qtbot.addWidget(tab)
        tab.resize(1500, 1000)
        tab.show()
        made.append(tab)
        return tab

    yield make
    for tab in made:
        tab.shutdown()


def checked(qtbot, tab: LaunchTab) -> None:
    """Wait until the models are listed and the pre-flight check has a verdict."""
    panel = tab.panel
    qtbot.waitUntil(lambda: bool(panel.models.current()), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: panel._checked is not None and panel._checked is panel._build, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not panel._timer.isActive() and not panel._checking, timeout=WAIT_MS)


def choose_model(qtbot, tab: LaunchTab, model: str) -> None:
    combo = tab.panel.models.combo
    index = combo.findData(model, Qt.ItemDataRole.UserRole)
    assert index >= 0, f"{model} is not offered"
    combo.setCurrentIndex(index)
    checked(qtbot, tab)


def launch(qtbot, tab: LaunchTab) -> None:
    """Read the warnings, press Launch, wait for the outcome."""
    panel = tab.panel
    if panel.gate.acknowledge.isVisible():
        panel.gate.acknowledge.setChecked(True)
    assert panel.bar.launch_button.isEnabled(), panel.gate.verdict.text()
    panel.bar.launch_button.click()
    qtbot.waitUntil(lambda: not panel.bar.running, timeout=WAIT_MS)


def finished(tab: LaunchTab) -> bool:
    rows = tab.jobs.model.rows()
    return bool(rows) and all(row.job.finished for row in rows)
