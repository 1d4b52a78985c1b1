"""The chat tab: does the tuned model answer better than the base model?

One provider profile for the whole tab, then three parts: Chat (ask one model, as it was
trained), Compare (the same question to two models side by side, rated) and Spot-check
(held-out examples, scored). With the built-in sandbox a banner says plainly that the
answers are simulated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from tunedeck.core.chat.tuned import format_of
from tunedeck.core.remote import Profile
from tunedeck.core.session import CurationSession
from tunedeck.ui.chat import threads
from tunedeck.ui.chat.ask_settings import WARNING_STYLE
from tunedeck.ui.chat.chat_panel import ChatPanel
from tunedeck.ui.chat.compare_panel import ComparePanel
from tunedeck.ui.chat.model_catalog import TUNED, ModelCatalog, ModelChoice
from tunedeck.ui.chat.model_picker import ModelPicker
from tunedeck.ui.chat.spot_panel import SpotCheckPanel
from tunedeck.ui.connections import Connections
from tunedeck.ui.widgets.profile_picker import ProfilePicker

SIMULATION_TEXT = (
    "<b>Simulation.</b> The sandbox runs no language model: every base model gives the same "
    "fixed reply, and a model tuned in the sandbox answers with the closest example of its "
    "training data. Choose an OpenAI or Azure profile for real answers."
)


class ChatTab(QWidget):
    """Signals:
    example_add_requested(dict): a corrected answer to add to the dataset as a new example.
    informed(str) / failed(str): news for the window's message bar.

    Args:
        session: The open dataset; its project keeps conversations and spot-checks.
        connections: The shared profiles, keys and built-in sandbox.
        visible_rows: The row ids the dataset table shows now (its filter).
    """

    example_add_requested = Signal(dict)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: CurationSession,
        connections: Connections,
        parent: QWidget | None = None,
        visible_rows: Callable[[], Iterable[int]] = lambda: [],
    ) -> None:
        super().__init__(parent)
        self._session, self._connections = session, connections
        jobs = session.project.jobs
        self.profiles = ProfilePicker(connections)
        self.catalog = ModelCatalog(jobs, connections, self)

        def picker() -> ModelPicker:
            return ModelPicker(lambda name: self._format_of(name))

        self.chat = ChatPanel(session.project.chats, connections, picker(), self.profile)
        self.compare = ComparePanel(
            session.project.chats, connections, (picker(), picker()), self.profile
        )
        self.spot_check = SpotCheckPanel(
            session, connections, (picker(), picker()), self.profile, visible_rows
        )
        self.banner = QLabel(SIMULATION_TEXT)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(WARNING_STYLE)
        self.parts = QTabWidget()
        self.parts.addTab(self.chat, "Chat")
        self.parts.addTab(self.compare, "Compare")
        self.parts.addTab(self.spot_check, "Spot-check")
        self._listed = False  # the models are read when the tab is first shown
        self._build()
        self._connect()
        self._on_profile_changed(self.profiles.current())

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Provider"))
        top.addWidget(self.profiles)
        top.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(top)
        column.addWidget(self.banner)
        column.addWidget(self.parts, 1)

    def _connect(self) -> None:
        self.profiles.profile_changed.connect(self._on_profile_changed)
        self.catalog.loaded.connect(self._on_models_loaded)
        self.catalog.failed.connect(self.failed)
        self.chat.profile_requested.connect(self.profiles.select)
        for part in (self.chat, self.compare, self.spot_check):
            part.informed.connect(self.informed)
            part.failed.connect(self.failed)
        self.spot_check.example_add_requested.connect(self.example_add_requested)

    def profile(self) -> Profile | None:
        return self.profiles.current()

    def open_model(self, profile_id: str, model: str) -> None:
        """Chat with `model` of the profile `profile_id` (the jobs view's "Open in chat")."""
        if not self.profiles.select(profile_id):
            self.failed.emit("That provider profile no longer exists; choose another.")
            return
        self.refresh_models()  # the model may be newer than the list
        self.chat.new_conversation()
        self.chat.picker.select(model)
        self.parts.setCurrentWidget(self.chat)

    def refresh_models(self) -> None:
        """Read the models again (a job has just produced one)."""
        self._listed = True
        self.catalog.load(self.profile())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # Not at construction: listing the sandbox's models starts the sandbox, which the
        # window must not wait for before the user ever looks at this tab.
        if not self._listed:
            self.refresh_models()
        super().showEvent(event)

    def shutdown(self, ms: int = 5000) -> None:
        """Stop what is being asked and let the threads end (before the window closes)."""
        self.chat.stop()
        self.compare.stop()
        self.spot_check.runner.cancel()
        self.spot_check.runner.wait(ms)
        self.catalog.wait(ms)
        threads.wait_all(ms)

    def _format_of(self, model: str):
        profile = self.profile()
        return format_of(self._session.project.jobs, profile.id if profile else "", model)

    def _on_profile_changed(self, profile: Profile | None) -> None:
        self.banner.setVisible(profile is not None and profile.kind == "sandbox")
        if self._listed:
            self.catalog.load(profile)

    def _on_models_loaded(self, choices: list[ModelChoice]) -> None:
        # First time, with no tuned model yet: the model the dataset is curated for.
        own = self._session.linter.settings.model.name
        first = not self.chat.picker.current_name() and not any(c.group == TUNED for c in choices)
        prefer = own if first and any(c.name == own for c in choices) else None
        self.chat.picker.set_choices(choices, prefer=prefer)
        self.compare.set_choices(choices)
        self.spot_check.setup.set_choices(choices)
