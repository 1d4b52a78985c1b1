"""One training example, exactly as it was read, plus what the rest of the app derives from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ExampleFormat(StrEnum):
    LEGACY = "legacy"  # {"prompt": ..., "completion": ...}
    CHAT = "chat"  # {"messages": [...]}
    UNKNOWN = "unknown"  # a JSON object that is neither
    INVALID = "invalid"  # a quarantined line: not even a usable JSON object


@dataclass(slots=True, eq=False)
class Example:
    """A record of a dataset file.

    Attributes:
        id: Stable identity, assigned in file order; never reused within a dataset.
        record: The parsed JSON object with every key in its original order, or None when the
            line was quarantined.
        line: 1-based physical line (or spreadsheet row) it came from; None for new examples.
        raw: The original bytes of the line, kept only while they cannot be reproduced by
            serialising `record` in the file's style (and always for quarantined lines).
            Cleared by any edit.
        eol: The line terminator that followed it in the file (b"" for a last line without one).
        prefix: Blank lines that preceded it, so that writing the file back changes nothing.
        error: Why the line was quarantined (None for a good line).
        error_field: The field the error is about, when it is about one.
    """

    id: int
    record: dict[str, Any] | None
    line: int | None = None
    raw: bytes | None = None
    eol: bytes = b"\n"
    prefix: bytes = b""
    error: str | None = None
    error_field: str | None = None
    # Asked for many times per row by the linter; Dataset.set_field forgets it on every edit.
    _format: ExampleFormat | None = field(default=None, init=False, repr=False)

    @property
    def format(self) -> ExampleFormat:
        if self._format is None:
            self._format = _format_of(self.record)
        return self._format

    def forget_derived(self) -> None:
        """Call after changing `record` in place."""
        self._format = None

    @property
    def is_quarantined(self) -> bool:
        return self.record is None

    @property
    def prompt(self) -> str:
        """The legacy prompt ("" when absent or not a string)."""
        value = self.record.get("prompt") if self.record else None
        return value if isinstance(value, str) else ""

    @property
    def completion(self) -> str:
        """The legacy completion ("" when absent or not a string)."""
        value = self.record.get("completion") if self.record else None
        return value if isinstance(value, str) else ""

    @property
    def messages(self) -> list[Any]:
        """The chat messages, or [] when the record has no usable list."""
        value = self.record.get("messages") if self.record else None
        return value if isinstance(value, list) else []


def _format_of(record: dict[str, Any] | None) -> ExampleFormat:
    if record is None:
        return ExampleFormat.INVALID
    if "messages" in record:
        return ExampleFormat.CHAT
    if "prompt" in record or "completion" in record:
        return ExampleFormat.LEGACY
    return ExampleFormat.UNKNOWN
