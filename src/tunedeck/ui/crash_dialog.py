"""The crash dialog: for genuine bugs only (a user's mistake goes to the message bar).

An exception nobody handled, in the GUI thread or in a worker, lands here. The user learns
that their work is safe (every change was stored as it was made), gets the details to
report, and the application keeps running: most bugs spoil one action, not the session.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

_showing = False  # one dialog at a time: a bug in a paint handler would otherwise cascade


def install() -> None:
    sys.excepthook = report


def report(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, error, trace))
    print(details, file=sys.stderr)
    log = write_log(details)
    global _showing
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "TuneDeck hit a bug", _summary(error, log))
        box.setDetailedText(details)
        box.exec()
    finally:
        _showing = False


def report_error(error: BaseException) -> None:
    """For a worker's `crashed` signal: the exception was raised in another thread."""
    report(type(error), error, error.__traceback__)


def _summary(error: BaseException, log: Path | None) -> str:
    where = f"\n\nThe details are saved in {log}." if log else ""
    return (
        f"Something went wrong inside TuneDeck: {type(error).__name__}: {error}\n\n"
        "Your work is safe: every change was stored the moment you made it. The last action "
        f"may not have finished; check it, and please report this bug with the details.{where}"
    )


def write_log(details: str) -> Path | None:
    folder = (
        Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        / "crash-reports"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        path.write_text(details, encoding="utf-8")
    except OSError:  # a full or read-only disk must not turn one bug into two
        return None
    return path
