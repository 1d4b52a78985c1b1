"""How a finding's severity looks everywhere in the window: a tint, a colour and a small icon.

The icons are drawn with QPainter rather than loaded from files: three shapes in three
colours, cached, crisp at any device pixel ratio. The shape differs per severity as well as
the colour, so the marks still read for someone who does not see red and amber apart.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

from tunedeck.core.lint.diagnostic import Severity

COLOURS = {
    Severity.ERROR: QColor(205, 45, 45),
    Severity.WARNING: QColor(222, 150, 20),
    Severity.INFO: QColor(45, 115, 200),
}
# Light enough that black text on it stays easy to read, strong enough to find while scrolling.
_TINT_ALPHA = {Severity.ERROR: 46, Severity.WARNING: 46, Severity.INFO: 30}
SYMBOLS = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "ℹ"}  # for plain text
ICON_SIZE = 16


@cache
def tint(severity: Severity) -> QBrush:
    colour = QColor(COLOURS[severity])
    colour.setAlpha(_TINT_ALPHA[severity])
    return QBrush(colour)


@cache
def icon(severity: Severity) -> QIcon:
    """Needs a QGuiApplication; built once per severity."""
    result = QIcon()
    for ratio in (1.0, 2.0):
        result.addPixmap(_pixmap(severity, ratio))
    return result


def _pixmap(severity: Severity, ratio: float) -> QPixmap:
    pixmap = QPixmap(round(ICON_SIZE * ratio), round(ICON_SIZE * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = COLOURS[severity]
    painter.setPen(QPen(colour.darker(130), 1))
    painter.setBrush(colour)
    size = float(ICON_SIZE)
    if severity is Severity.WARNING:
        corners = [QPointF(size / 2, 1.5), QPointF(size - 1.5, size - 2), QPointF(1.5, size - 2)]
        painter.drawPolygon(QPolygonF(corners))
        _mark(painter, "!", size, 1.5)
    else:
        painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - 1.5, size / 2 - 1.5)
        _mark(painter, "×" if severity is Severity.ERROR else "i", size, 0)
    painter.end()
    return pixmap


def _mark(painter: QPainter, text: str, size: float, lower: float) -> None:
    font = QFont()
    font.setPixelSize(int(size * 0.7))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.white)
    painter.drawText(0, int(lower), int(size), int(size), Qt.AlignmentFlag.AlignCenter, text)
