"""The Statistics dock: tabbed behind Problems, grown to a readable height when first shown.

Its panel is built the first time the user looks at it, not when the first lint finishes:
counting classes and summing tokens over 100,000 examples took two thirds of a second, and
that stall landed right when the window had just become usable.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from tunedeck.core.session import CurationSession
from tunedeck.ui.widgets.stats_panel import StatsPanel

HEIGHT = 420  # px: fourteen class bars and a histogram, readable


class StatsDock(QDockWidget):
    """Adds itself to `window`, in a tab beside `beside` (the Problems dock), which stays in
    front: reviewing comes first, and the tab or View ▸ Statistics shows the numbers."""

    def __init__(
        self,
        session: CurationSession,
        window: QMainWindow,
        beside: QDockWidget,
        on_built: Callable[[StatsPanel], None] = lambda _panel: None,
    ) -> None:
        super().__init__("Statistics", window)
        self.setObjectName("statistics")
        self._session = session
        self._on_built = on_built
        self.panel: StatsPanel | None = None
        self._settled = False  # until the window has put Problems back in front
        placeholder = QLabel("Counting…")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(placeholder)
        self._window = window
        self._sized = False
        self._asked_for = False  # the user brought it forward before the window settled
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        window.tabifyDockWidget(beside, self)
        # After the window has laid out the new tab, which would otherwise come to the front.
        self._beside = beside
        QTimer.singleShot(0, self, self._settle)  # with self as context: not after it is gone
        self.visibilityChanged.connect(self._on_visibility_changed)

    def _settle(self) -> None:
        self._settled = True
        if not self._asked_for:
            self._beside.raise_()

    def ensure_panel(self) -> StatsPanel:
        """The panel, built now if it was not yet."""
        if self.panel is None:
            self.panel = StatsPanel(self._session)
            self.setWidget(self.panel)
            self._on_built(self.panel)
        return self.panel

    def bring_forward(self) -> None:
        self._asked_for = True
        self.show()
        self.raise_()
        self._on_visibility_changed(True)

    def _on_visibility_changed(self, visible: bool) -> None:
        # A tab behind another stays "visible" to Qt; this signal is what says it is seen.
        if visible and (self._settled or self._asked_for):
            self.ensure_panel()
        if self.panel is None:
            return
        self.panel.summary.set_in_sight(visible)
        if visible and not self._sized:
            # Grown once; after that the user's own sizing stands.
            self._sized = True
            self._window.resizeDocks([self], [HEIGHT], Qt.Orientation.Vertical)
