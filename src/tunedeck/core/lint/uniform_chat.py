"""A batch of plain chat rows that all have the same roles, worked out a column at a time.

Most chat datasets give every row one shape of conversation (a system prompt, a user
message, the assistant's answer). For such a batch, what plain_chat() and the facts of each
row would cost in Python-level work per row is done in C-level maps over all the batch's
messages at once: each message's key, each row's token count and role tokens, a column of
final answers for the labels. A batch of any other make-up takes the row-by-row path, which
gives the same facts (tests/core/lint/test_uniform_chat.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import reduce
from itertools import chain, cycle, repeat
from operator import add, attrgetter, contains, indexOf, itemgetter, lshift

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.plain_chat import KNOWN_ROLES, PACKABLE_TOKENS, layout
from tunedeck.core.tokens import TOKENS_PER_MESSAGE, TOKENS_PER_REPLY

_RECORD, _MESSAGES = attrgetter("record"), itemgetter("messages")
_ROLE, _CONTENT = itemgetter("role"), itemgetter("content")
_LIST, _TEXT = {list}, {str}


def uniform_chat(examples: Sequence[Example]) -> tuple[tuple[str, ...], list[str]] | None:
    """(roles, contents) of a batch of chat rows that are all plain_chat() rows with the same
    roles: the roles once, and every message's content, row after row. None for any other
    batch. The caller has checked that every row is a chat row."""
    records = list(map(_RECORD, examples))
    conversations = list(map(_MESSAGES, records))
    if set(map(type, conversations)) != _LIST or any(map(contains, records, repeat("tools"))):
        return None
    width = len(conversations[0])
    if not width or set(map(len, conversations)) != {width}:
        return None
    messages = list(chain.from_iterable(conversations))
    # As plain_chat(), over every message at once: objects of exactly two keys, "role" first
    # and then "content".
    try:  # KeyError: a message lacks the key; TypeError: a message is not an object
        contents = list(map(_CONTENT, messages))
    except (KeyError, TypeError):
        return None
    if sum(map(len, messages)) != 2 * len(messages):
        return None
    # "role" first in every message: indexOf() walks a message's keys up to it, in C (a third
    # faster than taking every first key with zip(*messages)).
    try:  # ValueError: a message has no "role"
        if any(map(indexOf, messages, repeat("role"))):
            return None
    except ValueError:
        return None
    roles = tuple(map(_ROLE, conversations[0]))
    every_role = list(map(_ROLE, messages))
    if every_role[:width] * len(conversations) != every_role or set(map(type, contents)) != _TEXT:
        return None
    try:
        if not KNOWN_ROLES.issuperset(roles):
            return None
    except TypeError:  # a role that is a list or an object
        return None
    return roles, contents


def uniform_facts(
    roles: tuple[str, ...],
    contents: list[str],
    count_of: Callable[[str], int],
    classification: bool,
) -> list[RowFacts]:
    """The RowFacts plain_chat_facts() gives each row of a uniform_chat() batch, with its
    tokens and role tokens as Batch counts them."""
    width = len(roles)
    shifts, present, final = layout(roles)
    framing = width * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY + sum(map(count_of, roles))
    counts = list(map(count_of, contents))
    columns = [counts[index::width] for index in range(width)]  # a message's counts, by row
    tokens = list(map(framing.__add__, reduce(_added, columns)))
    packed: list[int | None] = list(
        map(present.__add__, reduce(_added, map(_shifted, columns, shifts)))
    )
    if max(tokens) > PACKABLE_TOKENS:  # as packed_role_tokens(): a field might overflow
        packed = [
            part if total <= PACKABLE_TOKENS else None
            for part, total in zip(packed, tokens, strict=True)
        ]
    # facts.message_key() of each message, then a tuple of them per row, as chat_keys() takes.
    keys = list(map(hash, zip(cycle(roles), contents, strict=False)))  # cycle() never ends
    rows = list(zip(*[iter(keys)] * width, strict=True))
    nothing = repeat(None)
    if final is None:
        prompt_keys: Iterable[int | None] = nothing
        answer_keys: Iterable[int | None] = nothing
    else:
        prompt_keys = map(hash, map(itemgetter(slice(0, final)), rows))
        answer_keys = keys[final::width]
    labels = (
        map(sys.intern, map(str.strip, contents[final::width]))
        if classification and final is not None
        else nothing
    )
    chat = repeat(ExampleFormat.CHAT)
    return list(
        map(RowFacts, chat, tokens, labels, map(hash, rows), prompt_keys, answer_keys, packed)
    )


def _added(left: Iterable[int], right: Iterable[int]) -> Iterator[int]:
    return map(add, left, right)


def _shifted(column: list[int], shift: int) -> Iterator[int]:
    return map(lshift, column, repeat(shift))
