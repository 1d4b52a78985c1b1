"""An ordered collection of examples that announces every change."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from tunedeck.core.dataset import fields
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.signals import Signal

_ID = attrgetter("id")
_KNOWN_FORMAT = attrgetter("_format")  # None until Example.format is first asked


@dataclass(slots=True)
class FileLayout:
    """What a faithful write-back needs to know about the file beyond its records."""

    newline: bytes = b"\n"  # the terminator most lines used; new lines get this one
    bom: bool = False  # the file started with a UTF-8 byte-order mark
    trailing: bytes = b""  # blank lines after the last record
    ensure_ascii: bool = False  # the file escaped non-ASCII characters (\u00e9)
    separators: tuple[str, str] = (", ", ": ")  # json.dumps separators matching the file
    source: Path | None = None


@dataclass(eq=False)
class Dataset:
    """Examples in file order, keyed by their stable id.

    Every mutation goes through a method here and emits a signal, so linters, statistics and
    views can keep their indexes up to date without rescanning.
    """

    row_added = Signal(int)  # id
    row_removed = Signal(object)  # the removed Example
    row_changed = Signal(int, str)  # id, field path ("" when the whole record changed)
    rows_appended = Signal(object)  # ids (a list in file order) that extend() put at the end

    layout: FileLayout = field(default_factory=FileLayout)
    _rows: dict[int, Example] = field(default_factory=dict, repr=False)
    _next_id: int = 1
    # Row id -> index in file order, built on demand and dropped by any change of the order:
    # after a many-row undo, each of its row_added listeners asks where a row is.
    _positions: dict[int, int] | None = field(default=None, repr=False)

    @classmethod
    def from_examples(
        cls, examples: Iterable[Example], layout: FileLayout | None = None
    ) -> Dataset:
        dataset = cls(layout=layout or FileLayout())
        for example in examples:
            dataset._rows[example.id] = example
            dataset._next_id = max(dataset._next_id, example.id + 1)
        return dataset

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Example]:
        return iter(self._rows.values())

    def __contains__(self, row_id: object) -> bool:
        return row_id in self._rows

    def __getitem__(self, row_id: int) -> Example:
        return self._rows[row_id]

    def ids(self) -> list[int]:
        return list(self._rows)

    def position(self, row_id: int) -> int:
        """The row's index in file order (O(1) until the order next changes)."""
        if self._positions is None:
            self._positions = {row_id: index for index, row_id in enumerate(self._rows)}
        return self._positions[row_id]

    def formats(self) -> set[ExampleFormat]:
        return set(self.format_counts())

    def format_counts(self) -> Counter[ExampleFormat]:
        """How many rows have each format. Formats already worked out are read straight from
        the rows, in one C-level pass: the table asks on the GUI thread, at 100,000 rows."""
        rows = self._rows.values()
        counts = Counter(map(_KNOWN_FORMAT, rows))
        if counts.pop(None, 0):
            counts.update(example.format for example in rows if example._format is None)
        return counts

    def let_go(self) -> None:
        """Empty the dataset a row at a time, announcing nothing: for a worker thread done
        with a dataset that nothing else holds (an import's, once stored). Dropped at once,
        100,000 rows free millions of objects in one C call that holds the GIL for about
        0.1 s and stalls the window; row by row, the GIL can pass to the window between them.
        """
        self._positions = None
        rows = self._rows
        while rows:
            rows.popitem()

    def new_id(self) -> int:
        row_id = self._next_id
        self._next_id += 1
        return row_id

    # --- mutations -------------------------------------------------------------------------

    def append(self, record: dict[str, Any]) -> Example:
        example = Example(id=self.new_id(), record=record, eol=self.layout.newline)
        self._rows[example.id] = example
        if self._positions is not None:
            self._positions[example.id] = len(self._rows) - 1
        self.row_added.emit(example.id)
        return example

    def extend(self, rows: dict[int, Example]) -> None:
        """Put rows read from the store (by id, in file order) after the last row: the rest
        of a dataset opened page by page. One rows_appended for them all, not a row_added
        each: nothing about these rows is new to the store, and one reaction to 100,000
        rows beats 100,000 reactions. A dict, built off the GUI thread: merging one into
        another reuses its hashes, 2 ms here against 14 ms for (id, row) pairs.
        """
        if not rows:
            return
        if not self._rows.keys().isdisjoint(rows):
            taken = next(row_id for row_id in rows if row_id in self._rows)
            raise ValueError(f"row {taken} is already in the dataset")
        self._rows.update(rows)
        added = list(rows)
        self._next_id = max(self._next_id, max(added) + 1)
        self._positions = None
        self.rows_appended.emit(added)

    def insert(self, example: Example, before: int | None = None) -> None:
        """Put `example` back (an undo of a delete keeps its id and its place)."""
        if example.id in self._rows:
            raise ValueError(f"row {example.id} is already in the dataset")
        self._next_id = max(self._next_id, example.id + 1)
        self._positions = None
        if before is None or before not in self._rows:
            self._rows[example.id] = example
        else:
            # Dicts cannot insert in the middle; rebuilding is O(n) but only undo does this.
            rows: dict[int, Example] = {}
            for row_id, row in self._rows.items():
                if row_id == before:
                    rows[example.id] = example
                rows[row_id] = row
            self._rows = rows
        self.row_added.emit(example.id)

    def insert_many(self, rows: Iterable[tuple[Example, int | None]]) -> None:
        """Put many rows back at once, each before the row that followed it (None: at the end),
        as remove() returned them; one rebuild of the order however many rows come back."""
        rows = list(rows)
        if not rows:
            return
        before: dict[int | None, list[Example]] = {}
        for example, following in rows:
            if example.id in self._rows:
                raise ValueError(f"row {example.id} is already in the dataset")
            key = following if following in self._rows else None
            before.setdefault(key, []).append(example)
        rebuilt: dict[int, Example] = {}
        for row_id, row in self._rows.items():
            for example in before.get(row_id, ()):
                rebuilt[example.id] = example
            rebuilt[row_id] = row
        for example in before.get(None, ()):
            rebuilt[example.id] = example
        self._rows = rebuilt
        self._positions = None
        self._next_id = max(self._next_id, *(example.id + 1 for example, _ in rows))
        # In file order, so that whoever mirrors the order has every earlier row already.
        back = {example.id for example, _ in rows}
        for row_id in [row_id for row_id in rebuilt if row_id in back]:
            self.row_added.emit(row_id)

    def remove(self, row_ids: Iterable[int]) -> list[tuple[Example, int | None]]:
        """Remove rows; returns each with the id of the row that followed it (for undo).

        One pass over the dataset whatever the number of rows, so "delete all duplicates"
        stays linear.
        """
        doomed = set(row_ids)
        missing = doomed - self._rows.keys()
        if missing:
            raise KeyError(f"no such rows: {sorted(missing)}")
        removed: list[tuple[Example, int | None]] = []
        waiting: list[Example] = []
        for row_id, example in self._rows.items():
            if row_id in doomed:
                waiting.append(example)
                continue
            removed.extend((gone, row_id) for gone in waiting)
            waiting.clear()
        removed.extend((gone, None) for gone in waiting)
        self._positions = None
        for example, _ in removed:
            del self._rows[example.id]
            self.row_removed.emit(example)
        return removed

    def set_field(self, row_id: int, path: str, value: Any) -> Any:
        """Set one field of a row's record; returns the old value (fields.MISSING if new)."""
        example = self._rows[row_id]
        if example.record is None:
            raise ValueError(f"row {row_id} is a quarantined line; repair its text instead")
        old = fields.set_field(example.record, path, value)
        example.raw = None  # the original bytes no longer describe the record
        example.forget_derived()
        self.row_changed.emit(row_id, path)
        return old

    def replace(self, row_id: int, replacement: Example) -> Example:
        """Swap a row's content for another parsed line (repairing a quarantined line)."""
        old = self._rows[row_id]
        replacement.id = row_id
        # The repaired text takes the old line's place in the file: same line, surroundings.
        replacement.line, replacement.prefix, replacement.eol = old.line, old.prefix, old.eol
        self._rows[row_id] = replacement
        self.row_changed.emit(row_id, "")
        return old

    def snapshot(self, row_id: int) -> Example:
        """A deep copy of a row, for undo and for comparing before and after."""
        return copy.deepcopy(self._rows[row_id])
