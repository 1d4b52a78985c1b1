"""Projects: datasets with review state and history, on SQLite or PostgreSQL (no Qt)."""

from tunedeck.core.storage.importing import ImportCancelledError
from tunedeck.core.storage.project import Project
from tunedeck.core.storage.records import (
    Change,
    ConflictError,
    DatasetInfo,
    HistoryEntry,
    LoadedDataset,
    Review,
    Split,
    Status,
    StoredExample,
)

__all__ = [
    "Change",
    "ConflictError",
    "DatasetInfo",
    "HistoryEntry",
    "ImportCancelledError",
    "LoadedDataset",
    "Project",
    "Review",
    "Split",
    "Status",
    "StoredExample",
]
