"""A compact legend drawn beside a chart: a swatch (filled box, or a line) and a word each.

QtCharts' own legend has one entry per bar set, and nine sets (three splits by three review
statuses) do not fit a dock's width: the balance chart explains its colours in two short
groups instead (split by hue; status by shade), which this draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

SWATCH_PX = 12


@dataclass(frozen=True)
class Entry:
    text: str
    brush: QBrush | None = None  # a filled box
    pen: QPen | None = None  # its outline; a line sample when there is no brush
    tooltip: str = ""

    def key(self) -> tuple:
        return self.text, self.tooltip


Row = list[Entry | str]  # a plain string is a caption ("shade:")


class ChartLegend(QWidget):
    """Rows of entries, centred; set_rows() rebuilds them only when they changed. It never
    makes the chart wider: a row too long for the width is cut, not the dock widened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = QVBoxLayout(self)
        self._frame.setContentsMargins(8, 2, 8, 4)
        self._body: QWidget | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._keys: list[list] = []
        self.texts: list[str] = []

    def set_rows(self, rows: list[Row]) -> None:
        keys = [[e if isinstance(e, str) else e.key() for e in row] for row in rows]
        if keys == self._keys:
            return
        self._keys = keys
        if self._body is not None:  # hidden at once: deleteLater alone leaves it drawn a while
            self._body.hide()
            self._body.deleteLater()
        self._body = QWidget(self)
        column = QVBoxLayout(self._body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.texts = []
        for row in rows:
            column.addLayout(self._row(row))
        self._frame.addWidget(self._body)

    def _row(self, entries: Row) -> QHBoxLayout:
        line = QHBoxLayout()
        line.setSpacing(4)
        line.addStretch(1)
        for entry in entries:
            if isinstance(entry, str):
                caption = QLabel(entry)
                caption.setStyleSheet("color: #555")
                line.addWidget(caption)
                continue
            swatch = QLabel()
            swatch.setPixmap(_swatch(entry, self.devicePixelRatioF()))
            text = QLabel(entry.text)
            for widget in (swatch, text):
                widget.setToolTip(entry.tooltip)
                line.addWidget(widget)
            line.addSpacing(10)
            self.texts.append(entry.text)
        line.addStretch(1)
        return line


def _swatch(entry: Entry, ratio: float) -> QPixmap:
    pixmap = QPixmap(round(SWATCH_PX * ratio), round(SWATCH_PX * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(0.5, 0.5, SWATCH_PX - 1, SWATCH_PX - 1)
    if entry.brush is not None:
        painter.setPen(entry.pen or Qt.PenStyle.NoPen)
        painter.setBrush(entry.brush)
        painter.drawRect(box)
    elif entry.pen is not None:  # a vertical line, as the minimum is drawn on the chart
        painter.setPen(entry.pen)
        painter.drawLine(box.center().x(), box.top(), box.center().x(), box.bottom())
    painter.end()
    return pixmap
