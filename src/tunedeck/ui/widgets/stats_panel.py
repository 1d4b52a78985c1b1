"""The Statistics dock: summary numbers, the class balance, token lengths, split and leakage.

Like the Problems panel, it never edits the session: it emits requests (filter the table,
show a row, apply a split) and the window turns them into filters and undoable steps.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.session import CurationSession
from tunedeck.core.stats import ClassBalance, Leak, LengthStats, length_stats, remember_keys
from tunedeck.core.stats.selection import USABLE_FORMATS
from tunedeck.core.storage import Status
from tunedeck.ui import crash_dialog
from tunedeck.ui.dialogs.split_dialog import SplitDialog
from tunedeck.ui.widgets.balance_chart import BalanceChart
from tunedeck.ui.widgets.leak_list import LeakList
from tunedeck.ui.widgets.length_chart import LengthChart
from tunedeck.ui.widgets.stats_summary import SummaryView, preview_of
from tunedeck.ui.workers import Worker


class StatsPanel(QWidget):
    """Signals:
    class_filter_requested(label, split or None): show only that class (and split).
    rows_filter_requested(row ids, description): show only these rows.
    row_requested(row_id): select this row in the table.
    split_requested(SplitProposal): store this split as one undoable step.
    informed(str) / failed(str): news for the window's message bar (a chart saved, or not).
    """

    class_filter_requested = Signal(str, object)
    rows_filter_requested = Signal(object, str)
    row_requested = Signal(int)
    split_requested = Signal(object)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.balance = ClassBalance(session)  # held here: the session holds it weakly
        self.balance_chart = BalanceChart(self.balance)
        self.lengths = LengthChart(lambda row_id: preview_of(session, row_id))
        self.summary = SummaryView(session)
        self.minimum = QSpinBox()
        self.minimum.setRange(0, 100_000)
        self.minimum.setValue(self.balance.min_per_class)
        self.minimum.setToolTip(
            "Where the chart draws the recommended minimum per class. The class-size "
            "finding uses the dataset's own setting (Dataset ▸ Settings…)."
        )
        self.no_classes = QLabel(
            "<b>No class balance:</b> this dataset is not set up as a classification one "
            "(Dataset ▸ Settings…). Its token lengths are beside this."
        )
        self.no_classes.setWordWrap(True)
        self.leak_list = LeakList(session)
        self._worker: Worker | None = None
        self._again = False  # a refresh asked for while counting: count once more after
        self._counted_at = ""
        self._counted: frozenset[int] = frozenset()  # the examples the lengths are of
        self._build()
        self._connect()
        self.refresh_lengths()

    def _build(self) -> None:
        split_button = QPushButton("Propose split…")
        split_button.setToolTip("Hold out a validation share with every class kept in proportion")
        split_button.clicked.connect(self.propose_split)
        leak_button = QPushButton("Check leakage")
        leak_button.setToolTip("Find examples whose duplicate is on the other side of the split")
        leak_button.clicked.connect(self.check_leaks)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(6, 6, 6, 0)
        column.addWidget(self.summary)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Minimum per class", self.minimum)
        form.addRow("Epochs", self.summary.epochs)
        column.addLayout(form)
        column.addWidget(self.no_classes)
        save = QToolButton()
        save.setText("Save chart")
        save.setToolTip("Save a chart as a PNG image or an SVG drawing, for a report")
        save.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(save)
        menu.addAction("Class balance…", self.balance_chart.view.save_dialog)
        menu.addAction("Token lengths…", self.lengths.view.save_dialog)
        save.setMenu(menu)
        buttons = QHBoxLayout()
        buttons.addWidget(split_button)
        buttons.addWidget(leak_button)
        buttons.addWidget(save)
        column.addLayout(buttons)
        column.addWidget(self.leak_list, 1)
        column.addStretch(0)
        scroller = QScrollArea()  # a short dock scrolls the numbers rather than cut them
        scroller.setWidget(side)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroller)
        splitter.addWidget(self.balance_chart)
        splitter.addWidget(self.lengths)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([320, 580, 500])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.balance_chart.class_clicked.connect(self.class_filter_requested)
        self.lengths.row_requested.connect(self.row_requested)
        self.lengths.refresh_requested.connect(self.refresh_lengths)
        self.minimum.valueChanged.connect(self.balance_chart.set_minimum)
        for view in (self.balance_chart.view, self.lengths.view):
            view.saved.connect(self.informed)
            view.save_failed.connect(self.failed)
        self.leak_list.row_requested.connect(self.row_requested)
        self.leak_list.rows_filter_requested.connect(self.rows_filter_requested)
        session = self._session
        slots = [
            (session.findings_changed, self._on_edited),
            (session.reviewed, self._on_reviewed),
            (self.balance.changed, self._sync_classes),
        ]
        for signal, slot in slots:
            signal.connect(slot)
        balance = self.balance

        def let_go(*_: object) -> None:  # touches nothing of the dying widget
            for signal, slot in slots:
                signal.disconnect(slot)
            balance.close()

        self.destroyed.connect(let_go)
        self._sync_classes()

    def _sync_classes(self) -> None:
        """Without classes (not a classification dataset) there are no bars to draw: the
        lengths take the room, and a line says why."""
        classes = self.balance.classification
        self.balance_chart.setVisible(classes)
        self.no_classes.setVisible(not classes)
        self._form.setRowVisible(self.minimum, classes)

    # --- token lengths -----------------------------------------------------------------------

    def refresh_lengths(self) -> None:
        """Count every example's tokens again, in a worker."""
        if self._worker is not None:  # counting: once more when this count ends
            self._again = True
            return
        self._again = False
        self.lengths.set_computing()
        session = self._session

        def count(_progress: object, _cancel: object) -> None:
            worker.post(length_stats(session))
            # While the reviewer reads the chart: the first split proposal or leakage check
            # then finds every near-duplicate key known, instead of folding 100,000 prompts
            # on the GUI thread (half a second).
            remember_keys(session)

        worker = Worker(count)
        worker.posted.connect(self._on_lengths)
        worker.finished.connect(lambda _none: self._count_ended())
        worker.failed.connect(self._on_lengths_failed)
        worker.crashed.connect(self._on_lengths_crashed)
        self._worker = worker
        worker.start()

    @property
    def computing(self) -> bool:
        return self._worker is not None

    def _count_ended(self) -> bool:
        """Let the worker go. True: drop its news (a newer count has started, or the panel
        has shut down)."""
        if self._worker is None:  # shut down while the news was on its way
            return True
        # Its job has returned, but the news can arrive before the thread has quite ended;
        # a QThread dropped while running would abort the process.
        self._worker.wait()
        self._worker = None
        if self._again:
            self.refresh_lengths()
            return True
        return False

    def _on_lengths(self, stats: LengthStats) -> None:
        if self._worker is None or self._again:  # shut down, or a newer count is coming
            return
        self._counted_at = time.strftime("%H:%M")
        self._counted = frozenset(stats.example.row_ids)
        self.lengths.set_stats(stats)
        self.lengths.set_note(f"counted at {self._counted_at}", "")

    def _on_lengths_failed(self, message: str) -> None:
        if not self._count_ended():
            self.lengths.set_note("counting failed", message)

    def _on_lengths_crashed(self, error: BaseException) -> None:
        if not self._count_ended():
            self.lengths.set_note("counting failed")
        crash_dialog.report_error(error)

    def _on_edited(self, *_: object) -> None:
        self.summary.refresh_soon()
        if self._counted_at and not self.computing:
            self.lengths.set_note(
                "out of date: Refresh", f"Counted at {self._counted_at}; examples changed since"
            )

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        # Approving or splitting leaves the lengths as they are; rejecting (or taking a
        # rejection back) takes an example out of them (or puts it in).
        session = self._session
        reviews, dataset, counted_before = session.reviews, session.dataset, self._counted
        for row_id in row_ids:
            review = reviews.get(row_id)
            counted = (
                review is not None
                and review.status is not Status.REJECTED
                and row_id in dataset
                and dataset[row_id].format in USABLE_FORMATS
            )
            if counted != (row_id in counted_before):
                self._on_edited()
                return
        self.summary.refresh_soon()

    # --- split and leakage -------------------------------------------------------------------

    def propose_split(self) -> None:
        dialog = SplitDialog(self._session, self)
        if dialog.exec() == SplitDialog.DialogCode.Accepted and dialog.proposal is not None:
            self.split_requested.emit(dialog.proposal)

    def check_leaks(self) -> list[Leak]:
        return self.leak_list.check()

    # --- closing -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Wait for a count in progress (its thread must not outlive the window)."""
        if self._worker is not None:
            self._worker.cancel.set()
            self._worker.wait()
            self._worker = None
