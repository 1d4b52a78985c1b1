"""What TuneDeck asked providers to do, written down before it asks.

A launch first records a `LaunchIntent`; only then is the job created, and the job id is
recorded against the intent. An intent without a job id is a launch whose outcome is
unknown (the app crashed, the connection dropped): before anything creates a job for it,
the provider is searched for a job tagged with the intent's id. Uploads are recorded by a
fingerprint of their content, so a retried launch reuses the file already uploaded.

The project database implements `JobLedger` for real use; `JsonFileLedger` keeps the same
record in a JSON file (for the command line and tests).
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write
from tunedeck.core.remote.records import Hyperparameters, JobSpec


@dataclass(frozen=True)
class LaunchIntent:
    """A job TuneDeck is about to create: enough to create it, or to find it afterwards."""

    id: str
    profile_id: str
    spec: JobSpec
    training_file: str
    validation_file: str | None = None
    created_at: float = 0.0


class JobLedger(Protocol):
    """Where launches and uploads are recorded; the project database implements it."""

    def record_intent(self, intent: LaunchIntent) -> None:
        """Remember an intent, BEFORE the create call is sent."""

    def record_job(self, intent_id: str, job_id: str) -> None:
        """Attach the job that an intent produced."""

    def open_intents(self) -> list[LaunchIntent]:
        """Intents with no job recorded yet, oldest first."""

    def record_upload(self, fingerprint: str, file_id: str) -> None:
        """Remember that content with this fingerprint was uploaded as file_id."""

    def uploaded(self, fingerprint: str) -> str | None:
        """The file id content with this fingerprint was uploaded as, if any."""


def intent_to_dict(intent: LaunchIntent) -> dict[str, Any]:
    """The JSON form of an intent (for ledgers that store it as text)."""
    data = asdict(intent)
    data["spec"]["metadata"] = [list(pair) for pair in intent.spec.metadata]
    return data


def intent_from_dict(data: dict[str, Any]) -> LaunchIntent:
    """Inverse of `intent_to_dict`."""
    spec = dict(data["spec"])
    spec["hyperparameters"] = Hyperparameters(**spec.get("hyperparameters") or {})
    spec["metadata"] = tuple(tuple(pair) for pair in spec.get("metadata") or ())
    return LaunchIntent(**{**data, "spec": JobSpec(**spec)})


class JsonFileLedger:
    """A `JobLedger` in one JSON file, rewritten atomically on every change.

    Args:
        path: The file; it need not exist yet.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"JsonFileLedger({str(self.path)!r})"

    def record_intent(self, intent: LaunchIntent) -> None:
        with self._lock:
            data = self._read()
            data["intents"][intent.id] = intent_to_dict(intent)
            self._write(data)

    def record_job(self, intent_id: str, job_id: str) -> None:
        with self._lock:
            data = self._read()
            if intent_id not in data["intents"]:
                raise KeyError(f"no launch intent {intent_id!r} in {self.path}")
            data["jobs"][intent_id] = job_id
            self._write(data)

    def job_for(self, intent_id: str) -> str | None:
        """The job recorded for an intent, if any."""
        with self._lock:
            return self._read()["jobs"].get(intent_id)

    def open_intents(self) -> list[LaunchIntent]:
        with self._lock:
            data = self._read()
        intents = [
            intent_from_dict(entry)
            for intent_id, entry in data["intents"].items()
            if intent_id not in data["jobs"]
        ]
        return sorted(intents, key=lambda intent: intent.created_at)

    def record_upload(self, fingerprint: str, file_id: str) -> None:
        with self._lock:
            data = self._read()
            data["uploads"][fingerprint] = file_id
            self._write(data)

    def uploaded(self, fingerprint: str) -> str | None:
        with self._lock:
            return self._read()["uploads"].get(fingerprint)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as exc:
            raise UserError(f"Cannot read the launch record {self.path}: {exc}.") from exc
        for key in ("intents", "jobs", "uploads"):
            data.setdefault(key, {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path) as stream:
            stream.write(json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))
