"""Propose a train/validation split, show each class's share of both sides, apply it as one
undoable step."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.session import CurationSession
from tunedeck.core.stats import SplitProposal, apply_split, propose_split
from tunedeck.core.storage import Split
from tunedeck.ui.undo import Report, _StoredChange

RECOMPUTE_DELAY_MS = 150  # a spin box held down does not propose a split per step
PROGRESS_FROM = 20_000  # examples; a smaller split is stored and shown within a second
PROGRESS_INTERVAL_S = 0.2
STORE_POLL_MS = 10  # how soon after the store's thread ends the window goes on
T = TypeVar("T")
Progress = Callable[[int, int], None]
RunStore = Callable[[Callable[[], Any]], Any]
_HEADERS = ("Class", "All", "Train", "Validation", "Gap")


class SplitDialog(QDialog):
    """Choose the validation share and a seed; `proposal` is what Apply would store."""

    def __init__(self, session: CurationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Propose a train / validation split")
        self._session = session
        self.proposal: SplitProposal | None = None
        self.fraction = QSpinBox()
        self.fraction.setRange(5, 50)
        self.fraction.setValue(20)
        self.fraction.setSuffix(" %")
        self.fraction.setToolTip("The share of the examples to hold out for validation")
        self.seed = QSpinBox()
        self.seed.setRange(0, 999_999)
        self.seed.setToolTip("Another seed draws other examples; the same seed, the same split")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        gap = self.table.horizontalHeaderItem(len(_HEADERS) - 1)
        gap.setToolTip("How far the class's share of the farther side is from its share of all")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.recompute)
        self.fraction.valueChanged.connect(self._timer.start)
        self.seed.valueChanged.connect(self._timer.start)
        self._build()
        self.resize(580, 540)
        self.recompute()

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Validation share", self.fraction)
        form.addRow("Seed", self.seed)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addWidget(self.buttons)

    def recompute(self) -> None:
        """Propose a split for the current share and seed, and show it."""
        self._timer.stop()
        proposal = propose_split(
            self._session, validation_fraction=self.fraction.value() / 100, seed=self.seed.value()
        )
        self.proposal = proposal
        self._show_shares(proposal)
        self.summary.setText(_summary(proposal, self._session))
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply.setEnabled(bool(proposal.changes(self._session.reviews)))

    def _show_shares(self, proposal: SplitProposal) -> None:
        self.table.setRowCount(len(proposal.shares))
        for row, share in enumerate(proposal.shares):
            cells = (
                share.label if share.label is not None else "(no class)",
                _percent(share.whole),
                _percent(share.train),
                _percent(share.validation),
                f"{share.gap * 100:.1f} pt",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(proposal.shares))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def _summary(proposal: SplitProposal, session: CurationSession) -> str:
    total = len(proposal.assignments)
    if not total:
        return "There are no examples to split (rejected ones are left out)."
    changes = len(proposal.changes(session.reviews))
    split_before = sum(
        session.reviews[row_id].split is not Split.UNASSIGNED for row_id in proposal.assignments
    )
    held_out = proposal.validation / total
    lines = [
        f"<b>{proposal.training:,} train</b> and <b>{proposal.validation:,} validation</b> of "
        f"{total:,} examples ({held_out:.1%} held out); rejected examples are left out.",
    ]
    if proposal.shares:
        moved = round(held_out * total) != round(proposal.validation_fraction * total)
        lines.append(
            f"Each class keeps its share on both sides, at most {proposal.max_gap * 100:.1f} "
            "points off"
            + (f" (hence not exactly {proposal.validation_fraction:.0%})." if moved else ".")
        )
    if proposal.kept_together:
        lines.append(
            f"{proposal.kept_together:,} examples have a (near-)duplicate and go to the same "
            "side as it, so that validation measures examples the model has not seen."
        )
    if split_before:
        lines.append(f"Replaces the current split of {split_before:,} examples.")
    lines.append(f"Apply changes {changes:,} examples; Edit ▸ Undo takes it back.")
    return "<br>".join(lines)


class SplitChange(_StoredChange):
    """Storing a proposed split (one transaction); undo puts the previous splits back.

    `bulk`, when given, wraps each store: the window shows a busy cursor meanwhile. A split
    of `progress_from` examples or more shows a progress dialog while it is stored and the
    window follows it.
    """

    def __init__(
        self,
        session: CurationSession,
        proposal: SplitProposal,
        report: Report,
        bulk: Callable[[], AbstractContextManager[None]] = nullcontext,
        *,
        progress_from: int = PROGRESS_FROM,
    ) -> None:
        super().__init__(
            f"Split {proposal.training:,} train / {proposal.validation:,} validation", report
        )
        self._session = session
        self._proposal = proposal
        self._bulk = bulk
        self._progress_from = progress_from
        self._previous: dict[int, Split] = {}

    def _do(self) -> None:
        count = len(self._proposal.assignments)
        doing = f"Storing the split of {count:,} examples…"
        with self._bulk(), self._long_step(doing, count) as (progress, run):
            self._previous = apply_split(self._session, self._proposal, progress, run)

    def _undo(self) -> None:
        session = self._session
        sides = {split: {"split": split} for split in Split}  # shared, as apply_split's
        back = {
            row_id: sides[split]
            for row_id, split in self._previous.items()
            if row_id in session.dataset
        }
        doing = f"Taking the split of {len(back):,} examples back…"
        with self._bulk(), self._long_step(doing, len(back)) as (progress, run):
            session.review_many(back, progress, run)

    def _long_step(
        self, text: str, count: int
    ) -> AbstractContextManager[tuple[Progress | None, RunStore | None]]:
        if count < self._progress_from:
            return nullcontext((None, None))
        return _progress_dialog(text, count)


@contextmanager
def _progress_dialog(text: str, total: int) -> Iterator[tuple[Progress, RunStore]]:
    """A modal progress dialog while the store runs in a thread and the window then follows
    the changed reviews; yields review_many's `progress` and `run_store`. Not cancellable:
    once stored, the window must follow to the end."""
    # No bar to fill while the store runs (one transaction), hence a busy one until then.
    dialog = QProgressDialog(text, "", 0, 0, QApplication.activeWindow())
    dialog.setWindowTitle("TuneDeck")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setValue(0)  # shown now
    shown = time.monotonic()

    def progress(done: int, _total: int) -> None:
        # Each setValue of a modal dialog runs the event loop, which repaints the window:
        # a few times a second is a moving bar; every call would double the work.
        nonlocal shown
        if dialog.maximum() != total:
            dialog.setRange(0, total)
        if time.monotonic() - shown >= PROGRESS_INTERVAL_S or done >= total:
            dialog.setValue(done)
            shown = time.monotonic()

    try:
        yield progress, _in_thread
    finally:
        dialog.close()
        dialog.deleteLater()


def _in_thread(store: Callable[[], T]) -> T:
    """`store()` in a thread of its own while the event loop runs on (the window repaints; the
    modal dialog keeps the user's hands off); returns what it returned, raises what it raised.
    Only the database work moves: the session takes the result in on the GUI thread."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = store()
        except BaseException as error:  # handed over to the GUI thread, raised there
            outcome["error"] = error

    thread = threading.Thread(target=run, name="tunedeck-split-store")
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(STORE_POLL_MS)
    poll.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    poll.start()
    loop.exec()
    poll.stop()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
