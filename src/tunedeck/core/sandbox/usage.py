"""Approximate token counts for the usage fields and trained_tokens.

The sandbox runs no tokenizer: a token is taken as four characters of text, OpenAI's own
rule of thumb for English, plus the per-message overhead its chat format adds. The numbers
are plausible, never exact; TuneDeck's exact counts come from core.tokens.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

_PER_MESSAGE, _PER_REPLY = 3, 3  # what the chat format adds around each message and reply


def approx_tokens(text: str) -> int:
    """About one token per four characters; at least one for any non-empty text."""
    return math.ceil(len(text) / 4) if text else 0


def message_text(content: object) -> str:
    """The text of a message's content: a string, or a list of parts with "text" fields."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            part.get("text", "") for part in content if isinstance(part, dict) and "text" in part
        )
    return ""


def chat_tokens(messages: Iterable[dict]) -> int:
    """Approximate prompt tokens of a list of chat messages."""
    total = _PER_REPLY
    for message in messages:
        total += _PER_MESSAGE + approx_tokens(message_text(message.get("content")))
    return total


def example_tokens(example: dict) -> int:
    """Approximate tokens of one training example in either format."""
    if "messages" in example:
        return chat_tokens(example["messages"])
    return approx_tokens(example.get("prompt", "")) + approx_tokens(example.get("completion", ""))


def usage(prompt_tokens: int, completion_tokens: int) -> dict:
    """A CompletionUsage object."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
