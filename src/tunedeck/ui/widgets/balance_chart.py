"""The class balance as horizontal bars: one per class, stacked by split and review status.

Horizontal bars because a class name reads best left of its bar: 14 DBpedia classes fit
without rotated text. The chart follows ClassBalance.changed through a short single-shot
timer (deleting 500 rows emits 500 times), and changes bar values in place; only a new set
of classes or the first split rebuilds the bars.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from tunedeck.core.stats import ClassBalance, ClassCounts
from tunedeck.core.stats.histogram import nice_width
from tunedeck.ui.widgets.balance_style import (
    WARN,
    Segment,
    describe,
    legend_rows,
    minimum_pen,
    segments_for,
)
from tunedeck.ui.widgets.chart_legend import ChartLegend
from tunedeck.ui.widgets.chart_view import ChartView, caption_label, plain_chart

REPAINT_DELAY_MS = 60
LABEL_WIDTH_PX = 170  # longer class names are elided; the tooltip has them whole


class BalanceChart(QWidget):
    """Bars of a ClassBalance, largest class on top, with the recommended minimum as a line.

    Signals:
        class_clicked(label, split): a bar segment (split: that segment's Split, or None
            before any split) or a class name (split None) was clicked.
    """

    class_clicked = Signal(str, object)

    def __init__(self, balance: ClassBalance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._balance = balance
        self.minimum = balance.min_per_class
        # Classes in bar order: QtCharts puts the first category at the bottom, so the
        # largest class comes last, to be drawn on top.
        self.labels: list[str] = []
        self._segments: tuple[Segment, ...] = ()
        self._sets: dict[Segment, QBarSet] = {}
        self._categories: list[str] = []
        self.chart = plain_chart()
        self.chart.legend().hide()  # see chart_legend.py
        self.caption = caption_label()  # above the chart: a QLabel wraps, a chart title not
        self.view = ChartView(self.chart, "class-balance")
        self.view.tooltip_at = self.tooltip_at
        self.view.pressed_at.connect(self._on_pressed)
        self.legend = ChartLegend()
        self._series = QHorizontalStackedBarSeries()
        self._series.setBarWidth(0.72)
        self._class_axis = QBarCategoryAxis()
        self._class_axis.setTruncateLabels(False)  # elided by us, with a tooltip
        self._count_axis = QValueAxis()
        self._count_axis.setLabelFormat("%d")
        self._count_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self._count_axis.setTickAnchor(0)
        self._count_axis.setTitleText("examples (rejected ones are not counted)")
        self._line_axis = QValueAxis()  # spans the minimum line across every bar
        self._line_axis.setVisible(False)
        self._minimum_line = QLineSeries()
        self._minimum_line.setPen(minimum_pen())
        self._assemble()
        self._pages = self._build_pages()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REPAINT_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        timer_start = self._timer.start
        balance.changed.connect(timer_start)
        # The balance outlives this widget; a signal must not reach a deleted timer.
        self.destroyed.connect(lambda *_: balance.changed.disconnect(timer_start))
        self.refresh()

    def _assemble(self) -> None:
        chart = self.chart
        chart.addSeries(self._series)
        chart.addSeries(self._minimum_line)
        chart.addAxis(self._class_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self._count_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._line_axis, Qt.AlignmentFlag.AlignRight)
        self._series.attachAxis(self._class_axis)
        self._series.attachAxis(self._count_axis)
        self._minimum_line.attachAxis(self._count_axis)
        self._minimum_line.attachAxis(self._line_axis)

    def _build_pages(self) -> QStackedLayout:
        self.bars_page = QWidget()  # what "Save chart" writes: the chart and its legend
        self.bars_page.setStyleSheet("background: white")
        column = QVBoxLayout(self.bars_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.caption)
        column.addWidget(self.view, 1)
        column.addWidget(self.legend)
        self.view.save_target = self.bars_page
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMargin(16)
        pages = QStackedLayout(self)
        pages.addWidget(self.bars_page)
        pages.addWidget(self.message)
        return pages

    # --- reading (for tests and tooltips) --------------------------------------------------

    @property
    def showing_bars(self) -> bool:
        return self._pages.currentWidget() is self.bars_page

    def bar_set(self, segment: Segment) -> QBarSet:
        return self._sets[segment]

    def value(self, label: str, segment: Segment) -> float:
        """The length of `segment` in `label`'s bar, as drawn."""
        return self._sets[segment].at(self.labels.index(label))

    def set_minimum(self, minimum: int) -> None:
        """Move the recommended-minimum line (a view setting; lint reads its own)."""
        self.minimum = minimum
        self.refresh()

    # --- following the balance -------------------------------------------------------------

    def refresh(self) -> None:
        """Show the balance as it is now (the timer calls this after changes)."""
        self._timer.stop()
        balance = self._balance
        if not balance.classification:
            self._show_message(
                "This dataset is not set up as a classification one (Dataset ▸ Settings…), "
                "so it has no classes to balance. Its other statistics are shown beside this."
            )
            return
        classes = balance.classes()
        if not classes:
            self._show_message("No class to show: every example is rejected or has no class.")
            return
        self._pages.setCurrentWidget(self.bars_page)
        by_label = {c.label: c for c in classes}
        segments = segments_for(balance.has_split)
        if segments != self._segments or by_label.keys() != set(self.labels):
            self._rebuild(classes, segments)
        else:
            self._update_values(by_label)
        wanted = _category_texts([by_label[label] for label in self.labels], self.font())
        if wanted != self._categories:
            self._class_axis.setCategories(wanted)
            self._categories = wanted
        self._update_scale(classes)
        self.caption.setText(self._title(classes))
        present = {split for c in classes for split, _status in c.cells}
        self.legend.set_rows(legend_rows(segments, present, self.minimum))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self._pages.setCurrentWidget(self.message)

    def _rebuild(self, classes: list[ClassCounts], segments: tuple[Segment, ...]) -> None:
        # Largest on top, as of now; the order then stays put while counts change, so that a
        # bar does not jump away from under the mouse after an edit.
        ordered = classes[::-1]
        self.labels = [c.label for c in ordered]
        self._segments = segments
        self._series.clear()
        self._sets = {}
        for segment in segments:
            bar_set = QBarSet(segment.name)
            bar_set.setBrush(segment.brush())
            bar_set.setPen(segment.pen())
            bar_set.append([float(segment.count(c)) for c in ordered])
            bar_set.clicked.connect(lambda index, s=segment: self._on_bar_clicked(index, s))
            self._series.append(bar_set)
            self._sets[segment] = bar_set
        self._categories = []

    def _update_values(self, by_label: dict[str, ClassCounts]) -> None:
        for segment, bar_set in self._sets.items():
            for index, label in enumerate(self.labels):
                value = float(segment.count(by_label[label]))
                if bar_set.at(index) != value:
                    bar_set.replace(index, value)

    def _update_scale(self, classes: list[ClassCounts]) -> None:
        reach = max(max(c.total for c in classes), self.minimum)
        step = nice_width(reach, 6)
        self._count_axis.setTickInterval(step)
        self._count_axis.setRange(0, (reach // step + 1) * step)
        count = len(self.labels)
        self._line_axis.setRange(-0.5, count - 0.5)
        ends = [QPointF(self.minimum, -0.5), QPointF(self.minimum, count - 0.5)]
        self._minimum_line.replace(ends)
        self._minimum_line.setVisible(self.minimum > 0)

    def _title(self, classes: list[ClassCounts]) -> str:
        balance = self._balance
        parts = [f"<b>{len(classes)} classes</b>"]
        imbalance = balance.imbalance()
        if imbalance is not None:
            colour = "#b91c1c" if imbalance.exceeded else "#15803d"
            parts.append(
                f"<span style='color:{colour}'>largest / smallest = {imbalance.ratio:.1f}×</span>"
                f" (class-imbalance warns above {imbalance.threshold:g}×)"
            )
        below = sum(c.total < self.minimum for c in classes)
        if below:
            parts.append(f"{below} below the recommended {self.minimum}")
        notes = []
        if any(c.multi_token for c in classes):
            notes.append(f"{WARN} class name the model reads as several tokens")
        if balance.unlabelled:
            notes.append(f"{balance.unlabelled} examples without a class are not shown")
        title = " · ".join(parts)
        return title + (f"<br><small>{' · '.join(notes)}</small>" if notes else "")

    # --- mouse -------------------------------------------------------------------------------

    def _on_bar_clicked(self, index: int, segment: Segment) -> None:
        if 0 <= index < len(self.labels):
            self.class_clicked.emit(self.labels[index], segment.split)

    def _on_pressed(self, point: QPointF) -> None:
        label = self._label_left_of(point)
        if label is not None:  # a click on a class name: the whole class
            self.class_clicked.emit(label, None)

    def _label_left_of(self, point: QPointF) -> str | None:
        area = self.chart.plotArea()
        beside = point.x() < area.left() and area.top() <= point.y() <= area.bottom()
        if not self.labels or not beside:
            return None
        index = int((area.bottom() - point.y()) / area.height() * len(self.labels))
        return self.labels[min(index, len(self.labels) - 1)]

    def tooltip_at(self, point: QPointF) -> str:
        """The tooltip at a point in chart coordinates: a class's numbers, over its bar or
        its name."""
        label = self._label_left_of(point)
        if label is None and self.chart.plotArea().contains(point) and self.labels:
            index = round(self.chart.mapToValue(point, self._series).y())
            if 0 <= index < len(self.labels):
                label = self.labels[index]
        return self.describe(label) if label is not None else ""

    def describe(self, label: str) -> str:
        """A class's numbers as rich text: by split and status, and its tokens."""
        counts = next((c for c in self._balance.classes() if c.label == label), None)
        if counts is None:
            return ""
        return describe(counts, self._balance.has_split, self.minimum)


def _category_texts(classes: list[ClassCounts], font: QFont) -> list[str]:
    """Axis labels: the name (elided), a warning sign for a multi-token name, the count.
    Each must be unique (the axis keys categories by text), so elided names that collide
    get invisible zero-width spaces."""
    metrics = QFontMetrics(font)
    texts: list[str] = []
    for counts in classes:
        name = metrics.elidedText(counts.label, Qt.TextElideMode.ElideRight, LABEL_WIDTH_PX)
        text = f"{WARN} {name}" if counts.multi_token else name
        text = f"{text} ({counts.total})"
        while text in texts:
            text += "\u200b"
        texts.append(text)
    return texts


__all__ = ["BalanceChart", "Segment", "segments_for"]
