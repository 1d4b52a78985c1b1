"""Addressing one field of a record by a path such as ``prompt`` or ``messages[2].content``.

Fixes and diagnostics name fields this way, never by column position, so that two fixes to the
same row cannot shift each other's targets.
"""

from __future__ import annotations

import re
from typing import Any

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """Split ``messages[2].content`` into ``["messages", 2, "content"]``."""
    steps: list[str | int] = []
    position = 0
    for part in path.split("."):
        for match in _STEP.finditer(part):
            name, index = match.groups()
            steps.append(name if name is not None else int(index))
        position += len(part) + 1
    if not steps or message_path(steps) != path:
        raise ValueError(f"not a field path: {path!r}")
    return steps


def message_path(steps: list[str | int]) -> str:
    """Inverse of parse_path."""
    text = ""
    for step in steps:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else step
    return text


def get_field(record: dict[str, Any], path: str) -> Any:
    """The value at `path`; KeyError/IndexError/TypeError when it does not exist."""
    value: Any = record
    for step in parse_path(path):
        value = value[step]
    return value


_MISSING = object()


def set_field(record: dict[str, Any], path: str, value: Any) -> Any:
    """Set the value at `path`, returning the previous one (or MISSING when there was none).

    Setting MISSING removes the key, which is how an undo takes back an added key.
    """
    steps = parse_path(path)
    parent: Any = record
    for step in steps[:-1]:
        parent = parent[step]
    last = steps[-1]
    if isinstance(last, int):
        old = parent[last]
        parent[last] = value
        return old
    old = parent.get(last, _MISSING)
    if value is _MISSING:
        parent.pop(last, None)
    else:
        parent[last] = value
    return old


MISSING = _MISSING
