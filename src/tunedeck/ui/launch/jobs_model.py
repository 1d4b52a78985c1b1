"""The jobs table: the project's fine-tunes, and optionally the provider's other ones.

Rows are built once per refresh from the project's records (and a provider listing), so
`data()` only looks values up. Jobs launched from elsewhere are shown in grey: they are
listed for reference, and followed only when launched from this project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tunedeck.core.remote import Job

STATUS_WORDS = {
    "validating_files": "Checking files",
    "queued": "Waiting in queue",
    "running": "Training",
    "succeeded": "Done",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
_STATUS_COLORS = {"succeeded": "#1b5e20", "failed": "#b3261e", "cancelled": "#666666"}
COLUMNS = (
    "Status",
    "Base model",
    "Suffix",
    "Created",
    "Finished",
    "Trained tokens",
    "Fine-tuned model",
    "Provider",
)
JobRole = Qt.ItemDataRole.UserRole + 1  # the row's JobRow


@dataclass(frozen=True)
class JobRow:
    """One job as the table shows it."""

    profile_id: str
    profile_name: str
    job: Job
    suffix: str | None
    in_project: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.profile_id, self.job.id)


class JobsModel(QAbstractTableModel):
    """Rows of JobRow, newest first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[JobRow] = []
        self._grey = QBrush(QColor("#777777"))
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_rows(self, rows: list[JobRow]) -> None:
        """Replace the rows; a row that stays keeps its place in a selection by its key."""
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda row: row.job.created_at, reverse=True)
        self.endResetModel()

    def rows(self) -> list[JobRow]:
        return list(self._rows)

    def row_of(self, key: tuple[str, str]) -> int | None:
        for index, row in enumerate(self._rows):
            if row.key == key:
                return index
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column())
        if role == JobRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.in_project:
                return self._grey
            color = _STATUS_COLORS.get(row.job.status)
            return QBrush(QColor(color)) if color and index.column() == 0 else None
        if role == Qt.ItemDataRole.FontRole and not row.in_project:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _cell(row: JobRow, column: int) -> str:
    job = row.job
    if column == 0:
        return STATUS_WORDS.get(job.status, job.status)
    if column == 1:
        return job.base_model
    if column == 2:
        return row.suffix or ""
    if column == 3:
        return _when(job.created_at)
    if column == 4:
        return _when(job.finished_at)
    if column == 5:
        return f"{job.trained_tokens:,}" if job.trained_tokens else ""
    if column == 6:
        return job.fine_tuned_model or ""
    return row.profile_name


def _tooltip(row: JobRow) -> str:
    lines = [f"Job {row.job.id}"]
    if not row.in_project:
        lines.append("Not launched from this project: listed by the provider, not followed.")
    if row.job.error is not None:
        lines.append(f"Why it failed: {row.job.error.message}")
    return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def suffix_of(model: str | None) -> str | None:
    """The suffix inside an OpenAI fine-tuned name (ft:base:org:suffix:id), if any."""
    if not model or not model.startswith("ft:"):
        return None
    parts = model.split(":")
    return parts[3] or None if len(parts) >= 5 else None
