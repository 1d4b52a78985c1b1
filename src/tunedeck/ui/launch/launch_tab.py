"""The launch tab: the export-and-launch panel on the left, the jobs view on the right.

The host (the main window) puts this in a tab and connects four signals: `row_requested`
to select a row of the table, `open_in_chat_requested` to the chat tab, and `informed` /
`failed` to the message bar. Closing the tab stops its polling and waits for its network
calls, so the project can be closed right after.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSplitter, QWidget

from tunedeck.core.fine_tune.launching import Launched
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.export_panel import ExportPanel
from tunedeck.ui.launch.jobs_view import JobsView


class LaunchTab(QWidget):
    """Export, check, launch and follow fine-tunes of the session's dataset.

    Signals:
        row_requested(int): Select this row id in the table (a pre-flight finding).
        open_in_chat_requested(str, str): (profile id, model) — on Azure, the model is the
            deployment's name, which is what chat requests there name.
        informed(str): News for the message bar.
        failed(str): A problem for the message bar, in words that say what to do.

    Args:
        session: The dataset being curated.
        connections: The shared profiles, keys and sandbox.
        parent: The owning widget.
        poll_seconds: The shortest and longest wait between polls of active jobs.
    """

    row_requested = Signal(int)
    open_in_chat_requested = Signal(str, str)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: CurationSession,
        connections: Connections,
        parent: QWidget | None = None,
        *,
        poll_seconds: tuple[float, float] = (2.0, 60.0),
    ) -> None:
        super().__init__(parent)
        self.panel = ExportPanel(session, connections)
        self.jobs = JobsView(session.project.jobs, connections, poll_seconds)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.panel.minimumSizeHint().width() + 24)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(self.jobs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.panel.row_requested.connect(self.row_requested)
        self.panel.launched.connect(self._on_launched)
        self.panel.profiles.profile_changed.connect(self.jobs.set_profile)
        self.jobs.set_profile(self.panel.profiles.current())
        self.jobs.open_in_chat_requested.connect(self.open_in_chat_requested)
        for source in (self.panel, self.jobs):
            source.informed.connect(self.informed)
            source.failed.connect(self.failed)
        self._closed = False

    def shutdown(self) -> None:
        """Stop polling and wait for running network calls (before the project closes)."""
        if self._closed:
            return
        self._closed = True
        self.panel.close_tasks()
        self.jobs.close_tasks()

    def wait(self) -> None:
        """Block until every running network call has ended (tests)."""
        self.panel.wait()
        self.jobs.wait()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)

    def _on_launched(self, launched: Launched) -> None:
        self.jobs.follow(launched.profile_id, launched.job.id)
