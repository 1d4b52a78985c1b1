"""The launcher's ledger (core.remote.JobLedger) kept in the project database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tunedeck.core.remote.ledger import LaunchIntent, intent_from_dict, intent_to_dict
from tunedeck.core.storage.job_store import JobStore


class ProjectLedger:
    """Launch intents and uploads of one provider profile, for one export.

    Args:
        jobs: The project's JobStore.
        profile_id: The provider profile launches go to.
        dataset_id: The dataset the export came from.
        fingerprint: The export's fingerprint (files and options), stored with each intent
            so that any job can be traced to the exact data it was trained on.
        export: The export's description (ExportBuild.describe()), which the chat tab reads
            back to ask the tuned model the way it was trained.
    """

    def __init__(
        self,
        jobs: JobStore,
        profile_id: str,
        *,
        dataset_id: int | None = None,
        fingerprint: str = "",
        export: Mapping[str, Any] | None = None,
    ) -> None:
        self._jobs = jobs
        self._profile = profile_id
        self._dataset_id = dataset_id
        self._fingerprint = fingerprint
        self._export = dict(export or {})

    def record_intent(self, intent: LaunchIntent) -> None:
        self._jobs.record_intent(
            intent.id,
            intent.profile_id,
            self._fingerprint,
            {"intent": intent_to_dict(intent), "export": self._export},
            dataset_id=self._dataset_id,
        )

    def record_job(self, intent_id: str, job_id: str) -> None:
        self._jobs.record_job_id(intent_id, job_id)

    def open_intents(self) -> list[LaunchIntent]:
        return [
            intent_from_dict(launch.request["intent"])
            for launch in self._jobs.open_launches(self._profile)
        ]

    def record_upload(self, fingerprint: str, file_id: str) -> None:
        self._jobs.record_upload(self._profile, fingerprint, file_id)

    def uploaded(self, fingerprint: str) -> str | None:
        return self._jobs.uploaded(self._profile, fingerprint)
