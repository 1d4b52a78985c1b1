from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import ROLES, ROLES_AT
from tunedeck.core.lint.rule import RowRule

MESSAGE_KEYS = {"role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call"}


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


class ChatStructure(RowRule):
    """A chat example the fine-tuning API would reject, or that teaches nothing.

    ## What it flags
    `messages` missing or not a list; a message that is not an object; a role other than
    system, user, assistant or tool; content that is missing or not text (allowed only for an
    assistant message that makes tool calls); keys the API does not know; a `weight` that is
    not 0 or 1 or sits on a non-assistant message; a conversation with no assistant message to
    learn from; and (as a warning) one with no user message.

    ## Why it matters
    The API refuses the whole file for one malformed example. A conversation without a user
    turn trains the model to speak unprompted.

    ## Example
    `{"messages": [{"role": "system", "content": "You are helpful."},
    {"role": "assistant", "content": "Hi!"}]}` has no user message.

    ## Fix
    None automatic: the right repair depends on what the conversation was meant to be.

    ## Options
    None.
    """

    code = "TD002"
    name = "chat-structure"
    severity = Severity.ERROR
    summary = "A chat example the API would reject"
    formats = frozenset({ExampleFormat.CHAT, ExampleFormat.UNKNOWN})

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        # A plain row (plain_chat.py) has nothing wrong in its messages themselves: only a
        # missing user or assistant turn can still be flagged.
        if batch.shape is not None:  # every row plain, with these roles
            clean = "assistant" in batch.shape and "user" in batch.shape
            return set() if clean else set(batch.ids)
        return {
            row_id
            for row_id, plain in zip(batch.ids, batch.plain, strict=True)
            if plain is None or "assistant" not in plain[ROLES_AT] or "user" not in plain[ROLES_AT]
        }

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        if facts.format is ExampleFormat.UNKNOWN:
            keys = ", ".join(list(example.record or {})[:5]) or "none"
            yield self.make(
                example.id,
                None,
                f'neither "messages" nor "prompt"/"completion" (keys: {keys}); '
                "map your columns to those fields",
            )
            return
        if facts.format is not ExampleFormat.CHAT:
            return
        record = example.record or {}
        messages = record.get("messages")
        if not isinstance(messages, list):
            yield self.make(example.id, "messages", f'"messages" is {_kind(messages)}, not a list')
            return
        if not messages:
            yield self.make(example.id, "messages", '"messages" is empty')
            return
        if "tools" in record and not isinstance(record["tools"], list):
            yield self.make(example.id, "tools", f'"tools" is {_kind(record["tools"])}, not a list')
        for index, message in enumerate(messages):
            yield from self._check_message(example.id, index, message)
        roles = [m.get("role") for m in messages if isinstance(m, dict)]
        if "assistant" not in roles:
            yield self.make(example.id, "messages", "no assistant message to learn from")
        elif "user" not in roles:
            yield self.make(
                example.id,
                "messages",
                "no user message: the model would learn to answer without being asked",
                severity=Severity.WARNING,
            )

    def _check_message(self, row_id: int, index: int, message: Any) -> Iterator[Diagnostic]:
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            yield self.make(
                row_id, where, f"message {index + 1} is {_kind(message)}, not an object"
            )
            return
        role = message.get("role")
        if role not in ROLES:
            found = "missing" if role is None else repr(role)
            yield self.make(
                row_id, f"{where}.role", f"message {index + 1} role {found}: use {', '.join(ROLES)}"
            )
        content = message.get("content")
        calls_tools = message.get("tool_calls") or message.get("function_call")
        if content is None and not (role == "assistant" and calls_tools):
            yield self.make(row_id, f"{where}.content", f"message {index + 1} has no content")
        elif content is not None and not isinstance(content, str) and not _content_parts(content):
            yield self.make(
                row_id,
                f"{where}.content",
                f"message {index + 1} content is {_kind(content)}, not text",
            )
        unknown = [key for key in message if key not in MESSAGE_KEYS]
        if unknown:
            yield self.make(
                row_id,
                where,
                f"message {index + 1} has keys the API does not accept: {', '.join(unknown)}",
            )
        if "weight" in message:
            if message["weight"] not in (0, 1) or isinstance(message["weight"], bool):
                yield self.make(
                    row_id, f"{where}.weight", f"message {index + 1} weight must be 0 or 1"
                )
            elif role != "assistant":
                yield self.make(
                    row_id,
                    f"{where}.weight",
                    f"message {index + 1}: weight is only allowed on assistant messages",
                )


def _content_parts(content: Any) -> bool:
    """A list of typed parts (text, image_url) is valid content for vision fine-tuning."""
    return (
        isinstance(content, list)
        and bool(content)
        and all(isinstance(part, dict) and isinstance(part.get("type"), str) for part in content)
    )
