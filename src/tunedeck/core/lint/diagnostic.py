"""Findings are data: which rule, which row, which field, what to say, how to fix it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tunedeck.core.dataset.commands import Batch, Command


class Severity(StrEnum):
    ERROR = "error"  # the service would reject the file or silently train on something wrong
    WARNING = "warning"  # very likely hurts the tuned model
    INFO = "info"  # worth knowing

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits keyed by row id and field path, so fixes never shift each other's targets.

    `safe` fixes can be applied in bulk without review: they cannot change what an example means.
    """

    description: str
    edits: tuple[Command, ...]
    safe: bool

    def command(self) -> Command:
        return Batch(self.edits, self.description)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str  # kebab-case name, the stable contract (e.g. "missing-separator")
    code: str  # short stable code (e.g. "TD101")
    severity: Severity
    row_id: int | None  # None for a finding about the dataset as a whole
    field: str | None  # field path within the record, e.g. "messages[2].content"
    message: str
    fix: Fix | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
