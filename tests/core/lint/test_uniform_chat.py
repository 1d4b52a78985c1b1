"""A batch whose rows all have one plain shape takes the column-at-a-time path
(uniform_chat.py); it must find exactly what linting the rows one at a time finds, and so must
a batch that one odd row keeps off that path."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.lint.row_by_row import assert_full_pass_equals_row_by_row
from tunedeck.core.lint import Linter, LintSettings
from tunedeck.core.lint.batch import Batch

SYSTEM = {"role": "system", "content": "You sort tickets."}
USERS = [
    "My card was charged twice",
    "Reach me at jane@example.com",
    "  ",
    "",
    "Call +44 20 7946 0958",
]
ANSWERS = ["billing", " MeanOfTransportation", "refund", "", " \n"]
# One row unlike the others: each keeps the whole batch off the uniform path.
ODD_ROWS: list[dict[str, Any]] = [
    {
        "messages": [
            SYSTEM,
            {"content": USERS[0], "role": "user"},
            {"role": "assistant", "content": "billing"},
        ]
    },
    {
        "messages": [
            SYSTEM,
            {"role": "user", "content": USERS[0]},
            {"role": "assistant", "content": "refund", "weight": 0},
        ]
    },
    {
        "messages": [
            SYSTEM,
            {"role": "user", "content": USERS[0]},
            {"role": "assistant", "content": None},
        ]
    },
    {
        "messages": [
            SYSTEM,
            {"role": "user", "content": USERS[0]},
            {"role": "robot", "content": "beep"},
        ]
    },
    {"messages": [SYSTEM, {"role": "user", "content": USERS[0]}, "a string"]},
    {
        "messages": [
            {"role": "user", "content": USERS[0]},
            {"role": "assistant", "content": "billing"},
        ]
    },
    {
        "messages": [
            SYSTEM,
            {"role": "user", "content": USERS[0]},
            {"role": "assistant", "content": "billing"},
        ],
        "tools": [],
    },
    {"messages": []},
    {"prompt": "Great phone\n\n###\n\n", "completion": " positive\n"},
]
SETTINGS = LintSettings(model="gpt-4o-mini", classification=True, min_examples=3)


def plain_row(user: str, answer: str) -> dict[str, Any]:
    return {
        "messages": [
            SYSTEM,
            {"role": "user", "content": user},
            {"role": "assistant", "content": answer},
        ]
    }


plain_rows = st.builds(plain_row, st.sampled_from(USERS), st.sampled_from(ANSWERS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(plain_rows, min_size=1, max_size=12))
def test_a_uniform_batch_finds_what_row_by_row_finds(rows: list[dict[str, Any]]) -> None:
    linter = assert_full_pass_equals_row_by_row(rows, SETTINGS)
    batch = Batch(list(linter.dataset), linter.ctx.counter, linter.settings)
    assert batch.shape == ("system", "user", "assistant")  # the uniform path did run


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(plain_rows, min_size=1, max_size=10),
    odd=st.sampled_from(ODD_ROWS),
    where=st.integers(0, 10),
)
def test_one_odd_row_keeps_the_batch_exact(
    rows: list[dict[str, Any]], odd: dict, where: int
) -> None:
    rows.insert(where % (len(rows) + 1), odd)
    linter = assert_full_pass_equals_row_by_row(rows, SETTINGS)
    batch = Batch(list(linter.dataset), linter.ctx.counter, linter.settings)
    assert batch.shape is None


def rules_of(linter: Linter, row_id: int) -> set[str]:
    return {d.rule for d in linter.diagnostics_for(row_id)}


def test_a_copy_in_a_uniform_batch_is_a_duplicate() -> None:
    linter = assert_full_pass_equals_row_by_row(
        [
            plain_row(USERS[0], "billing"),
            plain_row(USERS[0], "refund"),
            plain_row(USERS[0], "billing"),
        ],
        SETTINGS,
    )
    assert "duplicate" in rules_of(linter, 3)
    assert "conflicting-completion" in rules_of(linter, 2)


def test_a_message_with_its_keys_the_other_way_round_is_another_message() -> None:
    # As before: the same conversation written with "content" before "role" is not a copy.
    linter = assert_full_pass_equals_row_by_row(
        [plain_row(USERS[0], "billing"), ODD_ROWS[0]], SETTINGS
    )
    assert "duplicate" not in rules_of(linter, 2)


def test_a_plain_row_and_a_weighted_answer_to_the_same_prompt_conflict() -> None:
    # The prompt keys of a plain row and of a row that is not plain (its answer has a weight)
    # are worked out on different paths; the same prompt must still give the same key.
    linter = assert_full_pass_equals_row_by_row(
        [plain_row(USERS[0], "billing"), plain_row(USERS[1], "billing"), ODD_ROWS[1]], SETTINGS
    )
    assert "conflicting-completion" in rules_of(linter, 1)
    assert "conflicting-completion" in rules_of(linter, 3)
