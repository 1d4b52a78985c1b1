"""A chart view with tooltips computed from where the mouse is, and "Save chart as…"; and
the plain chart and caption both statistics charts are drawn with."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, QMargins, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QLabel, QMenu, QToolTip, QWidget

from tunedeck.core.errors import UserError
from tunedeck.ui import chart_export

TooltipAt = Callable[[QPointF], str]


class ChartView(QChartView):
    """A QChartView for one chart.

    Signals:
        pressed_at(QPointF): a left click, in chart coordinates (for clicks off the bars,
            such as on an axis label).
        saved(str): the chart was saved; the message says where.
        save_failed(str): saving the chart failed; the message says why.
    """

    pressed_at = Signal(QPointF)
    saved = Signal(str)
    save_failed = Signal(str)

    def __init__(self, chart: QChart, name: str) -> None:
        super().__init__(chart)
        self._name = name  # suggested file name when saving
        self.tooltip_at: TooltipAt | None = None
        self.save_target: QWidget = self  # what "Save chart" draws (the chart and its legend)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and self.tooltip_at is not None:
            text = self.tooltip_at(self.chart_point(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.pressed_at.emit(self.chart_point(event.position().toPoint()))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = QMenu(self)
        menu.addAction("Save chart as PNG or SVG…", self.save_dialog)
        menu.exec(event.globalPos())

    def save_dialog(self) -> None:
        """Ask for a file name and save the chart there (PNG or SVG by its ending)."""
        try:
            path = chart_export.ask_and_save(self.save_target, self.window(), self._name)
        except UserError as error:
            self.save_failed.emit(str(error))
        else:
            if path is not None:
                self.saved.emit(f"Saved the chart to {path}.")

    def chart_point(self, point: QPoint) -> QPointF:
        """A viewport position in chart coordinates (what tooltip_at receives)."""
        return self.chart().mapFromScene(self.mapToScene(point))


def plain_chart() -> QChart:
    """A chart without the rounded card QtCharts draws by default: it sits in a dock."""
    chart = QChart()
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(2, 2, 12, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    return chart


def caption_label() -> QLabel:
    """The line above a chart that says what it shows; it wraps in a narrow dock."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setContentsMargins(8, 4, 8, 0)
    label.setStyleSheet("background: white")
    return label
