"""The shape nearly every chat row has, recognised in a few C-level calls.

Almost every chat row is a list of {"role": ..., "content": "..."} messages. Tokenizing (and
with it each role's tokens, kept for the statistics), the keys, chat-structure, empty-field
and pii all read those messages; recognising the plain shape once per row and sharing its
roles and contents spares each of them a Python-level walk of the messages, which is what
keeps a full pass close to the tokenizer's own cost. Rows of any other shape get no shortcut:
they take the general path everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter, lshift
from typing import Any

from tunedeck.core.dataset.example import Example, ExampleFormat

ROLES = ("system", "user", "assistant", "tool")  # every role the API accepts
KNOWN_ROLES = frozenset(ROLES)

# (roles, contents) of a plain chat row: a tuple of each message's role, and of its text.
PlainChat = tuple[tuple[str, ...], tuple[str, ...]]
ROLES_AT, CONTENTS_AT = 0, 1  # where these parts sit in a PlainChat
_TEXT = {str}
_ROLE_FIRST = {"role"}
_ROLE, _CONTENT = itemgetter("role"), itemgetter("content")

# The tokens of each role's message contents in a row, packed into one int (RowFacts.role_tokens):
# one int costs a row 32 bytes where four counts would cost over 100, and the statistics
# read them instead of tokenizing every message again. ROLE_BITS bits per role, in ROLES
# order; a field holds 1 + the role's tokens, 0 where the row has no message of that role (a
# part counts the rows that have it, an empty message included).
ROLE_BITS = 20
ROLE_MASK = (1 << ROLE_BITS) - 1
ROLE_SHIFTS = {role: ROLE_BITS * index for index, role in enumerate(ROLES)}
# A row's role tokens never exceed its whole count: this many or fewer fit every field.
PACKABLE_TOKENS = ROLE_MASK - 1


def plain_chat(example: Example) -> PlainChat | None:
    """The roles and contents of a chat row without tools whose every message is exactly
    {"role": <one of ROLES>, "content": <text>}, keys in that order; None for any other row.

    Keys in that order: facts.message_key() hashes a message of this shape as (role, content),
    which a uniform batch works out without reading the message's items, and one with its keys
    the other way round as its items, so that the two stay unequal, as they always were.

    Each part is read in one C-level map over the messages: a comprehension building a tuple
    per message, transposed with zip(), measured about a fifth slower on a full pass.
    """
    if example.format is not ExampleFormat.CHAT:
        return None
    record: dict[str, Any] = example.record  # type: ignore[assignment]  # CHAT: it has one
    messages = record["messages"]
    if type(messages) is not list or not messages or "tools" in record:
        return None
    try:
        # KeyError: a message lacks the key; TypeError: a message is not an object.
        roles = tuple(map(_ROLE, messages))
        contents = tuple(map(_CONTENT, messages))
        if not KNOWN_ROLES.issuperset(roles):  # which also proves every role is a string
            return None
    except (KeyError, TypeError):
        return None
    # Each message has at least its two keys, so two per message means exactly two.
    if sum(map(len, messages)) != 2 * len(messages) or set(map(type, contents)) != _TEXT:
        return None
    if set(map(next, map(iter, messages))) != _ROLE_FIRST:  # each message's first key
        return None
    return roles, contents


def pack_role_tokens(roles: tuple[str, ...], counts: Sequence[int]) -> int:
    """The packed role tokens of a plain row (see ROLE_BITS) whose messages' contents have
    `counts` tokens, message by message; counts past the last message are left out."""
    shifts, present, _ = layout(roles)
    return present + sum(map(lshift, counts, shifts))


@lru_cache(maxsize=1024)  # a dataset has a few shapes of conversation, seen on every row
def layout(roles: tuple[str, ...]) -> tuple[tuple[int, ...], int, int | None]:
    """Where each message's tokens go (ROLE_SHIFTS), the 1 that marks each role present, and
    the index of the final assistant message (None without one)."""
    final = len(roles) - 1 - roles[::-1].index("assistant") if "assistant" in roles else None
    shifts = tuple(map(ROLE_SHIFTS.__getitem__, roles))
    return shifts, sum(1 << ROLE_SHIFTS[role] for role in set(roles)), final
