"""The models a profile offers to chat with: the project's tuned ones first.

The project's own fine-tuned models (with the way each was trained) and an Azure profile's
deployments are known without asking anyone, so they are offered at once; the service's
list of base and other fine-tuned models follows from a worker thread. When the service
cannot be reached, what the project knows is still offered, and any name can be typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.chat.tuned import plain_format, tuned_models
from tunedeck.core.errors import UserError
from tunedeck.core.remote import AzureProfile, ModelInfo, Profile
from tunedeck.core.storage.job_store import JobStore
from tunedeck.ui import crash_dialog
from tunedeck.ui.chat import threads
from tunedeck.ui.connections import Connections
from tunedeck.ui.workers import Worker

TUNED, BASE, DEPLOYMENT, OTHER = "tuned", "base", "deployment", "other"
# Models a chat cannot talk to (OpenAI lists them with the rest).
_NOT_TEXT = re.compile(
    r"embedding|tts|whisper|dall-e|moderation|image|audio|realtime|transcribe|search|sora"
)


@dataclass(frozen=True)
class ModelChoice:
    """A model to ask, and how.

    Attributes:
        name: What the service is asked for (on Azure, the deployment name).
        group: TUNED (by this project), BASE, DEPLOYMENT or OTHER (tuned elsewhere, typed).
        fmt: How it expects to be asked.
        base_model: For a tuned model, the model it was trained from: the comparison's default.
    """

    name: str
    group: str
    fmt: TrainingFormat
    base_model: str | None = None

    @property
    def label(self) -> str:
        if self.group == TUNED:
            return f"{self.name}  (tuned here)"
        if self.group == DEPLOYMENT:
            return f"{self.name}  (deployment)"
        return self.name


def short_name(model: str) -> str:
    """A fine-tuned model's name is long; its suffix and id are what tell models apart."""
    if model.startswith("ft:"):
        parts = model.split(":")
        return "ft:…:" + ":".join(part for part in parts[3:] if part)
    return model


def known_choices(jobs: JobStore, profile: Profile) -> list[ModelChoice]:
    """What the project and the profile know without a network call."""
    choices = [
        ModelChoice(t.name, TUNED, t.fmt or plain_format(t.base_model), t.base_model)
        for t in tuned_models(jobs, profile.id)
    ]
    if isinstance(profile, AzureProfile):
        choices += [ModelChoice(d, DEPLOYMENT, plain_format(d)) for d in profile.deployments]
    return choices


def listed_choices(known: list[ModelChoice], models: list[ModelInfo]) -> list[ModelChoice]:
    """The known choices, then the service's models not among them: base models first."""
    have = {choice.name for choice in known}
    usable = [m for m in models if m.id not in have and not _NOT_TEXT.search(m.id)]
    base = [ModelChoice(m.id, BASE, plain_format(m.id)) for m in usable if not m.fine_tuned]
    other = [
        ModelChoice(m.id, OTHER, plain_format(m.base_model or m.id), m.base_model)
        for m in usable
        if m.fine_tuned
    ]
    return known + base + other


class ModelCatalog(QObject):
    """Signals:
    loaded(list[ModelChoice]): the choices for the current profile (sent twice: what the
        project knows at once, then with the service's list).
    failed(str): the service's list could not be read.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, jobs: JobStore, connections: Connections, parent=None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._connections = connections
        self._workers: set[Worker] = set()  # held until their thread ends
        self._generation = 0  # answers for an earlier profile are dropped
        self.choices: list[ModelChoice] = []

    def load(self, profile: Profile | None) -> None:
        self._generation += 1
        if profile is None:
            self._publish([])
            return
        known = known_choices(self._jobs, profile)
        self._publish(known)
        try:
            provider = self._connections.provider(profile)
        except UserError as error:
            self.failed.emit(str(error))
            return
        generation = self._generation

        def job(_progress, _cancel) -> list[ModelInfo]:
            with provider:
                return provider.list_models()

        worker = Worker(job)
        worker.finished.connect(lambda models: self._on_listed(worker, generation, known, models))
        worker.failed.connect(lambda message: self._on_failed(worker, generation, message))
        worker.crashed.connect(lambda error: self._on_crashed(worker, error))
        self._workers.add(worker)
        threads.keep(worker).start()

    @property
    def loading(self) -> bool:
        return bool(self._workers)

    def wait(self, ms: int = 10000) -> None:
        """Block until the lists being read have arrived (closing the window)."""
        for worker in list(self._workers):
            worker.wait(ms)

    def _release(self, worker: Worker) -> None:
        threads.release(worker)
        self._workers.discard(worker)

    def _on_listed(self, worker: Worker, generation: int, known, models) -> None:
        self._release(worker)
        if generation == self._generation:
            self._publish(listed_choices(known, models))

    def _on_failed(self, worker: Worker, generation: int, message: str) -> None:
        self._release(worker)
        if generation == self._generation:
            self.failed.emit(message)

    def _on_crashed(self, worker: Worker, error: BaseException) -> None:
        self._release(worker)
        crash_dialog.report_error(error)

    def _publish(self, choices: list[ModelChoice]) -> None:
        self.choices = choices
        self.loaded.emit(choices)
