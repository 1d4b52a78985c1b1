"""What a spot-check asks and expects, which examples it takes, and the way back into the
dataset: a corrected answer becomes a new training example."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tunedeck.core.chat.training_format import TrainingFormat
from tunedeck.core.dataset import Example, ExampleFormat
from tunedeck.core.export.convert import legacy_to_chat
from tunedeck.core.lint.facts import final_assistant_index
from tunedeck.core.stats import StatsSource
from tunedeck.core.stats.source import NO_REVIEW
from tunedeck.core.storage.records import Split, Status


@dataclass(frozen=True)
class CheckItem:
    """One held-out example: what is sent (a prompt, or messages) and the expected answer."""

    row_id: int
    prompt: str | tuple[dict[str, str], ...]
    expected: str

    @property
    def question(self) -> str:
        """The last thing asked, for a table column."""
        if isinstance(self.prompt, str):
            return self.prompt
        users = [m["content"] for m in self.prompt if m.get("role") == "user"]
        return users[-1] if users else ""


def choose_rows(
    source: StatsSource,
    how: str,
    *,
    rows: Iterable[int] | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> list[int]:
    """The examples to check: "validation" (the held-out split), "rows" (a table filter's
    rows), or "sample" (`sample` examples drawn with `seed`). Rejected and unusable examples
    are never checked."""
    usable = [
        example.id
        for example in source.dataset
        if example.format in (ExampleFormat.LEGACY, ExampleFormat.CHAT)
        and source.reviews.get(example.id, NO_REVIEW).status is not Status.REJECTED
    ]
    if how == "validation":
        return [r for r in usable if source.reviews.get(r, NO_REVIEW).split is Split.VALIDATION]
    if how == "rows":
        wanted = set(rows or ())
        return [r for r in usable if r in wanted]
    if how == "sample":
        count = min(sample or 0, len(usable))
        return sorted(random.Random(seed).sample(usable, count), key=usable.index)
    raise ValueError(f"unknown selection {how!r}")


def check_items(source: StatsSource, rows: Sequence[int], fmt: TrainingFormat) -> list[CheckItem]:
    """Each row as the model under test must be asked it, in the format it was trained on."""
    # A chat export converts prompt/completion pairs with the dataset's own separator and
    # stop sequence, and records neither (a chat model has none): take them from the same
    # place, so the model is asked the user turn it was trained on.
    settings = source.linter.settings
    converting = replace(
        fmt, separator=fmt.separator or settings.separator, stop=fmt.stop or settings.stop
    )
    items = []
    for row_id in rows:
        example = source.dataset[row_id]
        legacy_for_chat = example.format is ExampleFormat.LEGACY and not fmt.is_legacy
        item = _item(example, converting if legacy_for_chat else fmt)
        if item is not None:
            items.append(item)
    return items


def _item(example: Example, fmt: TrainingFormat) -> CheckItem | None:
    record = example.record or {}
    if example.format is ExampleFormat.LEGACY:
        if fmt.is_legacy:
            expected = fmt.clean_answer(str(record.get("completion", "")))
            return CheckItem(
                example.id, fmt.completion_prompt(str(record.get("prompt", ""))), expected
            )
        record = legacy_to_chat(
            record, separator=fmt.separator, stop=fmt.stop, system=fmt.system_message
        )
    elif fmt.is_legacy:
        return None  # a chat example has no prompt a completion model could continue
    messages = record.get("messages") or []
    final = final_assistant_index(messages)
    if final is None:
        return None
    asked = tuple({"role": m["role"], "content": m.get("content") or ""} for m in messages[:final])
    return CheckItem(example.id, asked, str(messages[final].get("content") or "").strip())


def new_example(
    dataset_format: ExampleFormat,
    prompt: str | Sequence[dict[str, str]],
    answer: str,
    *,
    separator: str | None = None,
    stop: str | None = None,
) -> dict[str, Any]:
    """A training record teaching `answer` to `prompt`, in the dataset's own format and
    conventions (separator, leading space, stop sequence for legacy pairs)."""
    if dataset_format is ExampleFormat.LEGACY:
        if not isinstance(prompt, str):
            users = [m["content"] for m in prompt if m.get("role") == "user"]
            prompt = users[-1] if users else ""
        if separator and not prompt.endswith(separator):
            prompt += separator
        return {"prompt": prompt, "completion": " " + answer.strip() + (stop or "")}
    if isinstance(prompt, str):
        messages: list[dict[str, str]] = [{"role": "user", "content": prompt}]
    else:
        messages = copy.deepcopy(list(prompt))
    messages.append({"role": "assistant", "content": answer.strip()})
    return {"messages": messages}
