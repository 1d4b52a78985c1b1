"""The text of chat messages, read the way the statistics need it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tunedeck.core.dataset import Example, ExampleFormat

_CHAT = ExampleFormat.CHAT


def plain_messages(example: Example) -> tuple[tuple[str, ...], list[str]] | None:
    """(roles, contents) of a chat row whose every message is exactly {"role": text,
    "content": text} and which has no tools; None for any other row.

    For such a row the trainer's count (RowFacts.tokens) is its contents and roles plus the
    framing of tokens.chat_overhead(), nothing else. lint.plain_chat recognises the same
    rows (and known roles only) but builds what the linter's keys need, at twice the cost.
    """
    record = example.record
    messages = record.get("messages") if record is not None else None
    if type(messages) is not list or not messages or "tools" in record:
        return None
    roles: list[str] = []
    contents: list[str] = []
    for message in messages:
        if type(message) is not dict or len(message) != 2:
            return None
        role, content = message.get("role"), message.get("content")
        if type(role) is not str or type(content) is not str:
            return None
        roles.append(role)
        contents.append(content)
    return tuple(roles), contents


def body_texts(message: dict[str, Any]) -> Iterator[str]:
    """tokens.message_texts() less the role and name: those are framing, counted with the
    whole example, not as what the message says."""
    content = message.get("content")
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):  # content parts: only text parts carry tokens we count
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                yield part["text"]
    for key in ("tool_calls", "function_call"):
        if message.get(key) is not None:
            yield json.dumps(message[key], ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Shape:
    """Plain chat rows with the same roles in the same order, so that their messages line
    up: column j holds message j of every row, and a column at a time is a comprehension
    rather than a Python loop per message."""

    roles: tuple[str, ...]
    rows: list[int] = field(default_factory=list)  # indexes into the caller's list
    contents: list[list[str]] = field(default_factory=list)  # per row, its message texts

    def column(self, position: int) -> list[str]:
        return [contents[position] for contents in self.contents]


def plain_shapes(
    examples: list[Example], proven: Sequence[bool] | None = None
) -> tuple[list[Shape], list[int]]:
    """The plain chat rows among `examples` grouped by shape, and the indexes of the other
    rows (legacy rows, and chat rows that are not plain).

    `proven[i]`, when given, says that the linter has already found row i plain (its
    RowFacts.role_tokens is set, which lint.plain_chat proves), so its messages are read
    without checking each one again: half the cost of this function on a chat dataset.
    """
    shapes: dict[tuple[str, ...], Shape] = {}
    others: list[int] = []
    for index, example in enumerate(examples):
        if proven is not None and proven[index]:
            messages = example.record["messages"]  # type: ignore[index]  # proven plain
            roles = tuple([message["role"] for message in messages])
            contents = [message["content"] for message in messages]
        else:
            plain = plain_messages(example) if example.format is _CHAT else None
            if plain is None:
                others.append(index)
                continue
            roles, contents = plain
        shape = shapes.get(roles)
        if shape is None:
            shape = shapes[roles] = Shape(roles)
        shape.rows.append(index)
        shape.contents.append(contents)
    return list(shapes.values()), others
