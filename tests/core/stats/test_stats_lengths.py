"""Token lengths per part, against the tokenizer asked directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_FILES
from tests.core.stats.conftest import linted, write_jsonl
from tunedeck.core.lint import LintSettings
from tunedeck.core.stats import LintedDataset, length_stats
from tunedeck.core.stats.histogram import Distribution, nice_width
from tunedeck.core.storage import Review, Status


def expected_parts(source: LintedDataset) -> dict[str, dict[int, int]]:
    """Each part's tokens per row, every text tokenized on its own."""
    count = source.linter.ctx.counter.count
    parts: dict[str, dict[int, int]] = {"example": {}}
    for example in source.dataset:
        if example.is_quarantined:
            continue
        parts["example"][example.id] = source.linter.facts(example.id).tokens
        if "messages" not in example.record:
            parts.setdefault("prompt", {})[example.id] = count(example.prompt)
            parts.setdefault("completion", {})[example.id] = count(example.completion)
            continue
        for message in example.record["messages"]:
            content = message.get("content")
            texts = [content] if isinstance(content, str) else [p["text"] for p in content]
            if "tool_calls" in message:
                texts.append(json.dumps(message["tool_calls"], separators=(",", ":")))
            by_row = parts.setdefault(message["role"], {})
            by_row[example.id] = by_row.get(example.id, 0) + sum(map(count, texts))
    return parts


def measured_parts(source: LintedDataset) -> dict[str, dict[int, int]]:
    stats = length_stats(source)
    return {
        name: dict(zip(part.row_ids, part.tokens, strict=True))
        for name, part in stats.parts.items()
    }


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_sample_parts_equal_direct_counts(path: Path) -> None:
    source = linted(path)
    assert measured_parts(source) == expected_parts(source)


CHAT_ROWS = [
    # The shared system prompt and the answers are few distinct texts; the user's are many.
    *(
        {
            "messages": [
                {"role": "system", "content": "You sort tickets into classes."},
                {"role": "user", "content": f"ticket {n}: " + "word " * n},
                {"role": "assistant", "content": "billing" if n % 2 else "technical"},
            ]
        }
        for n in range(12)
    ),
    # A row whose system prompt is its longest part.
    {
        "messages": [
            {"role": "system", "content": "Be brief. " * 40},
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello"},
        ]
    },
    # Multi-turn, no system prompt.
    {
        "messages": [
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "first answer"},
            {"role": "user", "content": "second, longer question about the same thing"},
            {"role": "assistant", "content": "second answer"},
        ]
    },
    # Not plain: a name, content parts, a tool call.
    {
        "messages": [
            {"role": "user", "name": "ann", "content": [{"type": "text", "text": "parts"}]},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "1", "type": "function"}]},
            {"role": "tool", "content": "result"},
            {"role": "assistant", "content": "done"},
        ]
    },
    "not json at all",
]


def test_chat_roles_with_and_without_the_shortcut(tmp_path: Path) -> None:
    source = linted(write_jsonl(tmp_path / "chat.jsonl", CHAT_ROWS))
    measured = measured_parts(source)
    assert measured == expected_parts(source)
    assert set(measured) == {"example", "system", "user", "assistant", "tool"}
    assert len(measured["example"]) == len(CHAT_ROWS) - 1  # not the quarantined line
    assert len(measured["system"]) == 13  # only rows with a system prompt


def test_rejected_rows_are_left_out(tmp_path: Path) -> None:
    source = linted(write_jsonl(tmp_path / "chat.jsonl", CHAT_ROWS))
    first, second = source.dataset.ids()[:2]
    source.reviews = {first: Review(status=Status.REJECTED)}
    assert first not in length_stats(source).example.row_ids
    assert second in length_stats(source).example.row_ids
    assert length_stats(source, rows=[second, first]).example.row_ids == (second,)


def test_limit_longest_and_quantiles(tmp_path: Path) -> None:
    path = next(p for p in SAMPLE_FILES if "dbpedia" in p.name)
    source = linted(path, LintSettings(model="davinci-002", token_limit=60))
    stats = length_stats(source)
    tokens = {e.id: source.linter.facts(e.id).tokens for e in source.dataset}
    example = stats.example
    assert stats.token_limit == 60 == example.limit
    assert example.over_limit == sum(n > 60 for n in tokens.values()) > 0
    by_length = sorted(tokens.items(), key=lambda item: (-item[1], item[0]))
    assert stats.longest(5) == by_length[:5]
    ordered = sorted(tokens.values())
    assert example.quantile(0.5) == ordered[len(ordered) // 2 - 1]  # 200 rows: rank 100
    assert example.quantile(1.0) == example.maximum == ordered[-1]
    assert example.minimum == ordered[0]


@pytest.mark.parametrize("values", [[0], [5, 5, 5], [1, 2, 3, 50, 999], list(range(0, 4000, 7))])
def test_histogram_bins_cover_every_value(values: list[int]) -> None:
    part = Distribution("example", tuple(range(len(values))), tuple(values), limit=100)
    histogram = part.histogram(bins=20)
    width = histogram.width
    assert width in {nice_width(max(values) + 1, 20)} and str(width).strip("0") in "125"
    assert len(histogram.edges) == len(histogram.counts) + 1 <= 21
    assert histogram.edges[0] == 0 and histogram.edges[-1] > max(values)
    for low, high, n in zip(histogram.edges, histogram.edges[1:], histogram.counts, strict=False):
        assert n == sum(low <= v < high for v in values)
    assert histogram.over_limit == sum(v > 100 for v in values)


def test_an_empty_selection_has_an_empty_example_part(tmp_path: Path) -> None:
    source = linted(write_jsonl(tmp_path / "chat.jsonl", CHAT_ROWS))
    stats = length_stats(source, rows=[])
    assert list(stats.parts) == ["example"] and len(stats.example) == 0
    assert stats.example.histogram().counts == (0,) and stats.longest() == []
