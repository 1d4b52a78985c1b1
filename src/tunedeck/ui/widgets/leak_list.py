"""Train/validation leakage as a list: each group of (near-)duplicates split across the two
sides, its examples clickable, and a filter to see them all in the table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.session import CurationSession
from tunedeck.core.stats import Leak, find_leaks, leaking_rows
from tunedeck.core.storage import Split
from tunedeck.ui.widgets.stats_summary import preview_of

_KIND_NAMES = {
    "duplicate": "same example",
    "same-prompt": "same prompt, other answer",
    "near-duplicate": "near-duplicate prompt",
}


class LeakList(QWidget):
    """Empty until check() runs (on the user's request: it folds every prompt).

    Signals:
        row_requested(row_id): an example was clicked.
        rows_filter_requested(row ids, description): "Show only these" was clicked.
    """

    row_requested = Signal(int)
    rows_filter_requested = Signal(object, str)

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.leaks: list[Leak] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.list = QListWidget()
        self.list.itemClicked.connect(self._on_clicked)
        self.show_only = QPushButton("Show only these")
        self.show_only.clicked.connect(self._on_show_only)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addWidget(self.list, 1)
        column.addWidget(self.show_only)
        self.list.hide()
        self.show_only.hide()

    def check(self) -> list[Leak]:
        """Find examples with a (near-)duplicate on the other side of the split; list them."""
        leaks = self.leaks = find_leaks(self._session)
        self.list.clear()
        for leak in leaks:
            title = QListWidgetItem(
                f"{_KIND_NAMES.get(leak.kind, leak.kind)}: {len(leak.train)} train, "
                f"{len(leak.validation)} validation"
            )
            title.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: nothing to select
            self.list.addItem(title)
            for side, ids in (("train", leak.train), ("validation", leak.validation)):
                for row_id in ids:
                    item = QListWidgetItem(f"    {side}: {preview_of(self._session, row_id)}")
                    item.setData(Qt.ItemDataRole.UserRole, row_id)
                    item.setToolTip(f"Example {row_id} ({side}). Click to show it.")
                    self.list.addItem(item)
        self.summary.setText(self._verdict(leaks))
        self.list.setVisible(bool(leaks))
        self.show_only.setVisible(bool(leaks))
        return leaks

    def _verdict(self, leaks: list[Leak]) -> str:
        if leaks:
            return (
                f"<span style='color:#b91c1c'><b>{len(leaking_rows(leaks))} examples leak</b>"
                f"</span> in {len(leaks)} groups: validation would score what training has seen."
            )
        reviews = self._session.reviews
        if not any(review.split is Split.VALIDATION for review in reviews.values()):
            return "Nothing is held out for validation yet, so nothing can leak."
        return "No leakage: no validation example has a (near-)duplicate in training."

    def _on_clicked(self, item: QListWidgetItem) -> None:
        row_id = item.data(Qt.ItemDataRole.UserRole)
        if row_id is not None:
            self.row_requested.emit(row_id)

    def _on_show_only(self) -> None:
        rows = leaking_rows(self.leaks)
        self.rows_filter_requested.emit(rows, f"{len(rows)} leaking examples")
