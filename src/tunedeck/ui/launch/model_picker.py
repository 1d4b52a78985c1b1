"""The base model to train: the provider's models, fine-tunable ones first, retirements shown.

The list comes from the provider (in a worker); each entry says whether it can be trained
and when it is announced to shut down. For OpenAI, the end of new fine-tuning jobs is shown
plainly under the list, since it decides whether a launch can work at all.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind, model_info
from tunedeck.core.remote import ModelInfo, OpenAIProfile, Profile
from tunedeck.core.remote import rules as provider_rules
from tunedeck.core.remote.cost import alias_of
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.tasks import Tasks

KIND_WORDS = {
    ModelKind.COMPLETION: "prompt/completion (legacy completion model)",
    ModelKind.CHAT: "chat messages",
}


class ModelPicker(QWidget):
    """A combo of the profile's models, and a line saying what to know about the choice.

    Signals:
        model_changed(str): The chosen trainable model ("" when there is none).
    """

    model_changed = Signal(str)

    def __init__(self, connections: Connections, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connections = connections
        self._tasks = Tasks(self)
        self._profile: Profile | None = None
        self._preferred = ""
        self._loading = 0  # the generation of the newest request; older answers are dropped
        self.combo = QComboBox()
        self.combo.setModel(QStandardItemModel(self.combo))
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.note)

    def current(self) -> str:
        """The chosen model, or "" while none is (the list is loading or failed)."""
        data = self.combo.currentData(Qt.ItemDataRole.UserRole)
        return str(data) if data else ""

    def prefer(self, model: str) -> None:
        """Choose this model whenever the list has it (the dataset's own target model)."""
        self._preferred = model

    def load(self, profile: Profile | None) -> None:
        """Ask the profile's provider for its models (in a worker)."""
        self._profile = profile
        self._loading += 1
        generation = self._loading
        self._fill([])
        if profile is None:
            self._say("Choose where to train first.", error=True)
            return
        if not profile.can_fine_tune:
            self._say(
                f"“{profile.name}” is a chat-only server: it cannot run fine-tunes. Choose "
                "another provider, or the Sandbox to try the whole flow offline.",
                error=True,
            )
            return
        self._say("Asking the provider which models it has…")
        try:
            provider = self._connections.provider(profile)
        except UserError as error:
            self._say(str(error), error=True)
            return

        def job(_post, _cancel) -> list[ModelInfo]:
            with provider:
                return provider.list_models()

        self._tasks.run(
            job,
            finished=lambda models: generation == self._loading and self._on_loaded(models),
            failed=lambda message: generation == self._loading and self._say(message, error=True),
        )

    def close_tasks(self) -> None:
        self._tasks.close()

    def wait(self) -> None:
        self._tasks.wait()

    # --- slots ---------------------------------------------------------------------------------

    def _on_loaded(self, models: list[ModelInfo]) -> None:
        self._fill(models)
        self._describe()

    def _on_index_changed(self, _index: int) -> None:
        self._describe()
        self.model_changed.emit(self.current())

    # --- helpers -------------------------------------------------------------------------------

    def _fill(self, models: list[ModelInfo]) -> None:
        listed = self.combo.model()
        self.combo.blockSignals(True)
        listed.clear()
        usable = [m for m in models if m.fine_tunable and _kind(m.id) is not None]
        others = [m for m in models if m not in usable]
        # Trainable base models first, then tuned ones to train further, then the rest.
        usable.sort(key=lambda m: (m.fine_tuned, m.id))
        for info in usable + others:
            item = QStandardItem(_label(info, info in usable))
            item.setData(info.id if info in usable else None, Qt.ItemDataRole.UserRole)
            item.setToolTip(_tooltip(info))
            item.setEnabled(info in usable)
            listed.appendRow(item)
        ids = [m.id for m in usable]
        preferred = [i for i, m in enumerate(ids) if m == self._preferred]
        similar = [i for i, m in enumerate(ids) if alias_of(m) == self._preferred]
        self.combo.setCurrentIndex((preferred or similar or [0 if ids else -1])[0])
        self.combo.blockSignals(False)
        self.model_changed.emit(self.current())

    def _describe(self) -> None:
        model = self.current()
        if not model:
            if self.combo.count():
                self._say("This provider offers no model TuneDeck can fine-tune.", error=True)
            return
        parts = []
        info = self.combo.currentIndex()
        shutdown = self.combo.itemData(info, Qt.ItemDataRole.ToolTipRole) or ""
        if "shuts down" in shutdown:
            parts.append(shutdown)
        if isinstance(self._profile, OpenAIProfile):
            parts.append(_openai_cutoff(date.today()))
        self._say(" ".join(parts))
        self.note.setVisible(bool(parts))

    def _say(self, text: str, error: bool = False) -> None:
        self.note.setVisible(True)
        self.note.setText(text)
        self.note.setStyleSheet("color:#b3261e;" if error else "color:#444;")


def _kind(model: str) -> ModelKind | None:
    try:
        return model_info(model).kind
    except UserError:  # a model TuneDeck has no tokenizer facts for
        return None


def _label(info: ModelInfo, usable: bool) -> str:
    text = info.id
    if info.shutdown_on is not None:
        text += f" — retires {info.shutdown_on.isoformat()}"
    if not usable:
        text += " (cannot be fine-tuned)"
    return text


def _tooltip(info: ModelInfo) -> str:
    if info.shutdown_on is None:
        return "No shutdown date announced."
    where = f" (announced on {info.retirement_source})" if info.retirement_source else ""
    return f"This model shuts down on {info.shutdown_on.isoformat()}{where}."


def _openai_cutoff(today: date) -> str:
    cutoff = provider_rules.OPENAI_JOB_CUTOFF
    if today >= cutoff:
        return (
            f"OpenAI stopped accepting new fine-tuning jobs on {cutoff.isoformat()}: use Azure "
            "OpenAI or another provider to train."
        )
    days = (cutoff - today).days
    return (
        f"OpenAI accepts new fine-tuning jobs only until {cutoff.isoformat()} ({days} days "
        "left), and already refuses them for organizations that never fine-tuned or have not "
        "used a fine-tuned model in the last 60 days."
    )
