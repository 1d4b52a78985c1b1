"""The reviewer's buttons under a spot-check's results: rate an answer, note why, export the
run as CSV, and turn a corrected answer into a new training example."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QPushButton, QWidget

from tunedeck.core.chat import SpotCheck
from tunedeck.core.chat.planning import RunPlan
from tunedeck.core.chat.runs import export_csv, result_of
from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.errors import UserError
from tunedeck.core.session import CurationSession
from tunedeck.ui.chat.add_example_dialog import AddExampleDialog
from tunedeck.ui.chat.spot_table import ResultsTable


class ReviewActions(QWidget):
    """Signals:
    example_add_requested(dict): add this record to the dataset (the host's undo stack).
    informed(str) / failed(str): news for the window's message bar.
    """

    example_add_requested = Signal(dict)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self, session: CurationSession, table: ResultsTable, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session, self._table = session, table
        self._chats = session.project.chats
        self.check: SpotCheck | None = None
        self.run_id: int | None = None
        self.plan: RunPlan | None = None
        self.add_dialog: AddExampleDialog | None = None
        self.good_button = QPushButton("✓ Good")
        self.bad_button = QPushButton("✗ Bad")
        self.note_button = QPushButton("Note…")
        self.add_button = QPushButton("Add to dataset…")
        self.add_button.setToolTip("Correct the selected answer and add it as a new example")
        self.export_button = QPushButton("Export CSV…")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.good_button, self.bad_button, self.note_button, self.add_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        self.good_button.clicked.connect(lambda: self._rate_current("good"))
        self.bad_button.clicked.connect(lambda: self._rate_current("bad"))
        self.note_button.clicked.connect(self._note_current)
        self.add_button.clicked.connect(self.add_to_dataset)
        self.export_button.clicked.connect(self._export_dialog)
        self.bind(None, None, None)

    def bind(self, check: SpotCheck | None, run_id: int | None, plan: RunPlan | None) -> None:
        """Act on this run from now on."""
        self.check, self.run_id, self.plan = check, run_id, plan
        for button in (self.good_button, self.bad_button, self.note_button, self.add_button):
            button.setEnabled(check is not None)
        self.export_button.setEnabled(check is not None)

    def rate(self, row_id: int, model: str, rating: str | None, note: str | None = None) -> None:
        """Record the reviewer's verdict on one answer."""
        if self.check is None or self.run_id is None:
            return
        outcome = self.check.outcome(row_id, model)
        outcome.rating = rating
        if note is not None:
            outcome.note = note
        item = next(i for i in self.check.items if i.row_id == row_id)
        try:
            self._chats.save_results(self.run_id, [result_of(self.check, item, model)])
        except UserError as error:
            self.failed.emit(str(error))
        self._table.update_outcome(row_id, model)

    def add_to_dataset(self) -> None:
        """Open the dialog that turns the selected answer, corrected, into a new example."""
        target = self._table.current_target()
        if target is None or self.check is None or self.plan is None:
            return
        row_id, model = target
        item = next(i for i in self.check.items if i.row_id == row_id)
        answer = self.check.outcome(row_id, model).answer or item.expected
        dataset = self._session.dataset
        kind = dataset[row_id].format if row_id in dataset else None
        if kind not in (ExampleFormat.LEGACY, ExampleFormat.CHAT):
            kind = ExampleFormat.LEGACY if self.plan.first.is_legacy else ExampleFormat.CHAT
        settings = self._session.linter.settings
        dialog = self.add_dialog = AddExampleDialog(
            kind, item.prompt, answer, separator=settings.separator, stop=settings.stop, parent=self
        )
        dialog.accepted.connect(lambda: self.example_add_requested.emit(dialog.record()))
        dialog.open()

    def export_csv(self, path: str) -> None:
        if self.check is None:
            return
        try:
            export_csv(self.check, path)
        except UserError as error:
            self.failed.emit(str(error))
            return
        self.informed.emit(f"Saved the spot-check results to {path}.")

    def _rate_current(self, rating: str) -> None:
        target = self._table.current_target()
        if target is not None:
            self.rate(*target, rating)

    def _note_current(self) -> None:
        target = self._table.current_target()
        if target is None or self.check is None:
            return
        outcome = self.check.outcome(*target)
        note, ok = QInputDialog.getText(
            self, "Note", "What is right or wrong about this answer?", text=outcome.note
        )
        if ok:
            self.rate(*target, outcome.rating, note)

    def _export_dialog(self) -> None:
        if self.check is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export spot-check", f"spot-check-{self.run_id}.csv", "CSV files (*.csv)"
        )
        if path:
            self.export_csv(path)
