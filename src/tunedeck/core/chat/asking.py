"""Asking a model the way it was trained: where chat and completion calls part ways.

The chat, the comparison and the spot-check all ask through here, so a model tuned on
prompt/completion pairs always gets its separator and stop sequence, and a chat model its
system message, whichever part of the window asks. The service is anything with Provider's
`chat` and `complete` methods; nothing here opens a connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tunedeck.core.chat.items import CheckItem
from tunedeck.core.chat.spot_check import Ask
from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.remote.records import ChatDelta, ChatReply
from tunedeck.core.remote.uploads import CancelToken

OnDelta = Callable[[ChatDelta], None]


class Service(Protocol):
    """What asking needs of a provider (core.remote.Provider has it)."""

    def chat(
        self, model: str, messages: Any, *, temperature: Any = ..., max_tokens: Any = ...,
        on_delta: Any = ..., cancel: Any = ...,
    ) -> ChatReply: ...  # fmt: skip

    def complete(
        self, model: str, prompt: str, *, stop: Any = ..., max_tokens: Any = ...,
        temperature: Any = ..., on_delta: Any = ..., cancel: Any = ...,
    ) -> ChatReply: ...  # fmt: skip


@dataclass(frozen=True)
class AskSettings:
    """What the answers depend on besides the question: stored with every conversation."""

    temperature: float | None = None
    max_tokens: int | None = None
    system: str | None = None  # None: the format's own (the one the model was tuned with)

    def describe(self) -> dict[str, Any]:
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "system": self.system,
        }


@dataclass(frozen=True)
class Question:
    """Exactly what is sent: a prompt and its stop sequences, or a list of messages."""

    prompt: str | None = None
    stop: list[str] | None = None
    messages: tuple[dict[str, str], ...] = ()


def question_for(
    fmt: TrainingFormat,
    history: Sequence[Mapping[str, str]],
    text: str,
    system: str | None = None,
) -> Question:
    """The user's words (after `history`) as the model saw questions in training.

    A completion model continues one prompt, so it is asked the last question alone."""
    if fmt.is_legacy:
        return Question(prompt=fmt.completion_prompt(text), stop=fmt.stop_sequences())
    return Question(messages=tuple(fmt.messages(history, text, system)))


def item_question(fmt: TrainingFormat, item: CheckItem) -> Question:
    """A spot-check item as a model of `fmt` must be asked it."""
    if isinstance(item.prompt, str):
        if fmt.is_legacy:
            return Question(prompt=item.prompt, stop=fmt.stop_sequences())
        return Question(messages=tuple(fmt.messages([], item.question)))
    if fmt.is_legacy:
        return Question(prompt=fmt.completion_prompt(item.question), stop=fmt.stop_sequences())
    return Question(messages=item.prompt)


def ask(
    service: Service,
    model: str,
    question: Question,
    settings: AskSettings,
    on_delta: OnDelta | None = None,
    cancel: CancelToken | None = None,
) -> ChatReply:
    """Send one question, streaming the answer to `on_delta`.

    Raises:
        UserError: The service refused or could not be reached (CancelledError: stopped).
    """
    if question.prompt is not None:
        return service.complete(
            model,
            question.prompt,
            stop=question.stop,
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            on_delta=on_delta,
            cancel=cancel,
        )
    return service.chat(
        model,
        list(question.messages),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        on_delta=on_delta,
        cancel=cancel,
    )


def check_asker(
    service: Service,
    formats: Mapping[str, TrainingFormat],
    items: Mapping[str, Mapping[int, CheckItem]],
    settings: AskSettings,
    cancel: CancelToken | None = None,
) -> Ask:
    """The `ask` of a SpotCheck over several models: each model gets each example the way
    it was trained (its own item when its format made one, the shared item otherwise)."""

    def answer(model: str, item: CheckItem) -> str:
        fmt = formats[model]
        own = items.get(model, {}).get(item.row_id, item)
        reply = ask(service, model, item_question(fmt, own), settings, cancel=cancel)
        return fmt.clean_answer(reply.text)

    return answer
