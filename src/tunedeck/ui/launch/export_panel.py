"""Export and launch: from the vetted examples to a running fine-tune with one button.

The panel builds the export as the user's choices say (on the GUI thread: it only reads the
session), then checks it in a worker: the lint for the target model on the converted
records, and the provider's own rules. Any change to the choices or the dataset checks
again. The Launch button is enabled only for the export that was last checked and passed,
and launches exactly that.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.export import ExportBuild, ExportOptions, build_export, preflight
from tunedeck.core.fine_tune.launching import (
    Launched,
    check_build,
    launch_export,
    provider_findings,
)
from tunedeck.core.remote import AzureProfile, Profile
from tunedeck.core.remote import rules as provider_rules
from tunedeck.core.session import CurationSession
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.estimate_box import EstimateBox, suggested_suffix
from tunedeck.ui.launch.gate_list import GateList, GateResult
from tunedeck.ui.launch.launch_bar import FolderRow, LaunchBar, default_folder
from tunedeck.ui.launch.model_picker import ModelPicker
from tunedeck.ui.launch.selection_box import SelectionBox
from tunedeck.ui.launch.tasks import Tasks
from tunedeck.ui.widgets.profile_picker import ProfilePicker

CHECK_DELAY_MS = 300  # a burst of edits is checked once


class ExportPanel(QWidget):
    """The export-and-launch form.

    Signals:
        row_requested(int): Show this row id in the table (a gate finding was clicked).
        launched(object): A job was created (a core.fine_tune.launching.Launched).
        informed(str) / failed(str): For the window's message bar.
    """

    row_requested = Signal(int)
    launched = Signal(object)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self, session: CurationSession, connections: Connections, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._connections = connections
        self._tasks = Tasks(self)
        self._build: ExportBuild | None = None
        self._checked: ExportBuild | None = None  # the build the shown gate is about
        self._checking = False
        self._again = False
        self._launched: ExportBuild | None = None  # launched already: a second press is not
        self.profiles = ProfilePicker(connections)
        self.models = ModelPicker(connections)
        self.models.prefer(session.linter.settings.model.name)
        self.format = QLabel()
        self.format.setWordWrap(True)
        self.selection = SelectionBox(session)
        self.gate = GateList(self._row_number)
        self.estimate = EstimateBox(connections, session.info.name)
        self.folder = FolderRow(default_folder(session))
        self.bar = LaunchBar()
        where = QFormLayout()
        where.addRow("Train on", self.profiles)
        where.addRow("Base model", self.models)
        where.addRow("File format", self.format)
        layout = QVBoxLayout(self)
        layout.addWidget(_group("1. Where and what to train", where))
        layout.addWidget(_group("2. Which examples", self.selection))
        layout.addWidget(_group("3. Pre-flight check", self.gate))
        layout.addWidget(_group("4. Job settings and cost", self.estimate))
        layout.addWidget(_group("5. Export and launch", self.folder, self.bar))
        layout.addStretch(1)
        self._stale = False  # the data changed while the panel was out of sight
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.profiles.profile_changed.connect(self._on_profile_changed)
        self.models.model_changed.connect(lambda _model: self.schedule_check())
        self.selection.changed.connect(self.schedule_check)
        self.gate.row_requested.connect(self.row_requested)
        self.gate.acknowledged_changed.connect(self._update_buttons)
        self.estimate.changed.connect(self._update_buttons)
        self.bar.write_requested.connect(self.write_files)
        self.bar.launch_requested.connect(self.launch)
        self.bar.check_requested.connect(self.check)
        session.findings_changed.connect(self._on_dataset_changed)
        session.reviewed.connect(self._on_dataset_changed)
        session.relinted.connect(self._on_dataset_changed)
        self.models.load(self.profiles.current())
        self._update_buttons()

    # --- checking --------------------------------------------------------------------------

    def schedule_check(self) -> None:
        """Check again shortly; what was shown no longer describes the export."""
        self._checked = None
        self._timer.start()
        self._update_buttons()

    def check(self) -> None:
        """Build the export from the current choices and check it in a worker."""
        self._timer.stop()
        if self._checking:
            self._again = True
            return
        profile, model = self.profiles.current(), self.models.current()
        self._show_format(model)
        if profile is None or not model:
            self._build = self._checked = None
            self.gate.clear("Choose where to train and a base model; the check starts then.")
            self.estimate.clear()
            self._update_buttons()
            return
        waiting = self._not_ready_yet()
        if waiting:
            # An export of the first rows only, or checked by a linter that has not seen
            # them all, is not the dataset: session.relinted brings the check back.
            self._build = self._checked = None
            self.gate.clear(waiting)
            self._update_buttons()
            return
        try:
            build = build_export(self._session, self._options(profile, model))
        except UserError as error:
            self.gate.clear(str(error))
            self._update_buttons()
            return
        self._build = build
        self.selection.show_build(build)
        self.gate.clear("Checking the examples for " + model + "…")
        self._checking = True
        self._tasks.run(
            lambda _post, _cancel: GateResult(preflight(build), check_build(profile, build)),
            finished=lambda result: self._on_checked(build, profile, result),
            failed=self._on_check_failed,
        )

    def _not_ready_yet(self) -> str:
        session = self._session
        if not session.complete:
            return (
                f"The examples are still loading ({len(session.dataset):,} of "
                f"{session.total_rows:,}); the check starts once they are all in and linted."
            )
        if not session.linted:
            return "The examples are being linted; the check starts when that is done."
        return ""

    def _on_checked(self, build: ExportBuild, profile: Profile, result: GateResult) -> None:
        self._checking = False
        if self._again or build is not self._build:
            self._again = False
            self.check()
            return
        self._checked = build
        self.gate.show_result(result)
        self.estimate.show_estimate(result.gate.training_tokens(), build.options.model, profile)
        self._update_buttons()

    def _on_check_failed(self, message: str) -> None:
        self._checking = False
        self.gate.clear(f"The check did not finish: {message}")
        self._update_buttons()

    # --- writing and launching -------------------------------------------------------------

    def write_files(self) -> None:
        """Write the checked export's files to the chosen folder (no upload)."""
        build, profile = self._checked, self.profiles.current()
        if build is None or profile is None:
            return
        folder, stem = self.folder.path(), self._stem(build)

        def job(_post, _cancel):
            from tunedeck.core.export import write_export

            written = write_export(build, folder, stem)
            return written, provider_findings(profile, written)

        self.bar.busy("Writing the files…")
        self._tasks.run(job, finished=self._on_written, failed=self._on_failed)

    def launch(self) -> None:
        """Write, upload and create the job for the checked export."""
        build, profile, model = self._checked, self.profiles.current(), self.models.current()
        if build is None or profile is None or not self.gate.can_launch():
            return
        try:
            provider = self._connections.provider(profile)
        except UserError as error:
            self._on_failed(str(error))
            return
        from tunedeck.core.remote import CancelToken

        cancel = CancelToken()
        spec = self.estimate.spec(model)
        folder, stem = self.folder.path(), self._stem(build)
        jobs, dataset_id = self._session.project.jobs, self._session.info.id

        def job(post, _cancel) -> Launched:
            def progress(label: str, sent: int, total: int) -> None:
                post((label, sent, total))

            with provider:
                return launch_export(
                    build, folder, stem, provider, jobs, spec,
                    dataset_id=dataset_id, progress=progress, cancel=cancel,
                )  # fmt: skip

        self.bar.busy("Uploading…", cancel=cancel.cancel)
        self._tasks.run(
            job,
            finished=self._on_launched,
            failed=self._on_failed,
            posted=lambda sent: self.bar.progress(*sent),
        )

    def _on_written(self, done) -> None:
        written, findings = done
        refused = [f.message for f in findings if f.severity == "error"]
        text = f"Written to {written.training.path.parent}:\n{written.summary()}"
        if refused:
            text += "\nThe provider would refuse these files: " + " ".join(refused)
        self.bar.idle(text, ok=not refused)
        self.informed.emit(f"Exported {written.training.examples:,} training examples.")
        self._update_buttons()

    def _on_launched(self, launched: Launched) -> None:
        job = launched.job
        self._launched = self._checked
        self.bar.idle(
            f"Started job {job.id} on {self.profiles.currentText()}.\n"
            f"{launched.written.summary()}\nFollow it in the jobs list. To launch another "
            "job, change a setting or press Check again.",
            ok=True,
        )
        self.launched.emit(launched)
        self.informed.emit(f"The fine-tune has started (job {job.id}); follow it under Jobs.")
        self._update_buttons()

    def _on_failed(self, message: str) -> None:
        if self.bar.cancel_pressed:  # what the user asked for is not a failure
            self.bar.idle(f"{message} Nothing was started.", ok=True)
            self.informed.emit(f"{message} Nothing was started.")
        else:
            self.bar.idle(f"Not launched. {message}", ok=False)
            self.failed.emit(message)
        self._update_buttons()

    # --- slots and helpers -----------------------------------------------------------------

    def _on_profile_changed(self, profile: Profile | None) -> None:
        self.models.load(profile)
        self.schedule_check()

    def _on_dataset_changed(self, *_args: object) -> None:
        self.selection.forget_proposal()
        if self.isVisible():
            self.schedule_check()
            return
        # Out of sight (the reviewer is curating): checking means linting every example
        # again, seconds of CPU on a large dataset after each edit. Check once on return.
        self._checked = None
        self._timer.stop()
        self._stale = True
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._stale:
            self._stale = False
            self.schedule_check()
        super().showEvent(event)

    def _update_buttons(self) -> None:
        checked = self._checked is not None and self._checked is self._build
        ready = checked and not self._checking and not self._timer.isActive()
        writable = ready and not self._checked.problems()
        again = self._launched is not None and self._launched is self._checked
        self.bar.enable(
            write=writable,
            launch=ready and not again and self.gate.can_launch() and bool(self.models.current()),
        )

    def _options(self, profile: Profile, model: str) -> ExportOptions:
        azure = isinstance(profile, AzureProfile)
        return ExportOptions(
            model=model,
            byte_order_mark=azure,
            max_bytes=provider_rules.AZURE_MAX_FILE_BYTES - 1 if azure else None,
            min_examples=provider_rules.MIN_EXAMPLES,
            **self.selection.option_values(),
        )

    def _show_format(self, model: str) -> None:
        self.format.setText(self.selection.follow_model(model))

    def _row_number(self, row_id: int) -> int | None:
        try:
            return self._session.dataset.position(row_id) + 1
        except KeyError:
            return None

    def _stem(self, build: ExportBuild) -> str:
        return f"{suggested_suffix(self._session.info.name) or 'dataset'}-{build.options.model}"

    def close_tasks(self) -> None:
        self._timer.stop()
        self.models.close_tasks()
        self._tasks.close()

    def wait(self) -> None:
        self.models.wait()
        self._tasks.wait()


def _group(title: str, *contents) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for content in contents:
        if isinstance(content, QWidget):
            layout.addWidget(content)
        else:
            layout.addLayout(content)
    return box
