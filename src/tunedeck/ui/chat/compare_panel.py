"""The same question to two models at once (the tuned one and its base by default), both
streaming side by side, each answer rated good or bad with a note.

Each comparison is stored as a conversation of mode "compare": the question, then each
model's answer as it finishes, with the ratings on the answers; earlier comparisons can be
reopened from the list above the answers.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tunedeck.core.chat.asking import ask, question_for
from tunedeck.core.chat.tuned import describe_format
from tunedeck.core.errors import UserError
from tunedeck.core.remote import ChatReply, Profile
from tunedeck.core.storage.chat_store import ChatStore
from tunedeck.ui.chat.answer_pane import AnswerPane
from tunedeck.ui.chat.ask_settings import AskSettingsBar
from tunedeck.ui.chat.conversation_list import COMPARE, is_comparison
from tunedeck.ui.chat.model_catalog import TUNED, ModelChoice
from tunedeck.ui.chat.model_picker import ModelPicker
from tunedeck.ui.chat.streaming import AnswerStream
from tunedeck.ui.connections import Connections


class ComparePanel(QWidget):
    """Signals:
    informed(str) / failed(str): news for the window's message bar.
    """

    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        chats: ChatStore,
        connections: Connections,
        pickers: tuple[ModelPicker, ModelPicker],
        profile: Callable[[], Profile | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._chats = chats
        self._connections = connections
        self._profile = profile
        self.panes = (AnswerPane("A", pickers[0]), AnswerPane("B", pickers[1]))
        self.settings = AskSettingsBar(temperature=0.0, system=False)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("A question to ask both models, e.g. “What is iMocha?”")
        self.prompt.setFixedHeight(60)
        self.ask_button = QPushButton("Ask both")
        self.stop_button = QPushButton("Stop")
        self.earlier = QComboBox()
        self.earlier.setToolTip("Comparisons made before, kept in the project")
        self.streams: list[AnswerStream | None] = [None, None]
        self.conversation: int | None = None
        self._positions: list[int | None] = [None, None]  # each answer's message position
        self._build()
        self.ask_button.clicked.connect(self.ask_both)
        self.stop_button.clicked.connect(self.stop)
        self.earlier.activated.connect(self._on_earlier)
        for side, pane in enumerate(self.panes):
            pane.rated.connect(lambda rating, note, side=side: self._on_rated(side, rating, note))
        self.refresh_earlier()
        self._update_buttons()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Earlier comparisons"))
        top.addWidget(self.earlier, 1)
        asking = QHBoxLayout()
        asking.addWidget(self.prompt, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.stop_button)
        asking.addLayout(buttons)
        sides = QSplitter()
        for pane in self.panes:
            sides.addWidget(pane)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(top)
        column.addWidget(self.settings)
        column.addLayout(asking)
        column.addWidget(sides, 1)

    def set_choices(self, choices: list[ModelChoice]) -> None:
        """Offer the models; by default the newest tuned one against its base model."""
        first, second = (pane.picker for pane in self.panes)
        tuned = next((c for c in choices if c.group == TUNED), None)
        a = first.current_name() or (tuned.name if tuned else None)
        first.set_choices(choices, prefer=a)
        chosen = first.current_choice()
        b = second.current_name() or (chosen.base_model if chosen else None)
        if not b:
            b = next((c.name for c in choices if c.name != first.current_name()), None)
        second.set_choices(choices, prefer=b)

    # --- asking --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return any(stream is not None and stream.running for stream in self.streams)

    def ask_both(self) -> None:
        text = self.prompt.toPlainText().strip()
        profile = self._profile()
        choices = [pane.picker.current_choice() for pane in self.panes]
        if not text or self.busy:
            return
        if profile is None or None in choices:
            self.failed.emit("Choose a provider profile and two models to compare.")
            return
        settings = self.settings.settings()
        try:
            providers = [self._connections.provider(profile) for _ in choices]
            formats = {c.name: describe_format(c.fmt) for c in choices}
            stored = {"mode": COMPARE, "models": [c.name for c in choices], "formats": formats}
            self.conversation = self._chats.new_conversation(
                text[:80], profile.id, choices[0].name, settings.describe() | stored
            )
            self._chats.add_message(self.conversation, "user", text)
        except UserError as error:
            self.failed.emit(str(error))
            return
        self._positions = [None, None]
        for side, (choice, provider) in enumerate(zip(choices, providers, strict=True)):
            self._start(side, choice, provider, question_for(choice.fmt, [], text), settings)
        self._update_buttons()

    def _start(self, side: int, choice: ModelChoice, provider, question, settings) -> None:
        pane = self.panes[side]
        pane.show_answer("", "streaming")
        pane.show_rating(None, "")
        pane.set_rateable(False)

        def call(on_delta, cancel) -> ChatReply:
            with provider:
                return ask(provider, choice.name, question, settings, on_delta, cancel)

        stream = self.streams[side] = AnswerStream(call, self)
        stream.delta.connect(lambda _piece: pane.show_answer(stream.text, "streaming"))
        stream.finished.connect(lambda reply: self._on_answered(side, choice, reply.text))
        stream.stopped.connect(lambda: self._on_answered(side, choice, stream.text, "stopped"))
        stream.failed.connect(lambda message: self._on_failed(side, message))
        stream.start()

    def stop(self) -> None:
        for stream in self.streams:
            if stream is not None:
                stream.stop()

    def _on_answered(self, side: int, choice: ModelChoice, text: str, state: str = "") -> None:
        text = choice.fmt.clean_answer(text) if choice.fmt.is_legacy else text
        pane = self.panes[side]
        pane.show_answer(text, state)
        try:
            if self.conversation is not None:
                position = self._chats.add_message(
                    self.conversation, "assistant", text, choice.name
                )
                self._positions[side] = position
                pane.set_rateable(True)
        except UserError as error:
            self.failed.emit(str(error))
        self._update_buttons()
        if not self.busy:
            self.refresh_earlier()

    def _on_failed(self, side: int, message: str) -> None:
        self.panes[side].show_answer(message, "failed")
        self.failed.emit(message)
        self._update_buttons()
        if not self.busy:
            self.refresh_earlier()

    def _on_rated(self, side: int, rating: str | None, note: str) -> None:
        position = self._positions[side]
        if self.conversation is None or position is None:
            return
        try:
            self._chats.rate_message(self.conversation, position, rating, note)
        except UserError as error:
            self.failed.emit(str(error))

    # --- earlier comparisons -------------------------------------------------------------

    def refresh_earlier(self) -> None:
        try:
            earlier = [c for c in self._chats.conversations() if is_comparison(c)]
        except UserError as error:
            self.failed.emit(str(error))
            return
        self.earlier.blockSignals(True)
        self.earlier.clear()
        for conversation in earlier:
            models = " vs ".join(conversation.settings.get("models", []))
            when = conversation.created_at.astimezone().strftime("%d %b %H:%M")
            self.earlier.addItem(f"{conversation.title} — {models} · {when}", conversation.id)
        index = self.earlier.findData(self.conversation)
        self.earlier.setCurrentIndex(index)
        self.earlier.blockSignals(False)

    def open_comparison(self, conversation_id: int) -> None:
        """Show a stored comparison: its question, both answers and their ratings."""
        self.stop()
        try:
            found = [c for c in self._chats.conversations() if c.id == conversation_id]
            messages = self._chats.messages(conversation_id)
        except UserError as error:
            self.failed.emit(str(error))
            return
        if not found:
            return
        models = found[0].settings.get("models", [])
        self.conversation, self._positions = conversation_id, [None, None]
        for pane in self.panes:
            pane.show_answer("")
            pane.show_rating(None, "")
            pane.set_rateable(False)
        for message in messages:
            if message.role == "user":
                self.prompt.setPlainText(message.content)
                continue
            sides = [
                side
                for side, model in enumerate(models[:2])
                if model == message.model and self._positions[side] is None
            ]
            if not sides:
                continue
            side = sides[0]
            pane = self.panes[side]
            pane.picker.select(message.model)
            pane.show_answer(message.content)
            pane.show_rating(message.rating, message.note)
            pane.set_rateable(True)
            self._positions[side] = message.position
        self.refresh_earlier()
        self._update_buttons()

    def _on_earlier(self, index: int) -> None:
        conversation = self.earlier.itemData(index)
        if conversation is not None:
            self.open_comparison(conversation)

    def _update_buttons(self) -> None:
        self.ask_button.setEnabled(not self.busy)
        self.stop_button.setEnabled(self.busy)
