"""Spot-check on held-out examples: expected against actual, scored, stored, retryable.

A run asks the chosen examples of one or two models (each the way it was trained), stores
every result as it arrives, and keeps failures marked for Retry. Past runs are listed with
their scores so they can be compared and reopened; a run exports as CSV, and a wrong answer,
once corrected, goes back into the dataset as a new example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from tunedeck.core.chat import SpotCheck, choose_rows
from tunedeck.core.chat.asking import check_asker
from tunedeck.core.chat.planning import RunPlan, reopen_run
from tunedeck.core.chat.runs import result_of
from tunedeck.core.errors import UserError
from tunedeck.core.remote import Profile
from tunedeck.core.session import CurationSession
from tunedeck.ui.chat.model_picker import ModelPicker
from tunedeck.ui.chat.run_list import RunList
from tunedeck.ui.chat.spot_metrics import MetricsView
from tunedeck.ui.chat.spot_review import ReviewActions
from tunedeck.ui.chat.spot_runner import LateAsk, SpotRunner
from tunedeck.ui.chat.spot_setup import ROWS, SpotSetup
from tunedeck.ui.chat.spot_table import ResultsTable
from tunedeck.ui.connections import Connections

_EMPTY = {
    "validation": "No example is in the validation split. Propose a split (Statistics) first, "
    "or choose the table's rows or a random sample.",
    "rows": "The table shows no example that can be asked. Clear the filter, or choose "
    "another selection.",
    "sample": "The dataset has no example that can be asked.",
}


class SpotCheckPanel(QWidget):
    """Signals:
    example_add_requested(dict): add this record to the dataset (the host's undo stack).
    informed(str) / failed(str): news for the window's message bar.
    """

    example_add_requested = Signal(dict)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: CurationSession,
        connections: Connections,
        pickers: tuple[ModelPicker, ModelPicker],
        profile: Callable[[], Profile | None],
        visible_rows: Callable[[], Iterable[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._connections = session, connections
        self._profile, self._visible_rows = profile, visible_rows
        self._chats = session.project.chats
        self.setup = SpotSetup(*pickers)
        self.runs = RunList(self._chats, session.info.id)
        self.table = ResultsTable()
        self.review = ReviewActions(session, self.table)
        self.metrics = MetricsView()
        self.no_classes = QLabel(
            "This dataset is not set up as a classification one, so answers are not scored; "
            "rate them instead (Dataset ▸ Settings… turns classification on)."
        )
        self.no_classes.setWordWrap(True)
        self.runner = SpotRunner(self._chats, self)
        self.check: SpotCheck | None = None
        self.run_id: int | None = None
        self.plan: RunPlan | None = None
        self._late = LateAsk()
        self._run_profile: str | None = None
        self._build()
        self._connect()
        self._show_check(None)

    def _build(self) -> None:
        results = QWidget()
        column = QVBoxLayout(results)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.review)
        scores = QWidget()
        score_column = QVBoxLayout(scores)
        score_column.setContentsMargins(0, 0, 0, 0)
        score_column.addWidget(self.no_classes)
        score_column.addWidget(self.metrics, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(results)
        splitter.addWidget(scores)
        splitter.setSizes([300, 300])
        top = QHBoxLayout()
        top.addWidget(QLabel("Runs"))
        top.addWidget(self.runs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.setup)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.setup.run_requested.connect(self.start)
        self.setup.cancel_requested.connect(self.runner.cancel)
        self.setup.retry_requested.connect(self.retry)
        self.runner.progressed.connect(self._on_progressed)
        self.runner.answered.connect(self.table.update_outcome)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self.failed)
        self.runs.opened.connect(self.open_run)
        self.review.example_add_requested.connect(self.example_add_requested)
        self.review.informed.connect(self.informed)
        self.review.failed.connect(self.failed)

    @property
    def classification(self) -> bool:
        return self._session.linter.settings.classification

    def rate(self, row_id: int, model: str, rating: str | None, note: str | None = None) -> None:
        """Record the reviewer's verdict on one answer."""
        self.review.rate(row_id, model, rating, note)

    # --- running -------------------------------------------------------------------------

    def start(self) -> None:
        """A new run over the chosen examples and models."""
        profile, choices = self._profile(), self.setup.models()
        if profile is None or not choices or self.runner.running:
            self.failed.emit("Choose a provider profile and a model to check.")
            return
        if not self._session.complete:
            # A seeded sample of the first rows would not be the sample the same seed draws
            # a moment later, and "the table's rows" would be the first 2,000 only.
            self.failed.emit("The examples are still loading; start the spot-check once in.")
            return
        how = self.setup.how()
        rows = choose_rows(
            self._session,
            how,
            rows=list(self._visible_rows()) if how == ROWS else None,
            sample=self.setup.sample.value(),
            seed=self.setup.seed.value(),
        )
        plan = RunPlan({c.name: c.fmt for c in choices}, self.setup.settings.settings())
        items = plan.items(self._session, rows)
        if not items:
            self.failed.emit(_EMPTY[how])
            return
        check = plan.new_check(items, self._late)
        settings = self.setup.describe() | plan.describe() | {"examples": len(items)}
        try:
            run_id = self._chats.new_spot_check(
                profile.id, plan.models, settings, self._session.info.id
            )
            # Every item stored as not asked yet: a cancelled run can be taken up again.
            pending = [result_of(check, item, m) for item in items for m in plan.models]
            self._chats.save_results(run_id, pending)
        except UserError as error:
            self.failed.emit(str(error))
            return
        self.run_id, self.plan, self._run_profile = run_id, plan, profile.id
        self._show_check(check)
        self.runs.refresh(run_id)
        self._launch()

    def retry(self) -> None:
        """Ask again the failed items (and those a cancelled run left unasked)."""
        if self.check is not None and not self.runner.running:
            self._launch()

    def _launch(self) -> None:
        check, run_id, plan = self.check, self.run_id, self.plan
        if check is None or run_id is None or plan is None:
            return
        try:
            provider = self._connections.provider(self._connections.profile(self._run_profile))
        except KeyError:
            self.failed.emit("The profile this run used no longer exists; start a new run.")
            return
        except UserError as error:
            self.failed.emit(str(error))
            return
        own = plan.own_items(self._session, check)

        def make_ask(service, cancel):
            return check_asker(service, plan.formats, own, plan.settings, cancel)

        unasked = sum(1 for o in check.outcomes.values() if not o.answered)
        self.setup.progress.setRange(0, max(unasked, 1))
        self.setup.progress.setValue(0)
        self.setup.set_running(True, retryable=False)
        self.runner.run(run_id, check, self._late, provider, make_ask)

    def _on_progressed(self, done: int, total: int) -> None:
        self.setup.progress.setRange(0, total)
        self.setup.progress.setValue(done)

    def _on_finished(self, complete: bool) -> None:
        check = self.check
        failed = len(check.failed()) if check is not None else 0
        self.setup.set_running(False, retryable=bool(failed) or not complete)
        self._show_scores()
        self.runs.refresh(self.run_id)
        if check is None:
            return
        news = f"Spot-check of {len(check.items)} examples {'done' if complete else 'stopped'}"
        if failed:
            news += f"; {failed} answers failed (marked in red): Retry failed asks them again"
        self.informed.emit(news + ".")

    # --- past runs -----------------------------------------------------------------------

    def open_run(self, run_id: int) -> None:
        """Show a stored run again, with its scores; its failures can be retried."""
        if self.runner.running:
            return
        try:
            runs = self._chats.spot_checks(self._session.info.id)
            info = next(run for run in runs if run.id == run_id)
            check, plan = reopen_run(self._session, self._chats, info, self._late)
        except (UserError, StopIteration):
            self.failed.emit("That spot-check is no longer in the project.")
            return
        self.run_id, self.plan, self._run_profile = run_id, plan, info.profile
        self._show_check(check)
        unasked = any(not outcome.answered for outcome in check.outcomes.values())
        self.setup.set_running(False, retryable=unasked)
        self.runs.refresh(run_id)

    # --- showing -------------------------------------------------------------------------

    def _show_check(self, check: SpotCheck | None) -> None:
        self.check = check
        self.table.show_check(check, self.classification)
        self.review.bind(check, self.run_id, self.plan)
        self._show_scores()

    def _show_scores(self) -> None:
        classes = self.classification
        self.no_classes.setVisible(not classes and self.check is not None)
        self.metrics.setVisible(classes)
        self.metrics.show_check(self.check if classes else None)
