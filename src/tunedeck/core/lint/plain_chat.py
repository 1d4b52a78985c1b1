"""The shape nearly every chat row has, recognised in a few C-level calls.

Almost every chat row is a list of {"role": ..., "content": "..."} messages. Tokenizing,
the keys, chat-structure, empty-field and pii all read those messages; recognising the plain
shape once per row and sharing its roles and contents spares each of them a Python-level walk
of the messages, which is what keeps a full pass close to the tokenizer's own cost. Rows of
any other shape get no shortcut: they take the general path everywhere.
"""

from __future__ import annotations

from typing import Any

from tunedeck.core.dataset.example import Example, ExampleFormat

ROLES = ("system", "user", "assistant", "tool")  # every role the API accepts
_KNOWN_ROLES = frozenset(ROLES)

# (roles, contents, keys) of a plain chat row, a tuple for each message: its role, its text,
# and tuple(message.items()), the message as keys_of() hashes it.
PlainChat = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[tuple[str, str], ...], ...]]
ROLES_AT, CONTENTS_AT = 0, 1  # where these parts sit in a PlainChat
_TEXT = {str}


def plain_chat(example: Example) -> PlainChat | None:
    """The roles, contents and keys of a chat row without tools whose every message is exactly
    {"role": <one of ROLES>, "content": <text>} (keys in either order); None for any other row.

    Each message is read once, in one comprehension: over a large dataset, fetching a row's
    dicts from memory costs more than anything done with them.
    """
    if example.format is not ExampleFormat.CHAT:
        return None
    record: dict[str, Any] = example.record  # type: ignore[assignment]  # CHAT: it has one
    messages = record["messages"]
    if type(messages) is not list or not messages or "tools" in record:
        return None
    try:
        fields = [
            (message["role"], message["content"], tuple(message.items())) for message in messages
        ]
        roles, contents, keys = zip(*fields, strict=True)
        if not _KNOWN_ROLES.issuperset(roles):  # which also proves every role is a string
            return None
    except (KeyError, TypeError):  # a message that is not an object, or lacks a key
        return None
    # Each message has at least its two keys, so two per message means exactly two.
    if sum(map(len, keys)) != 2 * len(keys) or set(map(type, contents)) != _TEXT:
        return None
    return roles, contents, keys
