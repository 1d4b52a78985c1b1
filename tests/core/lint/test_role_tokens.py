"""The per-role token counts the pass keeps for the statistics (RowFacts.role_tokens) stay
what a fresh full pass finds, through any sequence of edits to chat rows."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.dataset.commands import DeleteRows, SetField
from tunedeck.core.lint import Linter, LintSettings

CONVERSATIONS: list[dict[str, Any]] = [
    {
        "messages": [
            {"role": "system", "content": "You sort tickets."},
            {"role": "user", "content": "My card was charged twice"},
            {"role": "assistant", "content": "billing"},
        ]
    },
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}]},
    {"messages": [{"role": "user", "content": "q"}, {"role": "tool", "content": "42"}]},
    {"messages": [{"role": "user", "content": "hi", "name": "ann"}]},
    {"prompt": "Great phone\n\n###\n\n", "completion": " positive\n"},
]
# Edits that keep a row plain, make it another plain shape, or make it not plain at all.
EDITS: list[tuple[str, Any]] = [
    ("messages[0].content", "A new, rather longer message than before"),
    ("messages[0].content", ""),
    ("messages[0].role", "assistant"),
    ("messages[0].role", "tool"),
    ("messages[0].role", "robot"),
    ("messages[0].name", "bob"),
    ("messages[0].content", [{"type": "text", "text": "parts"}]),
]
SETTINGS = LintSettings(model="gpt-4o-mini")

operations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(0, 20), st.integers(0, len(EDITS) - 1)),
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("append"), st.integers(0, len(CONVERSATIONS) - 1)),
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(st.sampled_from(CONVERSATIONS), min_size=1, max_size=6), ops=operations)
def test_role_tokens_after_edits_equal_a_fresh_pass(initial: list[dict], ops: list[tuple]) -> None:
    dataset = Dataset.from_examples(
        Example(id=row_id, record=copy.deepcopy(record))
        for row_id, record in enumerate(initial, start=1)
    )
    linter = Linter(dataset, SETTINGS)
    linter.run()
    linter.attach()
    for op in ops:
        ids = dataset.ids()
        if op[0] == "set" and ids:
            row_id = ids[op[1] % len(ids)]
            field, value = EDITS[op[2]]
            if "messages" in dataset[row_id].record:
                SetField(row_id, field, value).apply(dataset)
        elif op[0] == "delete" and ids:
            DeleteRows((ids[op[1] % len(ids)],)).apply(dataset)
        elif op[0] == "append":
            dataset.append(copy.deepcopy(CONVERSATIONS[op[1]]))

    fresh = Linter(dataset, resolved=linter.settings)
    fresh.run()
    for row_id in dataset.ids():
        assert linter.facts(row_id).role_tokens == fresh.facts(row_id).role_tokens
        assert linter.facts(row_id) == fresh.facts(row_id)
