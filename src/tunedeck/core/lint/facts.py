"""What the linter derives from one row, computed once per version of the row.

Rules read these instead of re-deriving them, and the dataset-wide indexes (duplicates,
conflicts, class counts) are keyed by them, which is what makes a re-lint after one edit cost
the same whatever the size of the dataset.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.dataset.fields import get_field
from tunedeck.core.lint.plain_chat import (
    CONTENTS_AT,
    PACKABLE_TOKENS,
    ROLES_AT,
    PlainChat,
    layout,
    pack_role_tokens,
    plain_chat,
)
from tunedeck.core.tokens import (
    TOKENS_PER_MESSAGE,
    TOKENS_PER_REPLY,
    TokenCounter,
    chat_overhead,
    message_texts,
    tools_text,
)


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is 3x slower, on every row
class RowFacts:
    format: ExampleFormat
    tokens: int  # the whole example as the trainer counts it
    label: str | None  # class label, when the dataset is a classification one
    content_key: int | None  # equal for identical examples
    prompt_key: int | None  # equal for the same prompt / conversation before the answer
    answer_key: int | None  # equal for the same completion / final assistant message
    # The tokens of each role's messages, packed (plain_chat.ROLE_BITS), counted with `tokens`
    # so that the statistics need not tokenize again; None where not known (legacy rows,
    # chat rows of another shape than plain_chat's): count those.
    role_tokens: int | None = None


def final_assistant_index(messages: Sequence[Any]) -> int | None:
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if isinstance(message, dict) and message.get("role") == "assistant":
            return index
    return None


def label_of(example: Example, stop: str | None, final: int | None = None) -> str | None:
    """The class an example teaches: what the model is trained to answer, trimmed.

    Legacy: the completion without its leading space and stop sequence. Chat: the final
    assistant message (at `final`, when the caller has looked it up already).
    """
    if example.format is ExampleFormat.LEGACY:
        return _legacy_label(example.completion, stop)
    if example.format is ExampleFormat.CHAT:
        messages = example.messages
        index = final_assistant_index(messages) if final is None else final
        if index is None:
            return None
        content = messages[index].get("content")
        return content.strip() if isinstance(content, str) else None
    return None


def field_label(example: Example, path: str) -> str | None:
    """The class named by the record's field at `path` (a class field), or None if absent."""
    try:
        value = get_field(example.record, path) if example.record is not None else None
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if value is None or isinstance(value, dict | list):
        return None
    text = value.strip() if isinstance(value, str) else json.dumps(value)
    return sys.intern(text) if text else None


def _legacy_label(completion: str, stop: str | None) -> str:
    if stop and completion.endswith(stop):
        completion = completion[: -len(stop)]
    return completion.strip()


def _shared_label(example: Example, stop: str | None, final: int | None) -> str | None:
    # A few distinct labels over many rows: share one string per label instead of a copy each.
    label = label_of(example, stop, final)
    return sys.intern(label) if label is not None else None


def row_texts(example: Example, plain: PlainChat | None = None) -> list[str]:
    """The texts whose tokens make up the example (framing overhead aside), in no set order.

    `plain`, the row's plain_chat() when the caller has it, spares walking the messages again.
    """
    if plain is not None:  # the same texts as message_texts() gives, and no tools
        return [*plain[CONTENTS_AT], *plain[ROLES_AT]]
    if example.format is ExampleFormat.LEGACY:
        return [example.prompt, example.completion]
    if example.format is ExampleFormat.CHAT:
        texts = [text for message in example.messages for text in message_texts(message)]
        tools = example.record.get("tools") if example.record else None
        if tools is not None:
            texts.append(tools_text(tools))
        return texts
    return []


def packed_role_tokens(
    plain: PlainChat | None, counts: Sequence[int], tokens: int, start: int = 0
) -> int | None:
    """RowFacts.role_tokens of a row of `tokens` in all whose row_texts(example, plain) have
    the counts from counts[start] on: a plain row's row_texts() start with its contents."""
    if plain is None or tokens > PACKABLE_TOKENS:  # not plain, or a field might overflow
        return None
    roles = plain[ROLES_AT]
    return pack_role_tokens(roles, counts[start : start + len(roles)])


def row_overhead(example: Example, plain: PlainChat | None = None) -> int:
    if plain is not None:  # no message of a plain row has a name
        return len(plain[ROLES_AT]) * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY
    if example.format is ExampleFormat.CHAT:
        return chat_overhead(example.messages)
    return 0


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def message_key(message: Any) -> int:
    """One message's share of a chat row's keys: equal for equal messages.

    A message of the plain shape (role, then content, nothing else) hashes as (role, content),
    which a full pass works out a column of messages at a time (uniform_chat.py) without
    building each message's items; any other message hashes as its items, so that it equals
    only a message with the same items in the same order, as before. TypeError for a message
    holding a list or an object.
    """
    if isinstance(message, dict):
        items = tuple(message.items())
        if len(items) == 2 and items[0][0] == "role" and items[1][0] == "content":
            return hash((items[0][1], items[1][1]))
        return hash(items)
    return hash(message)


def keys_of(
    example: Example, final: int | None = None
) -> tuple[int | None, int | None, int | None]:
    """(content, prompt, answer) keys; hashes of the texts, so indexes stay small.

    `final` is the chat row's final_assistant_index(), when the caller has it.
    """
    if example.format is ExampleFormat.LEGACY:
        prompt, completion = example.prompt, example.completion
        return hash((prompt, completion)), hash(prompt), hash(completion)
    if example.format is ExampleFormat.CHAT:
        messages = example.messages
        record = example.record or {}
        index = final_assistant_index(messages) if final is None else final
        tools = record.get("tools")
        try:
            keys = tuple(map(message_key, messages))
        except TypeError:  # a list inside a message (tool calls): hash its canonical JSON
            keys = tuple(hash(_canonical(message)) for message in messages)
        return chat_keys(keys, index, _canonical(tools) if tools is not None else None)
    return None, None, None


def chat_keys(
    keys: tuple[int, ...], final: int | None, extra: str | None = None
) -> tuple[int, int | None, int | None]:
    """A chat row's (content, prompt, answer) keys from its messages' message_key() and its
    tools' canonical JSON (`extra`), with its final assistant message at `final`."""
    # Without tools, the tuple of keys alone (a row of ints is never a (tuple, str) pair).
    content = hash(keys) if extra is None else hash((keys, extra))
    if final is None:
        return content, None, None
    prompt = hash(keys[:final]) if extra is None else hash((keys[:final], extra))
    return content, prompt, keys[final]


def compute_facts(
    example: Example,
    tokens: int,
    *,
    classification: bool,
    stop: str | None,
    plain: PlainChat | None = None,
    role_tokens: int | None = None,
) -> RowFacts:
    """The row's facts; `plain`, its plain_chat() when the caller has it, is a shortcut to the
    same facts. `role_tokens` is packed_role_tokens() of the count that gave `tokens`."""
    if plain is not None:
        final = layout(plain[ROLES_AT])[2]
        return plain_chat_facts(tokens, plain, final, classification, role_tokens)
    kind = example.format
    if kind is ExampleFormat.LEGACY:
        return legacy_facts(
            example.prompt, example.completion, tokens, classification=classification, stop=stop
        )
    # Looked up once for both the keys and the label.
    final = final_assistant_index(example.messages) if kind is ExampleFormat.CHAT else None
    content, prompt, answer = keys_of(example, final)
    return RowFacts(
        format=kind,
        tokens=tokens,
        label=_shared_label(example, stop, final) if classification else None,
        content_key=content,
        prompt_key=prompt,
        answer_key=answer,
        role_tokens=role_tokens,
    )


def legacy_facts(
    prompt: str, completion: str, tokens: int, *, classification: bool, stop: str | None
) -> RowFacts:
    """compute_facts() of a legacy row, from its prompt and completion."""
    # A few distinct labels over many rows: one shared string per label, not a copy each.
    label = sys.intern(_legacy_label(completion, stop)) if classification else None
    key = hash((prompt, completion))
    # Positional: keyword arguments cost half as much again, on every row of a full pass.
    return RowFacts(ExampleFormat.LEGACY, tokens, label, key, hash(prompt), hash(completion))


def plain_chat_facts(
    tokens: int, plain: PlainChat, final: int | None, classification: bool, role_tokens: int | None
) -> RowFacts:
    """compute_facts() of a plain chat row whose final assistant message is at `final`
    (plain_chat.layout()), positional and with nothing to look up: a full pass calls it for
    nearly every chat row whose batch is not uniform (uniform_chat.py)."""
    # The keys keys_of() gives: each message is of the plain shape, and there are no tools.
    roles, contents = plain
    content, prompt, answer = chat_keys(tuple(map(hash, zip(roles, contents, strict=True))), final)
    label = sys.intern(contents[final].strip()) if classification and final is not None else None
    return RowFacts(ExampleFormat.CHAT, tokens, label, content, prompt, answer, role_tokens)


def count_row(counter: TokenCounter, example: Example) -> int:
    return sum(counter.count_many(row_texts(example))) + row_overhead(example)


def count_row_and_roles(counter: TokenCounter, example: Example) -> tuple[int, int | None]:
    """count_row() and packed_role_tokens(): what a full pass's Batch counts, for one row."""
    plain = plain_chat(example)
    counts = counter.count_many(row_texts(example, plain))
    tokens = sum(counts) + row_overhead(example, plain)
    return tokens, packed_role_tokens(plain, counts, tokens)
