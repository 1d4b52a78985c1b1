"""The dataset table's columns: which exist, which field each shows, which findings land where.

Qt-free, so the mapping from a finding's field path to a cell is tested on its own. A legacy
dataset shows prompt and completion; a chat dataset shows the system message, the last user
turn and the final assistant turn. A row of the other format in the same dataset (which the
mixed-format rule flags) still shows what it can: its prompt as the last user turn, say.
"""

from __future__ import annotations

import re
from enum import Enum

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.lint.facts import final_assistant_index


class Column(Enum):
    STATUS = "Status"
    PROMPT = "Prompt"
    COMPLETION = "Completion"
    SYSTEM = "System"
    LAST_USER = "Last user turn"
    FINAL_ASSISTANT = "Final assistant turn"
    CLASS = "Class"
    TOKENS = "Tokens"
    ISSUES = "Issues"

    # Identity hashing in C: Enum's own __hash__ is Python code, and sorting 100,000 rows by a
    # text column looks columns up a million times. Members are singletons, so it is exact.
    __hash__ = object.__hash__

    @property
    def title(self) -> str:
        return self.value


LEGACY_COLUMNS = (
    Column.STATUS,
    Column.PROMPT,
    Column.COMPLETION,
    Column.CLASS,
    Column.TOKENS,
    Column.ISSUES,
)
CHAT_COLUMNS = (
    Column.STATUS,
    Column.SYSTEM,
    Column.LAST_USER,
    Column.FINAL_ASSISTANT,
    Column.CLASS,
    Column.TOKENS,
    Column.ISSUES,
)
# Which column holds a row's question and which its answer, whatever the row's own format.
_LEGACY_FIELDS = {
    Column.PROMPT: "prompt",
    Column.LAST_USER: "prompt",
    Column.COMPLETION: "completion",
    Column.FINAL_ASSISTANT: "completion",
}
TEXT_COLUMNS = frozenset({Column.SYSTEM, *_LEGACY_FIELDS})

# A rule whose finding is about a derived value rather than the text it names.
_RULE_COLUMNS = {"class-token": Column.CLASS, "token-overflow": Column.TOKENS}
_MESSAGE_PATH = re.compile(r"messages\[(\d+)\]")


def columns_for(formats: dict[ExampleFormat, int]) -> tuple[Column, ...]:
    """Chat columns when chat rows outnumber legacy ones, legacy columns otherwise."""
    chat = formats.get(ExampleFormat.CHAT, 0)
    legacy = formats.get(ExampleFormat.LEGACY, 0)
    return CHAT_COLUMNS if chat > legacy else LEGACY_COLUMNS


def raw_column(columns: tuple[Column, ...]) -> Column:
    """Where a quarantined line's raw text goes: the first text column."""
    return next(column for column in columns if column in TEXT_COLUMNS)


def cell_paths(example: Example, columns: tuple[Column, ...]) -> dict[Column, str]:
    """The field path each text column shows for this row (absent: nothing to show or edit)."""
    kind = example.format
    if kind is ExampleFormat.LEGACY:
        return {column: _LEGACY_FIELDS[column] for column in columns if column in _LEGACY_FIELDS}
    if kind is not ExampleFormat.CHAT:
        return {}
    messages = example.messages
    final = final_assistant_index(messages)
    paths: dict[Column, str] = {}
    for column in columns:
        index = turn_index(messages, column, final)
        if index is not None:
            paths[column] = f"messages[{index}].content"
    return paths


def turn_index(messages: list, column: Column, final: int | None) -> int | None:
    """The message a chat row shows in `column`; `final` is its final_assistant_index()."""
    if column is Column.SYSTEM:
        return _first_role(messages, "system")
    shows = _LEGACY_FIELDS.get(column)
    if shows == "prompt":
        return _last_role(messages, "user", final)
    if shows == "completion":
        return final
    return None


def _first_role(messages: list, role: str) -> int | None:
    for index, message in enumerate(messages):
        if isinstance(message, dict) and message.get("role") == role:
            return index
    return None


def _last_role(messages: list, role: str, before: int | None) -> int | None:
    end = len(messages) if before is None else before
    for index in range(end - 1, -1, -1):
        message = messages[index]
        if isinstance(message, dict) and message.get("role") == role:
            return index
    return None


def column_of(
    diagnostic: Diagnostic, paths: dict[Column, str], quarantined_in: Column | None = None
) -> Column:
    """The cell a finding belongs to; the Issues column when no shown cell is about it.

    Args:
        paths: The row's cell_paths().
        quarantined_in: For a quarantined line, the column showing its raw text: every
            finding about the line is a finding about that text, the only thing to repair.
    """
    if quarantined_in is not None:
        return quarantined_in
    by_rule = _RULE_COLUMNS.get(diagnostic.rule)
    if by_rule is not None:
        return by_rule
    field = diagnostic.field
    if field is None:
        return Column.ISSUES
    for column, path in paths.items():
        if field == path:
            return column
    # "messages[2].role", "messages[2]": about the message that a column may be showing.
    match = _MESSAGE_PATH.match(field)
    if match:
        prefix = match.group()
        for column, path in paths.items():
            if path.startswith(prefix + "."):
                return column
    return Column.ISSUES
