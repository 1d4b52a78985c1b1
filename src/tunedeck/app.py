"""Composition root: from `tunedeck [FILE_OR_PROJECT]` to an open curation window.

The only module that knows both the core and Qt: it opens (or imports into) a project,
builds the session and the window, and runs the event loop.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tunedeck.core.errors import UserError
from tunedeck.core.storage.database import PROJECT_SUFFIX, is_url
from tunedeck.resources import APP_ID, ICON, resource

SAMPLE_FILE = "samples/support-tickets.jsonl"
# Rows a window opens with; the rest load behind them (MainWindow.start_lint). A screenful
# many times over, and read in a few milliseconds however large the dataset.
FIRST_ROWS = 2_000
_connections = None  # see shared_connections()
# Open windows, so Python keeps them while Qt shows them (a window replaces another).
_windows: list = []


def no_display_reason() -> str | None:
    """Why no window can open here (a Linux machine without a display), or None."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot "
        "open. Run TuneDeck on a desktop session, use the command line (`tunedeck lint FILE`, "
        "`tunedeck --help`), or set QT_QPA_PLATFORM=offscreen to run it without a screen."
    )


def run(location: str | None) -> int:
    """Open the window on a project, a data file (imported into a project beside it), or the
    bundled sample project when `location` is None. Returns the exit status."""
    reason = no_display_reason()
    if reason:
        print(f"tunedeck: {reason}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication, QMessageBox

    from tunedeck.ui import crash_dialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify(app)
    crash_dialog.install()
    try:
        window = open_window(location if location is not None else str(sample_project()))
    except UserError as error:
        QMessageBox.critical(None, "TuneDeck", str(error))
        print(f"tunedeck: {error}", file=sys.stderr)
        return 2
    show(window)
    return app.exec()


def identify(app) -> None:
    """Name the application (its settings live under that name) and give it its icon."""
    from PySide6.QtGui import QIcon

    from tunedeck.ui import recent

    app.setOrganizationName(recent.ORGANIZATION)
    app.setApplicationName(recent.APPLICATION)
    # An SVG, so every size a title bar, task switcher or dock asks for is drawn crisp.
    app.setWindowIcon(QIcon(str(resource(*ICON))))
    # Wayland compositors take a window's icon and name from the desktop entry of this name.
    app.setDesktopFileName(APP_ID)


def show(window) -> None:
    """Show a new window, lint it, and let it open others in its place."""
    _windows.append(window)
    window.destroyed.connect(lambda: _windows.remove(window) if window in _windows else None)
    window.open_requested.connect(
        lambda location, dataset: replace_window(window, location, dataset or None)
    )
    window.show()
    window.start_lint()


def replace_window(old, location: str, dataset: str | None):
    """Open `location` in a new window where `old` was; on failure `old` stays and says why."""
    try:
        new = open_window(location, dataset)
    except UserError as error:
        old.messages.error(str(error))
        return None
    new.setGeometry(old.geometry())
    show(new)
    old.close()
    old.deleteLater()
    return new


def sample_project() -> Path:
    """The bundled sample as a project in the user's data folder, built on first use."""
    from PySide6.QtCore import QStandardPaths

    from tunedeck.core.storage import Project

    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sample{PROJECT_SUFFIX}"
    if not path.exists():
        with Project.open(path, create=True) as project:
            info = project.import_file(resource(SAMPLE_FILE), "support-tickets")
            settings = info.settings
            settings.model = "davinci-002"  # the sample is a legacy classification set
            project.set_settings(info.name, settings, info.settings_version)
    return path


def open_window(location: str, dataset: str | None = None):
    """A window on `location`: a project, or a data file imported first (with progress)."""
    from tunedeck.core.session import CurationSession
    from tunedeck.core.storage import Project
    from tunedeck.ui.main_window import MainWindow

    if not (is_url(location) or location.endswith(PROJECT_SUFFIX)):
        location, dataset = import_beside(Path(location))
    project = Project.open(location)
    try:
        names = [info.name for info in project.datasets()]
        if not names:
            raise UserError(f"{project.name} holds no datasets yet; import a file into it")
        name = dataset if dataset in names else names[0]
        session = CurationSession(project, name, first=FIRST_ROWS)
    except BaseException:
        project.close()
        raise
    from tunedeck.ui import recent

    recent.remember(location)
    return MainWindow(session, shared_connections())


def shared_connections():
    """One set of provider profiles (and one built-in sandbox) for every window of the app;
    the sandbox stops when the app quits."""
    global _connections
    if _connections is None:
        from PySide6.QtWidgets import QApplication

        from tunedeck.ui.connections import Connections

        app = QApplication.instance()
        _connections = Connections(parent=app)
        app.aboutToQuit.connect(_connections.close)
    return _connections


def import_beside(path: Path) -> tuple[str, str]:
    """Import a data file into `<file>.tunedeck` beside it (reusing it when already there)."""
    from tunedeck.core.storage import Project
    from tunedeck.ui.import_dialog import run_import

    target = path.with_suffix(PROJECT_SUFFIX)
    if target.exists():
        with Project.open(target) as project:
            if any(info.name == path.stem for info in project.datasets()):
                return str(target), path.stem
    run_import(path, target, path.stem)
    return str(target), path.stem
