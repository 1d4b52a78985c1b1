"""What makes a parsed JSON value usable as a record, and how to say why when it is not."""

from __future__ import annotations

from typing import Any

# Fields whose type the loader itself enforces: every later stage (tokens, lint, export)
# treats them as text. Chat structure is left to lint, which can point at the exact message.
STRING_FIELDS = ("prompt", "completion")

BARE_MESSAGES_HINT = 'looks like a bare list of messages; wrap it as {"messages": [...]}'


class ConstantError(ValueError):
    """A NaN or Infinity literal: Python's json accepts them; JSON and the APIs do not."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not valid JSON")


def reject_constant(name: str) -> Any:
    """A json `parse_constant` hook that refuses NaN, Infinity and -Infinity."""
    raise ConstantError(name)


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type: object, array, string, number, boolean, null."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def check_record(value: Any) -> tuple[str, str | None] | None:
    """Why a parsed value cannot be a record, or None when it can.

    Args:
        value: What json.loads returned for one line or one array element.

    Returns:
        None for a usable record, else (message, field) where field names the offending field
        or is None when the problem is the value as a whole.
    """
    if not isinstance(value, dict):
        kind = json_type(value)
        article = "an" if kind[0] in "aeiou" else "a"
        found = kind if kind == "null" else f"{article} {kind}"
        message = f"expected a JSON object, found {found}"
        if _looks_like_messages(value):
            message += f"; {BARE_MESSAGES_HINT}"
        return message, None
    for name in STRING_FIELDS:
        if name in value and not isinstance(value[name], str):
            return f'field "{name}" must be a string, found {json_type(value[name])}', name
    return None


def _looks_like_messages(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "role" in item for item in value)
    )
