"""Curate, Fine-tune, Chat: the steps of the loop as the tabs of one window, in order.

The Fine-tune and Chat tabs are built the first time they are opened, so the window opens
as fast as the curation view alone and nothing talks to a provider until the user asks.
The docks (Problems, Statistics) and the single-key review shortcuts belong to curation:
on the other tabs the docks step aside and the keys type into the fields as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QTabWidget, QWidget

from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import Connections

CURATE, FINE_TUNE, CHAT = range(3)
TITLES = ("&Curate", "&Fine-tune", "C&hat")


class WorkspaceTabs(QTabWidget):
    """Signals:
    launch_built(LaunchTab) / chat_built(ChatTab): a tab was just built; connect to it.
    """

    launch_built = Signal(object)
    chat_built = Signal(object)

    def __init__(
        self,
        curate: QWidget,
        session: CurationSession,
        connections: Connections,
        visible_rows: Callable[[], list[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._connections = connections
        self._visible_rows = visible_rows
        self.launch = None  # the LaunchTab, once opened
        self.chat = None  # the ChatTab, once opened
        self._docks: Sequence[QDockWidget] = ()
        self._docks_shown: dict[QDockWidget, bool] = {}
        self._index = CURATE
        self._curation_actions: Sequence[QAction] = ()
        self.setDocumentMode(True)
        self.addTab(curate, TITLES[CURATE].replace("&", ""))
        for title in TITLES[1:]:
            self.addTab(_placeholder(), title.replace("&", ""))
        self.setTabToolTip(CURATE, "Review and fix the examples (Ctrl+1)")
        self.setTabToolTip(FINE_TUNE, "Export, check, launch and follow fine-tunes (Ctrl+2)")
        self.setTabToolTip(CHAT, "Ask base and tuned models, compare, spot-check (Ctrl+3)")
        self.currentChanged.connect(self._on_current_changed)

    def set_curation_parts(self, docks: Sequence[QDockWidget], actions: Sequence[QAction]):
        """The docks that step aside and the actions switched off outside the Curate tab."""
        self._docks = docks
        self._curation_actions = actions

    def add_dock(self, dock: QDockWidget) -> None:
        """A curation dock made later (the statistics, after the first lint): out of sight
        until the Curate tab is back if another tab is in front now."""
        self._docks = (*self._docks, dock)
        if self._index != CURATE:
            dock.hide()  # shown on the return to Curate (_docks_shown has no say for it)

    def show_launch(self):
        self.setCurrentIndex(FINE_TUNE)
        return self.launch

    def show_chat(self):
        self.setCurrentIndex(CHAT)
        return self.chat

    def ensure_launch(self):
        if self.launch is None:
            from tunedeck.ui.launch import LaunchTab

            self.launch = LaunchTab(self._session, self._connections)
            self._replace(FINE_TUNE, self.launch)
            self.launch_built.emit(self.launch)
        return self.launch

    def ensure_chat(self):
        if self.chat is None:
            from tunedeck.ui.chat import ChatTab

            self.chat = ChatTab(self._session, self._connections, visible_rows=self._visible_rows)
            self._replace(CHAT, self.chat)
            self.chat_built.emit(self.chat)
        return self.chat

    def shutdown(self) -> None:
        """Stop polling and streaming before the project closes."""
        if self.launch is not None:
            self.launch.shutdown()
        if self.chat is not None:
            self.chat.shutdown()

    def _replace(self, index: int, widget: QWidget) -> None:
        current = self.currentIndex()
        title, tip = self.tabText(index), self.tabToolTip(index)
        self.blockSignals(True)  # the swap itself is no change of tab
        old = self.widget(index)
        self.removeTab(index)
        self.insertTab(index, widget, title)
        self.setTabToolTip(index, tip)
        self.setCurrentIndex(current)
        self.blockSignals(False)
        old.deleteLater()

    def _on_current_changed(self, index: int) -> None:
        if index == FINE_TUNE:
            self.ensure_launch()
        elif index == CHAT:
            self.ensure_chat()
        leaving, self._index = self._index, index
        curating = index == CURATE
        for action in self._curation_actions:
            action.setEnabled(curating)
        if leaving == CURATE and not curating:
            self._docks_shown = {dock: dock.isVisible() for dock in self._docks}
            for dock in self._docks:
                dock.hide()
        elif curating and leaving != CURATE:
            for dock in self._docks:
                dock.setVisible(self._docks_shown.get(dock, True))


def _placeholder() -> QWidget:
    return QLabel("Opening…")
