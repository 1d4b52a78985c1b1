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
from tunedeck.core.tokens import TokenCounter, chat_overhead, message_texts, tools_text


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is 3x slower, on every row
class RowFacts:
    format: ExampleFormat
    tokens: int  # the whole example as the trainer counts it
    label: str | None  # class label, when the dataset is a classification one
    content_key: int | None  # equal for identical examples
    prompt_key: int | None  # equal for the same prompt / conversation before the answer
    answer_key: int | None  # equal for the same completion / final assistant message


def final_assistant_index(messages: Sequence[Any]) -> int | None:
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if isinstance(message, dict) and message.get("role") == "assistant":
            return index
    return None


def label_of(example: Example, stop: str | None) -> str | None:
    """The class an example teaches: what the model is trained to answer, trimmed.

    Legacy: the completion without its leading space and stop sequence. Chat: the final
    assistant message.
    """
    if example.format is ExampleFormat.LEGACY:
        text = example.completion
        if stop and text.endswith(stop):
            text = text[: -len(stop)]
        return text.strip()
    if example.format is ExampleFormat.CHAT:
        messages = example.messages
        index = final_assistant_index(messages)
        if index is None:
            return None
        content = messages[index].get("content")
        return content.strip() if isinstance(content, str) else None
    return None


def _shared_label(example: Example, stop: str | None) -> str | None:
    # A few distinct labels over many rows: share one string per label instead of a copy each.
    label = label_of(example, stop)
    return sys.intern(label) if label is not None else None


def row_texts(example: Example) -> list[str]:
    """The texts whose tokens make up the example (framing overhead aside)."""
    if example.format is ExampleFormat.LEGACY:
        return [example.prompt, example.completion]
    if example.format is ExampleFormat.CHAT:
        texts = [text for message in example.messages for text in message_texts(message)]
        tools = example.record.get("tools") if example.record else None
        if tools is not None:
            texts.append(tools_text(tools))
        return texts
    return []


def row_overhead(example: Example) -> int:
    if example.format is ExampleFormat.CHAT:
        return chat_overhead(example.messages)
    return 0


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def keys_of(example: Example) -> tuple[int | None, int | None, int | None]:
    """(content, prompt, answer) keys; hashes of the texts, so indexes stay small."""
    if example.format is ExampleFormat.LEGACY:
        prompt, completion = example.prompt, example.completion
        return hash((prompt, completion)), hash(prompt), hash(completion)
    if example.format is ExampleFormat.CHAT:
        messages = example.messages
        record = example.record or {}
        index = final_assistant_index(messages)
        tools = record.get("tools")
        try:
            keys = tuple(
                tuple(message.items()) if isinstance(message, dict) else message
                for message in messages
            )
            return _chat_keys(keys, index, tools)
        except TypeError:  # a list inside a message (tool calls): hash its canonical JSON
            return _chat_keys(tuple(_canonical(message) for message in messages), index, tools)
    return None, None, None


def _chat_keys(
    keys: tuple[Any, ...], index: int | None, tools: Any
) -> tuple[int, int | None, int | None]:
    extra = _canonical(tools) if tools is not None else None
    if index is None:
        return hash((keys, extra)), None, None
    return hash((keys, extra)), hash((keys[:index], extra)), hash(keys[index])


def compute_facts(
    example: Example, tokens: int, *, classification: bool, stop: str | None
) -> RowFacts:
    content, prompt, answer = keys_of(example)
    return RowFacts(
        format=example.format,
        tokens=tokens,
        label=_shared_label(example, stop) if classification else None,
        content_key=content,
        prompt_key=prompt,
        answer_key=answer,
    )


def count_row(counter: TokenCounter, example: Example) -> int:
    return sum(counter.count_many(row_texts(example))) + row_overhead(example)


def count_rows(counter: TokenCounter, examples: Sequence[Example]) -> list[int]:
    """Token totals for many rows, with one batched pass through the tokenizer."""
    texts: list[str] = []
    ends: list[int] = []
    for example in examples:
        texts.extend(row_texts(example))
        ends.append(len(texts))
    counts = counter.count_many(texts)
    totals = []
    start = 0
    for example, end in zip(examples, ends, strict=True):
        totals.append(sum(counts[start:end]) + row_overhead(example))
        start = end
    return totals
