"""Training and validation loss by step, drawn as the points arrive.

While a job runs the points come from its step events; once it has succeeded, from its
result file (the whole curve). A validation loss that stops falling while the training loss
keeps falling is the picture of overfitting, so both share one axis.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tunedeck.core.storage.job_records import StoredMetric

_TRAIN, _VALID = QColor("#2563eb"), QColor("#ea580c")


class LossChart(QWidget):
    """A QtCharts line chart of one job's loss curve."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QChart()
        self.chart.setBackgroundRoundness(0)
        self.chart.setMargins(QMargins(4, 4, 12, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.train = _series("Training loss", _TRAIN)
        self.valid = _series("Validation loss", _VALID)
        self.x_axis = QValueAxis()
        self.x_axis.setTitleText("Step")
        self.x_axis.setLabelFormat("%d")
        self.y_axis = QValueAxis()
        self.y_axis.setTitleText("Loss")
        self.y_axis.setLabelFormat("%.2f")
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.train, self.valid):
            self.chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(180)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)
        self.show_points([], None, "No job chosen.")

    def show_points(
        self, points: Sequence[StoredMetric], total_steps: int | None, caption: str
    ) -> None:
        """Draw these points (replacing what was drawn); `total_steps` fixes the x range."""
        train = [QPointF(p.step, p.train_loss) for p in points if p.train_loss is not None]
        valid = [QPointF(p.step, p.valid_loss) for p in points if p.valid_loss is not None]
        self.train.replace(train)
        self.valid.replace(valid)
        self.valid.setVisible(bool(valid))
        values = [point.y() for point in train + valid]
        last = max((p.step for p in points), default=0)
        self.x_axis.setRange(0, max(total_steps or 0, last, 10))
        self.x_axis.applyNiceNumbers()  # ticks at round steps, not at a quarter of 99
        top = max(values, default=1.0)
        self.y_axis.setRange(0, top * 1.05 if top > 0 else 1.0)
        self.y_axis.applyNiceNumbers()
        self.caption.setText(caption)


def _series(name: str, color: QColor) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(color)
    pen.setWidthF(2.0)
    series.setPen(pen)
    return series
