"""One job up close: what it is, its loss curve, its log, its checkpoints, and (on Azure) the
deploy step; with Cancel and "Open in chat".

Everything shown comes from the project's records, which the poller keeps current, so a
job reads the same offline and after a restart. Only checkpoints are asked of the provider
(in a worker), since the project does not keep them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.errors import UserError
from tunedeck.core.fine_tune import points_from_events, total_steps
from tunedeck.core.fine_tune.azure_deploy import deployment_name
from tunedeck.core.remote import AzureProfile, Checkpoint, Profile
from tunedeck.core.storage.job_store import JobStore
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.deploy_box import DeployBox
from tunedeck.ui.launch.jobs_model import STATUS_WORDS, JobRow
from tunedeck.ui.launch.loss_chart import LossChart
from tunedeck.ui.launch.tasks import Tasks


class JobDetail(QWidget):
    """The chosen job's details.

    Signals:
        cancel_requested(object): Cancel this JobRow.
        open_in_chat_requested(str, str): (profile id, model or Azure deployment name).
    """

    cancel_requested = Signal(object)
    open_in_chat_requested = Signal(str, str)

    def __init__(self, jobs: JobStore, connections: Connections, parent: QWidget | None = None):
        super().__init__(parent)
        self._jobs = jobs
        self._connections = connections
        self._tasks = Tasks(self)
        self._row: JobRow | None = None
        self._checkpoints_for: tuple[tuple[str, str], str] | None = None
        self.summary = QLabel("Choose a job above to see how it is doing.")
        self.summary.setWordWrap(True)
        self.cancel_button = QPushButton("Cancel job")
        self.cancel_button.setToolTip("Ask the provider to stop this job; it cannot be resumed")
        self.cancel_button.clicked.connect(
            lambda: self._row and self.cancel_requested.emit(self._row)
        )
        self.chat_button = QPushButton("Open in chat")
        self.chat_button.clicked.connect(self._on_chat)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.chat_button)
        self.loss = LossChart()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.checkpoints = QTreeWidget()
        self.checkpoints.setHeaderLabels(["Step", "Model", "Training loss", "Validation loss"])
        self.checkpoints.setRootIsDecorated(False)
        self.deploy = DeployBox(connections)
        self.deploy.deployed.connect(self._on_deployed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.loss, "Loss")
        self.tabs.addTab(self.log, "Log")
        self.tabs.addTab(self.checkpoints, "Checkpoints")
        self._deploy_tab = self.tabs.addTab(self.deploy, "Deploy")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self.show_row(None)

    @property
    def row(self) -> JobRow | None:
        return self._row

    def show_row(self, row: JobRow | None) -> None:
        """Show this job (or none) from the project's records."""
        self._row = row
        profile = self._profile(row)
        azure = isinstance(profile, AzureProfile)
        self.tabs.setTabVisible(self._deploy_tab, azure)
        if row is None:
            self.summary.setText("Choose a job above to see how it is doing.")
            self.cancel_button.setEnabled(False)
            self.chat_button.setEnabled(False)
            self.loss.show_points([], None, "No job chosen.")
            self.log.setPlainText("")
            self.checkpoints.clear()
            return
        job = row.job
        self.summary.setText(_summary(row, self._jobs))
        self.cancel_button.setEnabled(row.in_project and not job.finished)
        done = job.status == "succeeded" and bool(job.fine_tuned_model)
        self.chat_button.setEnabled(done and (not azure or self._deployment(row) is not None))
        self.chat_button.setToolTip(
            "Deploy the model first (Deploy tab): on Azure a model answers only once deployed"
            if done and azure and self._deployment(row) is None
            else "Ask the tuned model questions, beside the base model"
        )
        if azure and done:
            self.deploy.show_job(profile, job.fine_tuned_model or "", row.suffix)
        self._show_progress(row)
        self._load_checkpoints(row, profile)

    def close_tasks(self) -> None:
        self.deploy.close_tasks()
        self._tasks.close()

    def wait(self) -> None:
        self.deploy.wait()
        self._tasks.wait()

    # --- helpers -------------------------------------------------------------------------------

    def _show_progress(self, row: JobRow) -> None:
        events = self._jobs.events(row.profile_id, row.job.id) if row.in_project else []
        stored = self._jobs.metrics(row.profile_id, row.job.id) if row.in_project else []
        points = stored or points_from_events(events)
        steps = total_steps(events)
        if stored:
            caption = "The whole curve, from the job's result file."
        elif points:
            caption = f"Step {points[-1].step:,} of {steps:,}." if steps else ""
            caption += " The curve grows as the job reports steps."
        elif not row.in_project:
            caption = "Curves are kept for the jobs launched from this project."
        else:
            caption = "No training steps reported yet."
        self.loss.show_points(points, steps, caption.strip())
        lines = [
            f"{event.created_at.astimezone():%H:%M:%S}  {event.level:<7} {event.message}"
            for event in events
        ]
        at_end = self.log.verticalScrollBar().value() >= self.log.verticalScrollBar().maximum()
        text = "\n".join(lines)
        if text != self.log.toPlainText():
            self.log.setPlainText(text)
            if at_end:  # follow the log, unless the user scrolled back to read
                self.log.verticalScrollBar().setValue(self.log.verticalScrollBar().maximum())

    def _load_checkpoints(self, row: JobRow, profile: Profile | None) -> None:
        key = (row.key, row.job.status)
        if key == self._checkpoints_for or profile is None or row.job.status == "failed":
            if row.job.status == "failed":
                self.checkpoints.clear()
            return
        self._checkpoints_for = key
        try:
            provider = self._connections.provider(profile)
        except UserError as error:  # a missing key: said in the list itself
            self._fill_checkpoints([], str(error))
            return

        def job(_post, _cancel) -> list[Checkpoint]:
            with provider:
                return provider.list_checkpoints(row.job.id)

        def still_shown() -> bool:
            return self._row is not None and self._row.key == row.key

        self._tasks.run(
            job,
            finished=lambda found: still_shown() and self._fill_checkpoints(found, None),
            failed=lambda message: still_shown() and self._fill_checkpoints([], message),
        )

    def _fill_checkpoints(self, found: list[Checkpoint], problem: str | None) -> None:
        self.checkpoints.clear()
        for point in found:
            cells = [
                f"{point.step:,}",
                point.model,
                _loss(point.train_loss),
                _loss(point.valid_loss),
            ]
            self.checkpoints.addTopLevelItem(QTreeWidgetItem(cells))
        if problem or not found:
            text = problem or "No checkpoints yet: they are saved at the end of each epoch."
            self.checkpoints.addTopLevelItem(QTreeWidgetItem(["", text]))
        for column in range(4):
            self.checkpoints.resizeColumnToContents(column)

    def _profile(self, row: JobRow | None) -> Profile | None:
        if row is None:
            return None
        try:
            return self._connections.profile(row.profile_id)
        except (KeyError, UserError):  # a removed profile, a damaged profiles file
            return None

    def _deployment(self, row: JobRow) -> str | None:
        profile = self._profile(row)
        if not isinstance(profile, AzureProfile) or not row.job.fine_tuned_model:
            return None
        name = deployment_name(row.job.fine_tuned_model, row.suffix)
        return name if name in profile.deployments else None

    def _on_chat(self) -> None:
        row = self._row
        if row is None or not row.job.fine_tuned_model:
            return
        model = self._deployment(row) or row.job.fine_tuned_model
        self.open_in_chat_requested.emit(row.profile_id, model)

    def _on_deployed(self, _profile_id: str, _name: str) -> None:
        if self._row is not None:
            self.show_row(self._row)


def _summary(row: JobRow, jobs: JobStore) -> str:
    job = row.job
    parts = [f"<b>{STATUS_WORDS.get(job.status, job.status)}</b> — job {job.id}"]
    if job.status in ("validating_files", "queued", "running") and job.estimated_finish:
        parts.append(f"expected to finish about {job.estimated_finish.astimezone():%H:%M}")
    if job.fine_tuned_model:
        parts.append(f"tuned model <b>{job.fine_tuned_model}</b>")
    if job.error is not None:
        parts.append(f"<span style='color:#b3261e'>why it failed: {job.error.message}</span>")
    launch = jobs.launch_of(row.profile_id, job.id) if row.in_project else None
    if launch is not None:
        which = _WHICH.get(str(launch.request.get("export", {}).get("which")), "examples")
        parts.append(
            f"trained on {which} as exported {launch.created_at.astimezone():%Y-%m-%d %H:%M} "
            f"(fingerprint {launch.fingerprint[:12]}…)"
        )
    return "; ".join(parts) + "."


_WHICH = {"approved": "the approved examples", "not-rejected": "all examples but rejected ones"}


def _loss(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
