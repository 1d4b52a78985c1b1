"""The one place the window tells the user something went wrong (or right)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

_STYLES = {
    "error": "background:#fdecea; color:#611a15; border:1px solid #f5c2c0;",
    "info": "background:#e8f4fd; color:#0d3c61; border:1px solid #b6dcf8;",
}


class MessageBar(QFrame):
    """A dismissable line above the table. Errors stay until dismissed; news fades."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss (Esc)")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._text, 1)
        layout.addWidget(close)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self.hide)
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text()

    def error(self, message: str) -> None:
        self._show(message, "error")

    def info(self, message: str, timeout_ms: int = 6000) -> None:
        self._show(message, "info")
        self._fade.start(timeout_ms)

    def _show(self, message: str, kind: str) -> None:
        self._fade.stop()
        self._text.setText(message)
        self.setStyleSheet(f"MessageBar {{{_STYLES[kind]} border-radius:4px;}}")
        self.setProperty("kind", kind)
        self.show()
