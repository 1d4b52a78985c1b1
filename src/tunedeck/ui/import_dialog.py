"""Importing a data file into a project with a progress bar and a Cancel button."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from tunedeck.core.errors import UserError
from tunedeck.ui.workers import Worker


def run_import(source: Path, project_path: Path, name: str, parent: QWidget | None = None) -> None:
    """Import `source` as dataset `name` into `project_path` (created if missing).

    The reading and storing run in a worker; the dialog keeps the window responsive and
    Cancel leaves the project as it was (and removes it if this import created it).

    Raises:
        UserError: The file could not be imported, or the user cancelled.
    """
    from tunedeck.core.storage import Project
    from tunedeck.core.storage.importing import read_for_import
    from tunedeck.core.storage.sqlite_files import remove_project_files

    created = not project_path.exists()

    def job(progress, cancel) -> None:
        dataset = read_for_import(source)
        try:
            with Project.open(project_path, create=True) as project:
                project.import_dataset(dataset, name, progress=progress, cancel=cancel)
        except BaseException:
            if created:
                remove_project_files(project_path)
            raise
        finally:
            dataset.let_go()

    dialog = QProgressDialog(f"Importing {source.name}…", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Import")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)  # small files finish before it would flash up
    worker = Worker(job)
    loop = QEventLoop()
    outcome: dict[str, str] = {}

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Importing {source.name}: {done:,} of {total:,} examples")

    worker.progressed.connect(progressed)
    worker.failed.connect(lambda message: outcome.update(error=message))
    worker.crashed.connect(lambda error: outcome.update(error=f"unexpected error: {error!r}"))
    worker.finished.connect(lambda _result: loop.quit())
    worker.failed.connect(lambda _message: loop.quit())
    worker.crashed.connect(lambda _error: loop.quit())
    dialog.canceled.connect(worker.cancel.set)
    worker.start()
    loop.exec()
    worker.wait()
    dialog.close()
    if "error" in outcome:
        raise UserError(outcome["error"])
