"""Each chat role's token lengths, which the linter's pass keeps, equal a plain recount of every
message after the pass and after edits, whatever shape the rows have."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_FILES
from tests.core.stats.conftest import linted, write_jsonl
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.lint import Linter
from tunedeck.core.stats import LintedDataset, length_stats

KNOWN_ROLES = ("system", "user", "assistant", "tool")


def recount(source: LintedDataset) -> dict[str, dict[int, int]]:
    """Each part's tokens per row, every text of every message tokenized on its own."""
    count = source.linter.ctx.counter.count
    parts: dict[str, dict[int, int]] = {}
    for example in source.dataset:
        if example.is_quarantined:
            continue
        parts.setdefault("example", {})[example.id] = source.linter.facts(example.id).tokens
        if "messages" not in example.record:
            parts.setdefault("prompt", {})[example.id] = count(example.prompt)
            parts.setdefault("completion", {})[example.id] = count(example.completion)
            continue
        for message in example.record["messages"]:
            if not isinstance(message, dict) or message.get("role") not in KNOWN_ROLES:
                continue
            tokens = 0
            content = message.get("content")
            if isinstance(content, str):
                tokens += count(content)
            elif isinstance(content, list):
                tokens += sum(count(p["text"]) for p in content if isinstance(p.get("text"), str))
            for key in ("tool_calls", "function_call"):
                if message.get(key) is not None:
                    compact = json.dumps(message[key], ensure_ascii=False, separators=(",", ":"))
                    tokens += count(compact)
            by_row = parts.setdefault(message["role"], {})
            by_row[example.id] = by_row.get(example.id, 0) + tokens
    return parts


def measured(source: LintedDataset) -> dict[str, dict[int, int]]:
    stats = length_stats(source)
    return {
        name: dict(zip(part.row_ids, part.tokens, strict=True))
        for name, part in stats.parts.items()
    }


SYSTEM = {"role": "system", "content": "You answer support tickets politely and briefly."}
ROWS: list[Any] = [
    # The common shape, with a shared system prompt.
    *(
        {
            "messages": [
                SYSTEM,
                {"role": "user", "content": f"Ticket {n}: my invoice is wrong " * (n + 1)},
                {"role": "assistant", "content": f"Sorry about invoice {n}, fixed."},
            ]
        }
        for n in range(6)
    ),
    # Multi-turn: a role's part is the sum of its messages.
    {
        "messages": [
            SYSTEM,
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "first answer"},
            {"role": "user", "content": "a longer second question, with ünïcödé and 日本"},
            {"role": "assistant", "content": "second answer 🙂"},
        ]
    },
    # Empty messages still give the row the part, with 0 tokens.
    {"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}]},
    # A plain tool message (two keys), and one with a tool_call_id.
    {
        "messages": [
            {"role": "user", "content": "weather?"},
            {"role": "tool", "content": "sunny, 21 degrees"},
            {"role": "assistant", "content": "It is sunny."},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "weather?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "w"}}],
            },
            {"role": "tool", "content": "sunny", "tool_call_id": "c1"},
            {"role": "assistant", "content": "Sunny."},
        ]
    },
    # Names, weights, content parts, an unknown role, tools on the row.
    {
        "messages": [
            {"role": "system", "name": "policy", "content": "Be kind."},
            {"role": "user", "name": "ann", "content": [{"type": "text", "text": "parts"}]},
            {"role": "assistant", "content": "draft", "weight": 0},
            {"role": "assistant", "content": "final answer", "weight": 1},
        ]
    },
    {"messages": [{"role": "robot", "content": "beep"}, {"role": "assistant", "content": "ok"}]},
    {
        "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}],
        "tools": [{"type": "function", "function": {"name": "w"}}],
    },
    {"prompt": "A legacy row\n\n###\n\n", "completion": " billing\n"},
    "not json at all",
]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_samples_equal_a_recount(path: Path) -> None:
    source = linted(path)
    assert measured(source) == recount(source)


def test_every_shape_equals_a_recount(tmp_path: Path) -> None:
    source = linted(write_jsonl(tmp_path / "chat.jsonl", ROWS))
    found = measured(source)
    assert found == recount(source)
    assert set(found) >= {"system", "user", "assistant", "tool"}
    assert 0 in found["user"].values()  # the row of empty messages


def test_edits_keep_the_lengths_equal_to_a_recount(tmp_path: Path) -> None:
    source = linted(write_jsonl(tmp_path / "chat.jsonl", ROWS))
    dataset, linter = source.dataset, source.linter
    linter.attach()
    ids = dataset.ids()
    first, multi_turn, empty = ids[0], ids[6], ids[7]  # positions in ROWS
    edits = [
        SetField(first, "messages[1].content", "A much shorter ticket"),
        SetField(first, "messages[1].name", "bob"),  # no longer plain
        SetField(multi_turn, "messages[3].role", "tool"),
        SetField(empty, "messages[0].content", "now it says something"),
    ]
    undo = [edit.apply(dataset) for edit in edits]
    dataset.append(copy.deepcopy(ROWS[0]))
    undo.append(DeleteRows((dataset.ids()[2],)).apply(dataset))
    assert measured(source) == recount(source)
    undo[1].apply(dataset)  # plain again, with its name removed
    assert measured(source) == recount(source)

    fresh = Linter(dataset, resolved=linter.settings)
    fresh.run()
    for example in dataset:
        if not example.is_quarantined:
            assert linter.facts(example.id) == fresh.facts(example.id)


def test_a_row_too_long_to_pack_is_counted(tmp_path: Path) -> None:
    # Over a million tokens: more than one packed field holds, so the statistics count it.
    huge = {"role": "user", "content": " a" * 1_050_000}
    rows = [{"messages": [SYSTEM, huge, {"role": "assistant", "content": "ok"}]}, ROWS[0]]
    source = linted(write_jsonl(tmp_path / "huge.jsonl", rows))
    found = measured(source)
    assert found == recount(source)
    assert max(found["user"].values()) == 1_050_000
