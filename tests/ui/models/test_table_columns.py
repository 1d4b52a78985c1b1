"""Which columns a dataset gets, and which cell each finding belongs to."""

from __future__ import annotations

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.ui.models.table_columns import (
    CHAT_COLUMNS,
    LEGACY_COLUMNS,
    Column,
    cell_paths,
    column_of,
    columns_for,
)

CHAT = Example(
    1,
    {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello"},
            {"role": "user", "content": "Bye"},
            {"role": "assistant", "content": "Goodbye"},
        ]
    },
)
LEGACY = Example(2, {"prompt": "Q\n\n###\n\n", "completion": " A\n"})


def _finding(field: str | None, rule: str = "some-rule") -> Diagnostic:
    return Diagnostic(rule, "TD999", Severity.WARNING, 1, field, "message")


def test_the_majority_format_chooses_the_columns():
    assert columns_for({ExampleFormat.CHAT: 3, ExampleFormat.LEGACY: 1}) == CHAT_COLUMNS
    assert columns_for({ExampleFormat.LEGACY: 3, ExampleFormat.INVALID: 5}) == LEGACY_COLUMNS


def test_chat_columns_show_the_system_last_user_and_final_assistant_turns():
    assert cell_paths(CHAT, CHAT_COLUMNS) == {
        Column.SYSTEM: "messages[0].content",
        Column.LAST_USER: "messages[3].content",
        Column.FINAL_ASSISTANT: "messages[4].content",
    }


def test_a_row_of_the_other_format_still_shows_its_question_and_answer():
    assert cell_paths(LEGACY, CHAT_COLUMNS) == {
        Column.LAST_USER: "prompt",
        Column.FINAL_ASSISTANT: "completion",
    }
    assert cell_paths(CHAT, LEGACY_COLUMNS) == {
        Column.PROMPT: "messages[3].content",
        Column.COMPLETION: "messages[4].content",
    }


def test_findings_land_on_the_cell_they_are_about():
    paths = cell_paths(CHAT, CHAT_COLUMNS)
    assert column_of(_finding("messages[0].content"), paths) is Column.SYSTEM
    assert column_of(_finding("messages[3].role"), paths) is Column.LAST_USER
    assert column_of(_finding("messages[1].content"), paths) is Column.ISSUES  # not shown
    assert column_of(_finding(None), paths) is Column.ISSUES
    assert column_of(_finding("messages[4].content", "class-token"), paths) is Column.CLASS
    assert column_of(_finding(None, "token-overflow"), paths) is Column.TOKENS


def test_every_finding_of_a_quarantined_line_is_about_its_raw_text():
    assert column_of(_finding(None, "invalid-record"), {}, Column.PROMPT) is Column.PROMPT
