"""Token-length histograms: one part of the examples at a time, the model's limit marked, and
the longest examples listed to jump to."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QAreaSeries, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.stats import Distribution, Histogram, LengthStats
from tunedeck.core.stats.histogram import nice_width
from tunedeck.ui.widgets.chart_view import ChartView, caption_label, plain_chart

BINS = 30
LONGEST = 10
PART_NAMES = {
    "example": "Whole example",
    "prompt": "Prompt",
    "completion": "Completion",
    "system": "System messages",
    "user": "User messages",
    "assistant": "Assistant messages",
    "tool": "Tool messages",
}
# Show the limit on the axis only when it is near the data; far off, it would squash every
# bar against the left edge, and the caption says how far it is instead.
LIMIT_REACH = 1.5
_BAR, _LIMIT = QColor("#2563eb"), QColor("#b91c1c")


class LengthChart(QWidget):
    """Histograms of a LengthStats, which the owner computes (slow: in a worker) and sets.

    Signals:
        refresh_requested(): the user asked to count again.
        row_requested(row_id): a longest example was clicked.
    """

    refresh_requested = Signal()
    row_requested = Signal(int)

    def __init__(self, preview: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = preview  # a row's text, shortened, for the longest list
        self.stats: LengthStats | None = None
        self.part = QComboBox()
        self.part.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.part.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.part.currentIndexChanged.connect(self._show_part)
        self.state = QLabel()
        self.state.setStyleSheet("color: #555")
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Count the tokens again (after edits)")
        refresh.clicked.connect(self.refresh_requested)
        self.chart = plain_chart()
        self.chart.legend().hide()
        self.caption = caption_label()
        self.view = ChartView(self.chart, "token-lengths")
        self.view.tooltip_at = self.tooltip_at
        self.longest = QTreeWidget()
        self.longest.setHeaderLabels(["Tokens", "Longest examples (click one to show it)"])
        self.longest.setRootIsDecorated(False)
        self.longest.setUniformRowHeights(True)
        self.longest.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.longest.header().setStretchLastSection(True)
        self.longest.itemActivated.connect(self._on_longest)
        self.longest.itemClicked.connect(self._on_longest)
        self._histogram: Histogram | None = None
        self._build(refresh)

    def _build(self, refresh: QPushButton) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Token lengths of"))
        controls.addWidget(self.part)
        controls.addWidget(self.state, 1)
        controls.addWidget(refresh)
        self.chart_page = QWidget()  # what "Save chart" writes: caption and chart
        self.chart_page.setStyleSheet("background: white")
        page = QVBoxLayout(self.chart_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.caption)
        page.addWidget(self.view, 1)
        self.view.save_target = self.chart_page
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(controls)
        column.addWidget(self.chart_page, 3)
        column.addWidget(self.longest, 1)

    # --- state -------------------------------------------------------------------------------

    def set_computing(self) -> None:
        self.state.setText("computing…")

    def set_note(self, text: str, tooltip: str = "") -> None:
        """A word beside the part chooser: when counted, or that edits came since."""
        self.state.setText(text)
        self.state.setToolTip(tooltip)

    def set_stats(self, stats: LengthStats) -> None:
        self.stats = stats
        current = self.part.currentData() or "example"
        self.part.blockSignals(True)
        self.part.clear()
        for name, distribution in stats.parts.items():
            self.part.addItem(f"{PART_NAMES.get(name, name)} ({len(distribution)})", name)
        self.part.setCurrentIndex(max(0, self.part.findData(current)))
        self.part.blockSignals(False)
        self._show_part()

    def distribution(self) -> Distribution | None:
        if self.stats is None:
            return None
        return self.stats.parts.get(self.part.currentData())

    # --- drawing -----------------------------------------------------------------------------

    def _show_part(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)  # the chart lets go of it, without deleting it
            axis.deleteLater()
        self.longest.clear()
        found = self.distribution()
        if found is None or not len(found):
            self._histogram = None
            self.caption.setText("No examples to measure.")
            return
        assert self.stats is not None
        histogram = self._histogram = found.histogram(BINS)
        self.caption.setText(_caption(found, self.stats))
        reach = histogram.edges[-1]
        limit_shown = found.limit <= reach * LIMIT_REACH
        x_axis = _axis(f"tokens ({self.stats.encoding})", max(reach, found.limit * limit_shown))
        y_axis = _axis("examples", max(histogram.counts))
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        area = QAreaSeries()
        area.setUpperSeries(_steps(histogram))  # the area keeps its line alive
        area.setBrush(QBrush(_BAR.lighter(160)))
        area.setPen(QPen(_BAR, 1.2))
        self._attach(area, x_axis, y_axis)
        if limit_shown:
            line = QLineSeries()
            line.setPen(QPen(_LIMIT, 2, Qt.PenStyle.DashLine))
            line.append([QPointF(found.limit, 0), QPointF(found.limit, y_axis.max())])
            self._attach(line, x_axis, y_axis)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row_id, tokens in found.longest(LONGEST):
            item = QTreeWidgetItem([f"{tokens:,}", self._preview(row_id)])
            item.setTextAlignment(0, right)
            item.setData(0, Qt.ItemDataRole.UserRole, row_id)
            item.setToolTip(1, f"Example {row_id}: {tokens:,} tokens. Click to show it.")
            self.longest.addTopLevelItem(item)
        self.longest.resizeColumnToContents(0)

    def _attach(self, series, x_axis: QValueAxis, y_axis: QValueAxis) -> None:
        self.chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    def tooltip_at(self, point: QPointF) -> str:
        """The bin under a point in chart coordinates, and how many examples it holds."""
        histogram = self._histogram
        series = self.chart.series()
        if histogram is None or not series or not self.chart.plotArea().contains(point):
            return ""
        tokens = self.chart.mapToValue(point, series[0]).x()
        index = int(tokens // histogram.width)
        if not 0 <= index < len(histogram.counts):
            return ""
        low = histogram.edges[index]
        count = histogram.counts[index]
        noun = "example" if count == 1 else "examples"
        return f"{low:,}–{low + histogram.width - 1:,} tokens: {count:,} {noun}"

    def _on_longest(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.row_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))


def _caption(found: Distribution, stats: LengthStats) -> str:
    over = found.over_limit
    limit_text = f"limit {found.limit:,} ({stats.model})"
    if over:
        limit_text = f"<span style='color:#b91c1c'>{over:,} over the {limit_text}</span>"
    elif found.limit > found.histogram(BINS).edges[-1] * LIMIT_REACH:
        limit_text += ", far beyond the longest"
    return (
        f"<b>{PART_NAMES.get(found.name, found.name)}</b> of {len(found):,} examples: mean "
        f"{found.mean:,.0f} · median {found.quantile(0.5):,} · 95% ≤ {found.quantile(0.95):,}"
        f" · longest {found.maximum:,} · {limit_text}"
    )


def _axis(title: str, reach: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setLabelFormat("%d")
    step = nice_width(max(1, int(reach)), 6)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, (int(reach) // step + 1) * step)
    return axis


def _steps(histogram: Histogram) -> QLineSeries:
    """The top of the bars as one stepped line (an area under it fills them)."""
    line = QLineSeries()
    points = [QPointF(0, 0)]
    for index, count in enumerate(histogram.counts):
        points += [
            QPointF(histogram.edges[index], count),
            QPointF(histogram.edges[index + 1], count),
        ]
    points.append(QPointF(histogram.edges[-1], 0))
    line.append(points)
    return line
