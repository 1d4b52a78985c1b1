"""Reversible edits, shared by what a user types and what a lint fix does.

Each command names its rows by id and its fields by path, never by position, so a batch of
fixes applies the same whatever order it runs in. `apply` returns the command that undoes it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Protocol

from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.dataset.example import Example
from tunedeck.core.dataset.fields import MISSING, get_field


class Command(Protocol):
    description: str

    def apply(self, dataset: Dataset) -> Command:
        """Carry the edit out and return its inverse."""
        ...


@dataclass(frozen=True)
class SetField:
    """Set one field; setting MISSING removes the key."""

    row_id: int
    field: str
    value: Any
    description: str = "Edit field"

    def apply(self, dataset: Dataset) -> Command:
        raw_before = dataset[self.row_id].raw
        value = self.value if self.value is MISSING else copy.deepcopy(self.value)
        old = dataset.set_field(self.row_id, self.field, value)
        return _RestoreField(self.row_id, self.field, old, raw_before, self.description)


@dataclass(frozen=True)
class _RestoreField:
    """Undo of SetField: the old value back and, with it, the original bytes of the line."""

    row_id: int
    field: str
    value: Any
    raw: bytes | None
    description: str

    def apply(self, dataset: Dataset) -> Command:
        redo = SetField(self.row_id, self.field, self.value, self.description).apply(dataset)
        dataset[self.row_id].raw = self.raw
        return redo


@dataclass(frozen=True)
class EditText:
    """Add text before and/or after the current value of a text field.

    Relative rather than absolute, so that two fixes to one field (a leading space and a stop
    sequence on the same completion) both survive whichever runs first.
    """

    row_id: int
    field: str
    prefix: str = ""
    suffix: str = ""
    description: str = "Edit text"

    def apply(self, dataset: Dataset) -> Command:
        current = _current_text(dataset, self.row_id, self.field)
        value = self.prefix + current + self.suffix
        return SetField(self.row_id, self.field, value, self.description).apply(dataset)


@dataclass(frozen=True)
class ReplaceText:
    """Replace every occurrence of `old` in a text field (redacting a secret, say)."""

    row_id: int
    field: str
    old: str
    new: str
    description: str = "Replace text"

    def apply(self, dataset: Dataset) -> Command:
        current = _current_text(dataset, self.row_id, self.field)
        value = current.replace(self.old, self.new)
        return SetField(self.row_id, self.field, value, self.description).apply(dataset)


def _current_text(dataset: Dataset, row_id: int, path: str) -> str:
    record = dataset[row_id].record
    value = get_field(record, path) if record is not None else None
    if not isinstance(value, str):
        raise ValueError(f"row {row_id} field {path} is not text")
    return value


@dataclass(frozen=True)
class DeleteRows:
    row_ids: tuple[int, ...]
    description: str = "Delete rows"

    def apply(self, dataset: Dataset) -> Command:
        removed = dataset.remove(self.row_ids)
        return _RestoreRows(tuple(removed), self.description)


@dataclass(frozen=True)
class _RestoreRows:
    rows: tuple[tuple[Example, int | None], ...]
    description: str

    def apply(self, dataset: Dataset) -> Command:
        dataset.insert_many(self.rows)
        return DeleteRows(tuple(example.id for example, _ in self.rows), self.description)


@dataclass(frozen=True)
class Batch:
    """Several commands as one undo step (a "fix all")."""

    commands: tuple[Command, ...]
    description: str = "Apply fixes"

    def apply(self, dataset: Dataset) -> Command:
        inverses = [command.apply(dataset) for command in self.commands]
        return Batch(tuple(reversed(inverses)), self.description)


__all__ = [
    "MISSING",
    "Batch",
    "Command",
    "DeleteRows",
    "EditText",
    "ReplaceText",
    "SetField",
]
