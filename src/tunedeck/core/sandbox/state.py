"""What the sandbox remembers across restarts: files, jobs, deployments, deleted models.

Each collection is one small JSON file in the state folder, replaced atomically on every
change; uploaded file contents live beside them in `blobs/`. Job progress is not stored: it
is derived from each job's timestamps (see timeline.py), so a job keeps moving while the
sandbox is stopped and reads the same after a restart.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write

FORMAT = 1  # bump when a stored record changes shape incompatibly
_COLLECTIONS = ("files", "jobs", "deployments", "deleted_models")


class SandboxState:
    """The sandbox's stored objects, each collection keyed by identifier in creation order.

    Callers hold `lock` while reading or changing anything and call `save(collection)` after a
    change.

    Attributes:
        files: File records (the File object's fields plus the parsed format and counts).
        jobs: Job records (request, resolved settings and timestamps; see jobs_api.py).
        deployments: Azure deployment records keyed by their Resource Manager path.
        deleted_models: Fine-tuned model names deleted through /v1/models (value: Unix time).
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.lock = threading.RLock()
        try:
            (directory / "blobs").mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(
                f"cannot create the sandbox state folder {directory}: {error}"
            ) from None
        self._check_format()
        self.files: dict[str, dict[str, Any]] = self._load("files")
        self.jobs: dict[str, dict[str, Any]] = self._load("jobs")
        self.deployments: dict[str, dict[str, Any]] = self._load("deployments")
        self.deleted_models: dict[str, float] = self._load("deleted_models")

    def save(self, collection: str) -> None:
        """Write one collection to its file, replacing the old one in a single step."""
        assert collection in _COLLECTIONS, collection
        data = json.dumps(getattr(self, collection), ensure_ascii=False, indent=1)
        with atomic_write(self._path(collection)) as stream:
            stream.write(data.encode())

    def write_blob(self, file_id: str, content: bytes) -> None:
        """Store an uploaded file's bytes."""
        with atomic_write(self.directory / "blobs" / file_id) as stream:
            stream.write(content)

    def read_blob(self, file_id: str) -> bytes:
        """An uploaded file's bytes (kept while a job trained on it, even after deletion)."""
        return (self.directory / "blobs" / file_id).read_bytes()

    def drop_blob(self, file_id: str) -> None:
        """Forget a file's bytes."""
        (self.directory / "blobs" / file_id).unlink(missing_ok=True)

    def _path(self, collection: str) -> Path:
        return self.directory / f"{collection}.json"

    def _load(self, collection: str) -> dict:
        path = self._path(collection)
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            raise UserError(
                f"cannot read the sandbox state {path}: {error}; delete the folder "
                f"{self.directory} to start the sandbox afresh"
            ) from None
        if not isinstance(loaded, dict):
            raise UserError(f"{path} is not sandbox state; choose another --state-dir")
        return loaded

    def _check_format(self) -> None:
        marker = self.directory / "sandbox.json"
        try:
            stored = json.loads(marker.read_text(encoding="utf-8")).get("format")
        except FileNotFoundError:
            with atomic_write(marker) as stream:
                stream.write(json.dumps({"format": FORMAT}).encode())
            return
        except (OSError, ValueError, AttributeError):
            stored = None
        if stored != FORMAT:
            raise UserError(
                f"{self.directory} holds sandbox state of another format ({stored!r}); "
                "delete it or choose another --state-dir"
            )
