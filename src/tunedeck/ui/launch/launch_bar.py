"""The bottom of the export panel: where the files go, the buttons, the upload's progress.

While a launch runs, the buttons give way to a progress bar (per file, in bytes) and a
Cancel button; afterwards a line says what was written and started, or what went wrong and
what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.session import CurationSession
from tunedeck.core.storage.database import is_url
from tunedeck.ui.launch.estimate_box import suggested_suffix


def default_folder(session: CurationSession) -> Path:
    """Beside the project file; in the home folder for a team project on a server."""
    location = session.project.location
    if is_url(location):
        return Path.home() / "TuneDeck exports" / suggested_suffix(session.info.name)
    location = Path(location)
    return location.parent / f"{location.stem}-exports"


class FolderRow(QWidget):
    """The folder the files are written to, with a Choose… button."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(str(folder))
        self.edit.setToolTip("The training and validation files are written here")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._on_choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Folder"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(choose)

    def path(self) -> Path:
        return Path(self.edit.text().strip() or ".").expanduser()

    def _on_choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Write the files to", str(self.path()))
        if chosen:
            self.edit.setText(chosen)


class LaunchBar(QWidget):
    """Check again / Write files / Launch, then progress and Cancel, then the outcome.

    Signals:
        check_requested(), write_requested(), launch_requested(): the buttons.
    """

    check_requested = Signal()
    write_requested = Signal()
    launch_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cancel: Callable[[], None] | None = None
        self._busy = False
        self._cancel_pressed = False
        self.check_button = QPushButton("Check again")
        self.check_button.setToolTip("Run the pre-flight check on the examples as they are now")
        self.check_button.clicked.connect(self.check_requested)
        self.write_button = QPushButton("Write files only")
        self.write_button.setToolTip("Write the training and validation files, upload nothing")
        self.write_button.clicked.connect(self.write_requested)
        self.launch_button = QPushButton("Launch fine-tune")
        self.launch_button.setToolTip(
            "Write the files, upload them and start the job. Pressing it again after a "
            "failure continues the same launch; it never starts a second job."
        )
        self.launch_button.setDefault(True)
        self.launch_button.setStyleSheet("QPushButton:enabled { font-weight: bold; }")
        self.launch_button.clicked.connect(self.launch_requested)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.launch_button)
        running = QHBoxLayout()
        running.addWidget(self.progress_bar, 1)
        running.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addLayout(running)
        layout.addWidget(self.outcome)
        self._show_running(False)
        self.outcome.hide()

    @property
    def running(self) -> bool:
        """Whether a step (writing, uploading) is under way."""
        return self._busy

    def enable(self, *, write: bool, launch: bool) -> None:
        if self._busy:
            write = launch = False
        self.write_button.setEnabled(write)
        self.launch_button.setEnabled(launch)

    def busy(self, text: str, cancel: Callable[[], None] | None = None) -> None:
        """A long step started; `cancel` (if given) stops it."""
        self._cancel = cancel
        self._cancel_pressed = False
        self._busy = True
        self.progress_bar.setRange(0, 0)  # moving until the first bytes are counted
        self.progress_bar.setFormat(text)
        self.cancel_button.setEnabled(cancel is not None)
        self.cancel_button.setVisible(cancel is not None)
        self._show_running(True)
        self.outcome.hide()
        self.enable(write=False, launch=False)

    def progress(self, label: str, sent: int, total: int) -> None:
        """Bytes of one file sent so far."""
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(sent, total))
        if sent >= total:
            self.progress_bar.setFormat(f"The {label} file is uploaded; starting the job…")
        else:
            self.progress_bar.setFormat(f"Uploading the {label} file: %p%")

    def idle(self, text: str, ok: bool) -> None:
        """The step ended; say how."""
        self._busy = False
        self._cancel = None
        self._show_running(False)
        self.outcome.setText(text)
        self.outcome.setStyleSheet("color:#1b5e20;" if ok else "color:#b3261e;")
        self.outcome.show()

    @property
    def cancel_pressed(self) -> bool:
        """Whether the user pressed Cancel during the step that just ended."""
        return self._cancel_pressed

    def _on_cancel(self) -> None:
        self._cancel_pressed = True
        if self._cancel is not None:
            self._cancel()
            self.cancel_button.setEnabled(False)
            self.progress_bar.setFormat("Cancelling…")

    def _show_running(self, running: bool) -> None:
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running and self._cancel is not None)
        self.check_button.setEnabled(not running)
