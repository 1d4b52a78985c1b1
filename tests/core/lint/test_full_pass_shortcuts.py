"""A full pass, with its bulk pre-checks and plain-row shortcuts, finds exactly what linting the
same rows one at a time finds, whatever shape the rows have."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.lint.row_by_row import assert_full_pass_equals_row_by_row
from tunedeck.core.lint import LintSettings

MESSAGES: list[Any] = [
    {"role": "system", "content": "You sort tickets."},
    {"role": "user", "content": "My card was charged twice"},
    {"role": "user", "content": "Reach me at jane@example.com"},
    {"role": "user", "content": "Call +44 20 7946 0958"},
    {"content": "My card was charged twice", "role": "user"},  # same message, keys swapped
    {"role": "assistant", "content": "billing"},
    {"role": "assistant", "content": " MeanOfTransportation"},
    {"role": "assistant", "content": "refund"},
    {"content": "billing", "role": "assistant"},
    {"role": "assistant", "content": ""},
    {"role": "assistant", "content": " \n"},
    {"role": "user", "content": "   "},
    {"role": "assistant", "content": "billing", "weight": 0},
    {"role": "assistant", "content": "billing", "weight": 2},
    {"role": "user", "content": "hi", "weight": 1},
    {"role": "user", "content": "hi", "name": "jane"},
    {"role": "user", "content": "hi", "extra": True},
    {"role": "robot", "content": "beep"},
    {"role": 7, "content": "beep"},
    {"role": ["user"], "content": "beep"},
    {"role": "user"},
    {"content": "no role"},
    {"role": "user", "content": None},
    {"role": "user", "content": 42},
    {"role": "user", "content": [{"type": "text", "text": "a picture"}]},
    {"role": "user", "content": ["not a part"]},
    {"role": "assistant", "content": None, "tool_calls": [{"id": "1", "type": "function"}]},
    {"role": "tool", "content": "42", "tool_call_id": "1"},
    {},
    "a string",
    ["a", "list"],
    None,
    3,
]

conversations = st.one_of(
    st.lists(st.sampled_from(range(len(MESSAGES))), max_size=5).map(
        lambda picks: {"messages": [copy.deepcopy(MESSAGES[pick]) for pick in picks]}
    ),
    st.sampled_from(
        [
            {"messages": [MESSAGES[0], MESSAGES[1], MESSAGES[5]]},  # the common, clean shape
            {"messages": [MESSAGES[1], MESSAGES[5]], "tools": [{"type": "function"}]},
            {"messages": [MESSAGES[1], MESSAGES[5]], "tools": "not a list"},
            {"messages": "not a list"},
            {"messages": {"role": "user"}},
            {"messages": []},
            {"text": "neither format"},
            {"prompt": "Great phone\n\n###\n\n", "completion": " positive\n"},
            {"prompt": "", "completion": " \n"},
            {"completion": " positive\n"},
        ]
    ),
)
SETTINGS = LintSettings(model="gpt-4o-mini", classification=True, min_examples=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(conversations, max_size=12))
def test_full_pass_equals_row_by_row(records: list[dict]) -> None:
    assert_full_pass_equals_row_by_row(records, SETTINGS)
