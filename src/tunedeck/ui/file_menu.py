"""Opening projects and importing data files from the window: the File menu and drops.

Whatever is chosen ends as `open_requested(location, dataset)`; the application decides
how a window replaces another (see tunedeck.app).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.io import SUPPORTED_SUFFIXES
from tunedeck.core.storage.database import PROJECT_SUFFIX, is_url
from tunedeck.ui import recent
from tunedeck.ui.import_dialog import run_import
from tunedeck.ui.message_bar import MessageBar

PROJECT_FILTER = f"TuneDeck projects (*{PROJECT_SUFFIX})"
DATA_FILTER = "Data files ({})".format(" ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES))


def is_openable(path: Path) -> bool:
    return path.suffix.lower() in (PROJECT_SUFFIX, *SUPPORTED_SUFFIXES)


def unique_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... when a dataset of that name exists already."""
    name, number = wanted, 1
    while name in taken:
        number += 1
        name = f"{wanted}-{number}"
    return name


class FileMenu(QObject):
    """The opening half of the File menu, for the window `parent`."""

    open_requested = Signal(str, str)  # location, dataset ("" for the project's first)

    def __init__(self, parent: QWidget, messages: MessageBar) -> None:
        super().__init__(parent)
        self._window = parent
        self._messages = messages
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def add_to(self, menu: QMenu) -> None:
        def action(text: str, shortcut, slot) -> None:
            item = QAction(text, self._window)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
            item.triggered.connect(slot)
            menu.addAction(item)

        action("&Open project…", QKeySequence.StandardKey.Open, self.open_project)
        action("Open &team project (server address)…", None, self.open_team_project)
        menu.addMenu(self.recent_menu)
        action("&Import data file…", "Ctrl+I", self.import_dialog)

    # --- choosing --------------------------------------------------------------------------

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open project", str(Path.home()), f"{PROJECT_FILTER};;{DATA_FILTER}"
        )
        if path:
            self.open_path(Path(path))

    def open_team_project(self) -> None:
        url, accepted = QInputDialog.getText(
            self._window,
            "Open team project",
            "PostgreSQL address (postgresql://user@host/database).\n"
            "Leave the password out: it is read from ~/.pgpass or PGPASSWORD.",
            QLineEdit.EchoMode.Normal,
            "postgresql://",
        )
        url = url.strip()
        if not accepted or not url:
            return
        if not is_url(url):
            self._messages.error("That is not a server address: one starts with postgresql://")
            return
        self.open_requested.emit(url, "")

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Import data file", str(Path.home()), DATA_FILTER
        )
        if path:
            self.import_file(Path(path))

    def open_path(self, path: Path) -> None:
        """A project opens; a data file is imported first (into a project the user picks)."""
        if path.suffix.lower() == PROJECT_SUFFIX:
            self.open_requested.emit(str(path), "")
        elif is_openable(path):
            self.import_file(path)
        else:
            kinds = ", ".join((PROJECT_SUFFIX, *SUPPORTED_SUFFIXES))
            self._messages.error(f"TuneDeck cannot open {path.name}: it reads {kinds} files.")

    def open_urls(self, urls: list[QUrl]) -> None:
        """Files dropped on the window: the first one TuneDeck can open."""
        paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
        for path in paths:
            if is_openable(path):
                self.open_path(path)
                return
        if paths:
            self.open_path(paths[0])  # says why it cannot

    # --- importing -------------------------------------------------------------------------

    def import_file(self, source: Path) -> None:
        target = self.choose_project_for(source)
        if target is None:
            return
        try:
            name = unique_name(source.stem, _dataset_names(target))
            run_import(source, target, name, self._window)
        except UserError as error:
            self._messages.error(str(error))
            return
        self.open_requested.emit(str(target), name)

    def choose_project_for(self, source: Path) -> Path | None:
        """Where to import `source`: proposed beside it; an existing project gains a dataset."""
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            f"Import {source.name} into project",
            str(source.with_suffix(PROJECT_SUFFIX)),
            PROJECT_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return None
        target = Path(path)
        return target if target.suffix else target.with_suffix(PROJECT_SUFFIX)

    # --- recent ----------------------------------------------------------------------------

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        locations = recent.recent_projects()
        for number, location in enumerate(locations, start=1):
            shown = location if is_url(location) else str(Path(location))
            item = menu.addAction(f"&{number} {shown}" if number < 10 else shown)
            item.triggered.connect(lambda _=False, where=location: self.open_recent(where))
        if not locations:
            menu.addAction("No recent projects").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("&Clear list").triggered.connect(recent.clear)

    def open_recent(self, location: str) -> None:
        if not is_url(location) and not Path(location).exists():
            recent.forget(location)
            self._messages.error(
                f"{location} is no longer there (moved or deleted); it is off the recent list now."
            )
            return
        self.open_requested.emit(location, "")


def _dataset_names(project_path: Path) -> set[str]:
    if not project_path.exists():
        return set()
    from tunedeck.core.storage import Project

    with Project.open(project_path) as project:
        return {info.name for info in project.datasets()}
