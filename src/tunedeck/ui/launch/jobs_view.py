"""The jobs view: every fine-tune of the project (and, on request, the provider's others),
followed live while any is active, with the chosen one's details below.

The table and the details are redrawn from the project's records after each poll; the
poller starts on its own when the view opens with active jobs (re-attaching after a
restart) and after each launch.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.errors import UserError
from tunedeck.core.fine_tune import JobFollower, job_from_snapshot
from tunedeck.core.remote import Job, Profile
from tunedeck.core.storage.job_store import JobStore
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.job_detail import JobDetail
from tunedeck.ui.launch.job_poller import JobPoller, Round
from tunedeck.ui.launch.jobs_model import JobRole, JobRow, JobsModel, suffix_of
from tunedeck.ui.launch.tasks import Tasks


class JobsView(QWidget):
    """The project's jobs, followed live.

    Signals:
        open_in_chat_requested(str, str): (profile id, model or Azure deployment name).
        informed(str) / failed(str): For the window's message bar.
    """

    open_in_chat_requested = Signal(str, str)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        jobs: JobStore,
        connections: Connections,
        backoff: tuple[float, float] = (2.0, 60.0),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._connections = connections
        self._tasks = Tasks(self)
        self._profile: Profile | None = None
        self._elsewhere: list[JobRow] = []
        self.poller = JobPoller(jobs, connections, backoff, self)
        self.poller.polled.connect(self._on_polled)
        self.poller.problem.connect(self._on_problem)
        self.model = JobsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.others = QCheckBox("Also list the provider's other jobs")
        self.others.setToolTip("Jobs started elsewhere (another project, the provider's website)")
        self.others.toggled.connect(lambda _on: self.refresh(fetch=True))
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(lambda: self.refresh(fetch=True, poll=True))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("color:#555;")
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Jobs</b>"))
        top.addWidget(self.state, 1)
        top.addWidget(self.others)
        top.addWidget(refresh)
        self.detail = JobDetail(jobs, connections)
        self.detail.cancel_requested.connect(self.cancel)
        self.detail.open_in_chat_requested.connect(self.open_in_chat_requested)
        self.detail.deploy.informed.connect(self.informed)
        self.detail.deploy.failed.connect(self.failed)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.refresh()
        if self._jobs.active_jobs() or self._jobs.open_launches():
            self.poller.start()  # re-attach what was running when the project was closed

    # --- the public actions ------------------------------------------------------------------

    def set_profile(self, profile: Profile | None) -> None:
        """The provider whose other jobs the checkbox lists."""
        self._profile = profile
        self._elsewhere = []
        if self.others.isChecked():
            self.refresh(fetch=True)

    def follow(self, profile_id: str, job_id: str) -> None:
        """Show and follow a job just launched."""
        self.refresh()
        self.select(profile_id, job_id)
        self.poller.start()

    def select(self, profile_id: str, job_id: str) -> bool:
        row = self.model.row_of((profile_id, job_id))
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def refresh(self, fetch: bool = False, poll: bool = False) -> None:
        """Redraw from the project; `fetch` also asks the provider for its other jobs."""
        current = self.detail.row.key if self.detail.row is not None else None
        rows = [self._project_row(stored) for stored in self._jobs.jobs()]
        known = {row.key for row in rows}
        if self.others.isChecked():
            rows += [row for row in self._elsewhere if row.key not in known]
        # One redraw of the details at the end, not a blank one while the rows are replaced.
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_rows(rows)
        if (current is None or not self.select(*current)) and rows:
            self.select(*rows[0].key)
        selection.blockSignals(False)
        self.table.viewport().update()
        self._show_current()
        active = sum(not row.job.finished for row in rows if row.in_project)
        self.state.setText(
            f"{active} running; updated automatically." if active else
            ("No jobs yet: launch one on the left." if not rows else "")
        )  # fmt: skip
        if fetch and self.others.isChecked():
            self._fetch_elsewhere()
        if poll:
            self.poller.start()

    def cancel(self, row: JobRow) -> None:
        """Ask the provider to stop the job, then record its new state (worker)."""
        try:
            provider = self._connections.provider(self._connections.profile(row.profile_id))
        except (KeyError, UserError) as error:
            self.failed.emit(f"Could not cancel the job: {error}")
            return
        jobs = self._jobs

        def job(_post, _cancel) -> None:
            with provider:
                provider.cancel_job(row.job.id)
                JobFollower(jobs, provider).poll(row.job.id)

        self.detail.cancel_button.setEnabled(False)
        self._tasks.run(
            job,
            finished=lambda _none: (self.refresh(), self.informed.emit("The job was cancelled.")),
            failed=lambda message: (self.refresh(), self.failed.emit(message)),
        )

    def close_tasks(self) -> None:
        self.poller.close()
        self.detail.close_tasks()
        self._tasks.close()

    def wait(self) -> None:
        self.poller.wait()
        self.detail.wait()
        self._tasks.wait()

    # --- slots and helpers -------------------------------------------------------------------

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        self.detail.show_row(index.data(JobRole) if index.isValid() else None)

    def _on_polled(self, found: Round) -> None:
        before = {row.key: row.job.status for row in self.model.rows()}
        self.refresh()
        for row in self.model.rows():
            if row.in_project and before.get(row.key) != row.job.status and row.job.finished:
                self._announce(row.job)

    def _on_problem(self, message: str) -> None:
        self.state.setText(message)
        self.failed.emit(message)

    def _announce(self, job: Job) -> None:
        if job.status == "succeeded":
            self.informed.emit(
                f"The fine-tune is done: {job.fine_tuned_model}. Press Open in chat to try it."
            )
        elif job.status == "failed":
            why = f": {job.error.message}" if job.error else ""
            self.failed.emit(f"The fine-tune {job.id} failed{why}")

    def _project_row(self, stored) -> JobRow:
        job = job_from_snapshot(stored.snapshot)
        launch = self._jobs.launch_of(stored.profile, stored.job_id)
        suffix = None
        if launch is not None:
            suffix = (launch.request.get("intent", {}).get("spec") or {}).get("suffix")
        return JobRow(
            profile_id=stored.profile,
            profile_name=self._profile_name(stored.profile),
            job=job,
            suffix=suffix or suffix_of(job.fine_tuned_model),
            in_project=True,
        )

    def _profile_name(self, profile_id: str) -> str:
        try:
            return self._connections.profile(profile_id).name
        except (KeyError, UserError):
            return "(a removed provider)"

    def _fetch_elsewhere(self) -> None:
        profile = self._profile
        if profile is None or not profile.can_fine_tune:
            return
        try:
            provider = self._connections.provider(profile)
        except UserError as error:
            self.failed.emit(str(error))
            return

        def job(_post, _cancel) -> list[Job]:
            with provider:
                return provider.list_jobs(limit=50)

        def listed(found: list[Job]) -> None:
            self._elsewhere = [
                JobRow(profile.id, profile.name, job, suffix_of(job.fine_tuned_model), False)
                for job in found
            ]
            self.refresh()

        self._tasks.run(job, finished=listed, failed=self.failed.emit)
