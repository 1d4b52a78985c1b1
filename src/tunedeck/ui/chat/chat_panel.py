"""Chat with one model: streamed answers, Stop, Regenerate, Copy, kept in the project.

Each question is asked the way the chosen model was trained (core.chat.asking); the
conversation is stored as it goes, so it is there when the project is opened again, with
the settings the answers depended on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
from tunedeck.core.storage.chat_store import ChatStore, Conversation
from tunedeck.ui.chat.ask_settings import AskSettingsBar
from tunedeck.ui.chat.conversation_list import ConversationList
from tunedeck.ui.chat.model_catalog import ModelChoice
from tunedeck.ui.chat.model_picker import ModelPicker
from tunedeck.ui.chat.streaming import AnswerStream
from tunedeck.ui.chat.transcript import FAILED, REPLACED, STOPPED, STREAMING, TranscriptView, Turn
from tunedeck.ui.connections import Connections


class ChatPanel(QWidget):
    """Signals:
    profile_requested(str): a reopened conversation was held with this profile.
    informed(str) / failed(str): news for the window's message bar.
    """

    profile_requested = Signal(str)
    informed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        chats: ChatStore,
        connections: Connections,
        picker: ModelPicker,
        profile: Callable[[], Profile | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._chats = chats
        self._connections = connections
        self._profile = profile
        self.picker = picker
        self.settings = AskSettingsBar(temperature=0.7)
        self.transcript = TranscriptView()
        self.conversations = ConversationList(chats)
        self.input = QPlainTextEdit()
        self.input.setPlaceholderText("Ask a question (Ctrl+Enter sends)")
        self.input.setFixedHeight(70)
        self.send_button = QPushButton("Send")
        self.stop_button = QPushButton("Stop")
        self.regenerate_button = QPushButton("Regenerate")
        self.copy_button = QPushButton("Copy answer")
        self.new_button = QPushButton("New conversation")
        self.stream: AnswerStream | None = None
        self.conversation: int | None = None
        self._history: list[dict[str, str]] = []  # the answered turns a chat model is sent
        self._build()
        self._connect()
        self._update_buttons()

    def _build(self) -> None:
        self.send_button.setDefault(True)
        self.stop_button.setToolTip("Stop the answer being written")
        self.regenerate_button.setToolTip("Ask the last question again for a new answer")
        self.copy_button.setToolTip("Copy the last answer to the clipboard")
        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("<b>Conversations</b>"))
        side.addWidget(self.conversations, 1)
        side.addWidget(self.new_button)
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel("Model"))
        model_row.addWidget(self.picker, 1)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.stop_button, self.regenerate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        right = QWidget()
        main = QVBoxLayout(right)
        main.setContentsMargins(0, 0, 0, 0)
        main.addLayout(model_row)
        main.addWidget(self.settings)
        main.addWidget(self.transcript, 1)
        main.addWidget(self.input)
        main.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.copy_button.clicked.connect(self.copy_answer)
        self.new_button.clicked.connect(self.new_conversation)
        self.picker.model_changed.connect(self._on_model_changed)
        self.conversations.opened.connect(self.open_conversation)
        self.conversations.deleted.connect(self._on_deleted)
        QShortcut(QKeySequence("Ctrl+Return"), self.input, self.send)

    # --- asking --------------------------------------------------------------------------

    def send(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.busy:
            return
        if self._ask(text, self._history):
            self.input.clear()

    def regenerate(self) -> None:
        """Ask the last question again; the earlier answer stays, marked as replaced."""
        turns = self.transcript.turns
        users = [i for i, turn in enumerate(turns) if turn.role == "user"]
        if self.busy or not users:
            return
        last = users[-1]
        answers = turns[last + 1 :]
        if any(turn.state in ("", STOPPED) for turn in answers):
            self._history = self._history[:-2]  # that exchange is what is asked again
        for turn in answers:
            turn.state = REPLACED
        self._ask(turns[last].text, self._history, again=True)

    def stop(self) -> None:
        if self.stream is not None:
            self.stream.stop()

    def copy_answer(self) -> None:
        answers = [t for t in self.transcript.turns if t.role == "assistant" and t.state != FAILED]
        if answers:
            QGuiApplication.clipboard().setText(answers[-1].text)
            self.informed.emit("The answer is on the clipboard.")

    @property
    def busy(self) -> bool:
        return self.stream is not None and self.stream.running

    def _ask(self, text: str, history: list[dict[str, str]], again: bool = False) -> bool:
        profile, choice = self._profile(), self.picker.current_choice()
        if profile is None or choice is None:
            self.failed.emit("Choose a provider profile and a model to ask.")
            return False
        settings = self.settings.settings()
        question = question_for(choice.fmt, history, text, settings.system)
        try:
            provider = self._connections.provider(profile)
            if self.conversation is None:
                stored = {"mode": "chat", "format": describe_format(choice.fmt)}
                self.conversation = self._chats.new_conversation(
                    text[:80], profile.id, choice.name, settings.describe() | stored
                )
            if not again:
                self._chats.add_message(self.conversation, "user", text)
        except UserError as error:
            self.failed.emit(str(error))
            return False

        def call(on_delta, cancel) -> ChatReply:
            with provider:
                return ask(provider, choice.name, question, settings, on_delta, cancel)

        if not again:
            self.transcript.turns.append(Turn("user", text))
        answer = Turn("assistant", "", choice.name, STREAMING)
        self.transcript.turns.append(answer)
        self.transcript.redraw()
        stream = self.stream = AnswerStream(call, self)
        stream.delta.connect(lambda piece: self._on_delta(answer, piece))
        stream.finished.connect(lambda reply: self._on_answered(answer, text, choice, reply))
        stream.failed.connect(lambda message: self._on_failed(answer, message))
        stream.stopped.connect(lambda: self._on_stopped(answer, text, choice))
        stream.start()
        self._update_buttons()
        return True

    def _on_delta(self, answer: Turn, piece: str) -> None:
        answer.text += piece
        self.transcript.redraw()

    def _on_answered(self, answer: Turn, text: str, choice: ModelChoice, reply) -> None:
        answer.text = choice.fmt.clean_answer(reply.text) if choice.fmt.is_legacy else reply.text
        answer.state = ""
        self._keep(answer, text, choice)

    def _on_stopped(self, answer: Turn, text: str, choice: ModelChoice) -> None:
        answer.state = STOPPED
        self._keep(answer, text, choice)

    def _on_failed(self, answer: Turn, message: str) -> None:
        answer.text, answer.state = message, FAILED
        self.transcript.redraw()
        self._update_buttons()
        self.failed.emit(message)

    def _keep(self, answer: Turn, text: str, choice: ModelChoice) -> None:
        self.transcript.redraw()
        self._history += [
            {"role": "user", "content": text},
            {"role": "assistant", "content": answer.text},
        ]
        try:
            if self.conversation is not None:
                self._chats.add_message(self.conversation, "assistant", answer.text, choice.name)
                self.conversations.refresh(self.conversation)
        except UserError as error:
            self.failed.emit(str(error))
        self._update_buttons()

    # --- conversations -------------------------------------------------------------------

    def new_conversation(self) -> None:
        self.stop()
        self.conversation = None
        self._history = []
        self.transcript.set_turns([])
        self.conversations.clearSelection()
        self._update_buttons()

    def open_conversation(self, conversation: Conversation) -> None:
        """Show a stored conversation and go on with it, with the profile and model it had."""
        self.stop()
        try:
            messages = self._chats.messages(conversation.id)
        except UserError as error:
            self.failed.emit(str(error))
            return
        turns: list[Turn] = []
        for message in messages:
            if message.role == "assistant" and turns and turns[-1].role == "assistant":
                turns[-1].state = REPLACED
            turns.append(Turn(message.role, message.content, message.model))
        self._history = [{"role": t.role, "content": t.text} for t in turns if t.state != REPLACED]
        self.conversation = conversation.id
        self.transcript.set_turns(turns)
        current = self._profile()
        if current is None or current.id != conversation.profile:
            self.profile_requested.emit(conversation.profile)
        self.picker.select(conversation.model)
        self.settings.restore_settings(conversation.settings or {})
        if "system" in (conversation.settings or {}):
            self.settings.system.setText(conversation.settings["system"] or "")
        self.conversations.refresh(conversation.id)
        self._update_buttons()

    def _on_deleted(self, conversation: int) -> None:
        if conversation == self.conversation:
            self.new_conversation()

    def _on_model_changed(self, choice: ModelChoice | None) -> None:
        if choice is not None:
            self.settings.set_format(choice.fmt)

    def _update_buttons(self) -> None:
        busy = self.busy
        has_question = any(turn.role == "user" for turn in self.transcript.turns)
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.regenerate_button.setEnabled(not busy and has_question)
        self.copy_button.setEnabled(any(t.role == "assistant" for t in self.transcript.turns))
