"""Turning a stored example into the record a trainer reads, in the target's format.

A legacy pair becomes a chat example the way the seeds' conventions imply: the separator
only marked where the prompt ends and the stop sequence where the answer ends, and the
leading space was there for the tokenizer; a chat model needs none of them, and would learn
to say "###" if they stayed.
"""

from __future__ import annotations

from typing import Any

from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.errors import UserError
from tunedeck.core.models import ModelKind

# What the fine-tuning endpoints read; anything else (a class field, our own metadata) is
# left out of the training file rather than risk a rejected upload.
CHAT_KEYS = ("messages", "tools", "parallel_tool_calls", "functions")
LEGACY_KEYS = ("prompt", "completion")


def exported_record(
    example: Example,
    kind: ModelKind,
    *,
    separator: str | None,
    stop: str | None,
    system_message: str | None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The record to write and the keys that were left out of it.

    Raises:
        UserError: A chat example for a completion model (it has no prompt/completion form).
    """
    record = example.record or {}
    if kind is ModelKind.COMPLETION:
        if example.format is not ExampleFormat.LEGACY:
            raise UserError(
                f"line {example.line or '(new)'}: a chat example cannot train a completion "
                "model; choose a chat model, or export only prompt/completion pairs"
            )
        return _kept(record, LEGACY_KEYS)
    if example.format is ExampleFormat.CHAT:
        return _kept(record, CHAT_KEYS)
    converted = legacy_to_chat(record, separator=separator, stop=stop, system=system_message)
    return converted, tuple(key for key in record if key not in LEGACY_KEYS)


def legacy_to_chat(
    record: dict[str, Any], *, separator: str | None, stop: str | None, system: str | None
) -> dict[str, Any]:
    """{"prompt", "completion"} -> {"messages": [system?, user, assistant]}."""
    prompt = str(record.get("prompt", ""))
    completion = str(record.get("completion", ""))
    if separator and prompt.endswith(separator):
        prompt = prompt[: -len(separator)]
    if stop and completion.endswith(stop):
        completion = completion[: -len(stop)]
    completion = completion.removeprefix(" ")
    messages = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": prompt}, {"role": "assistant", "content": completion}]
    return {"messages": messages}


def _kept(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    kept = {key: value for key, value in record.items() if key in keys}
    return kept, tuple(key for key in record if key not in keys)
