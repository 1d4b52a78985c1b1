"""Class balance of a curation session, kept current one edit at a time.

Each counted example (see selection.py) sits in one cell: its class, its split and its
review status. The balance remembers each row's cell, so an edit moves one row from its old
cell to its new one: the cost of an update is the number of rows the session names, never
the size of the dataset. Only new settings (relinted) recount.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tunedeck.core.collector import paused as collector_paused
from tunedeck.core.dataset import Example
from tunedeck.core.lint import Update, registry
from tunedeck.core.session import CurationSession
from tunedeck.core.signals import Signal
from tunedeck.core.stats.selection import USABLE_FORMATS, is_counted
from tunedeck.core.stats.source import NO_REVIEW, StatsSource, chosen_rows
from tunedeck.core.storage.records import Split, Status

# (class or None, split, status): where one counted row sits. None: a usable example of a
# classification dataset without a class (no final answer, no class field).
Cell = tuple[str | None, Split, Status]


@dataclass(frozen=True, slots=True)
class ClassCounts:
    """One class: its counted examples by (split, status), and how the model sees its name."""

    label: str
    cells: Mapping[tuple[Split, Status], int]  # only non-zero cells
    tokens: tuple[str, ...]  # the label as the model reads it, with its leading space
    multi_token: bool  # class-token would flag it

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def count(self, split: Split | None = None, status: Status | None = None) -> int:
        """Examples in `split` with `status` (None: any)."""
        return sum(
            n
            for (in_split, with_status), n in self.cells.items()
            if split in (None, in_split) and status in (None, with_status)
        )


@dataclass(frozen=True, slots=True)
class Imbalance:
    """Largest over smallest class, over the counted examples. (The class-imbalance finding
    counts every example with a class, rejected ones too, so it can differ from this.)"""

    ratio: float  # largest class total / smallest class total
    largest: str
    smallest: str
    threshold: float  # the class-imbalance setting
    exceeded: bool  # ratio > threshold, as class-imbalance judges it


@collector_paused
def count_cells(source: StatsSource) -> Counter[Cell]:
    """Every counted row's cell, counted from scratch (the recount the balance avoids)."""
    if not source.linter.settings.classification:
        return Counter()
    rows = chosen_rows(source)
    return Counter(
        [(f.label, r.split, r.status) for f, r in zip(rows.facts, rows.reviews, strict=True)]
    )


class ClassBalance:
    """Per-class counts of a session's counted examples, following its every change.

    Build it after the session's first lint pass (or it stays empty until the session emits
    relinted()). Signals:
        changed(): counts changed; emitted synchronously once per update that moved a row,
            and after every recount. A view should coalesce repaints (a single-shot timer):
            deleting 500 rows emits 500 times.
    """

    changed = Signal()

    def __init__(self, session: CurationSession) -> None:
        self._session = session
        self._rows: dict[int, Cell] = {}
        self._cells: Counter[Cell] = Counter()
        self._totals: Counter[str | None] = Counter()
        self.recount()
        session.findings_changed.connect(self._on_findings_changed)
        session.reviewed.connect(self._on_reviewed)
        session.relinted.connect(self._on_relinted)
        # The linter's Update leaves a deleted row out (nothing to repaint), so deletions
        # are taken from the dataset itself.
        session.dataset.row_removed.connect(self._on_row_removed)

    def close(self) -> None:
        """Stop following the session."""
        session = self._session
        session.findings_changed.disconnect(self._on_findings_changed)
        session.reviewed.disconnect(self._on_reviewed)
        session.relinted.disconnect(self._on_relinted)
        session.dataset.row_removed.disconnect(self._on_row_removed)

    # --- reading -----------------------------------------------------------------------

    @property
    def classification(self) -> bool:
        """False: the dataset has no classes, and the balance none to show."""
        return self._session.linter.settings.classification

    @property
    def min_per_class(self) -> int:
        return self._session.linter.settings.options.min_per_class

    @property
    def imbalance_threshold(self) -> float:
        return self._session.linter.settings.options.imbalance_ratio

    def labels(self) -> list[str]:
        """Classes, largest first (ties by name)."""
        totals = self._totals
        named = [label for label in totals if label is not None]
        return sorted(named, key=lambda label: (-totals[label], label))

    def classes(self) -> list[ClassCounts]:
        """Every class with its counts, largest first: one bar each."""
        by_label: dict[str, dict[tuple[Split, Status], int]] = {}
        for (label, split, status), n in self._cells.items():
            if label is not None:
                by_label.setdefault(label, {})[split, status] = n
        tokens_of = self._session.linter.ctx.label_tokens
        flagged = self._flags_multi_token()
        return [
            ClassCounts(
                label,
                by_label[label],
                tuple(tokens_of(label)),
                flagged and len(tokens_of(label)) > 1,
            )
            for label in self.labels()
        ]

    def count(
        self, label: str | None, split: Split | None = None, status: Status | None = None
    ) -> int:
        """Counted examples of class `label` (None: those without a class) in `split` with
        `status` (None: any)."""
        if split is None and status is None:
            return self._totals[label]
        return sum(
            n
            for (in_class, in_split, with_status), n in self._cells.items()
            if in_class == label and split in (None, in_split) and status in (None, with_status)
        )

    @property
    def unlabelled(self) -> int:
        """Counted examples with no class (no final answer, class field missing)."""
        return self._totals[None]

    @property
    def has_split(self) -> bool:
        """Some counted example is assigned to train or validation."""
        return any(split is not Split.UNASSIGNED for _label, split, _status in self._cells)

    def below_minimum(self) -> list[str]:
        """Classes with fewer examples than min_per_class, smallest first (ties by name)."""
        minimum, totals = self.min_per_class, self._totals
        small = [label for label in totals if label is not None and totals[label] < minimum]
        return sorted(small, key=lambda label: (totals[label], label))

    def imbalance(self) -> Imbalance | None:
        """Largest over smallest class; None with fewer than two classes."""
        labels = self.labels()
        if len(labels) < 2:
            return None
        # Smallest: fewest examples, ties by name, as class-imbalance breaks them.
        largest = labels[0]
        smallest = min(labels, key=lambda label: (self._totals[label], label))
        ratio = self._totals[largest] / self._totals[smallest]
        threshold = self.imbalance_threshold
        return Imbalance(ratio, largest, smallest, threshold, ratio > threshold)

    def multi_token(self) -> list[str]:
        """Classes the model reads as more than one token (class-token's verdict)."""
        return [c.label for c in self.classes() if c.multi_token]

    def cells(self) -> Counter[Cell]:
        """A copy of every non-empty cell, for comparing with count_cells()."""
        return +self._cells

    # --- following the session -----------------------------------------------------------

    @collector_paused
    def recount(self) -> None:
        self._rows.clear()
        self._cells.clear()
        self._totals.clear()
        if self.classification:
            rows = chosen_rows(self._session)
            for example, facts, review in zip(rows.examples, rows.facts, rows.reviews, strict=True):
                self._put(example.id, (facts.label, review.split, review.status))
        self.changed.emit()

    def _on_findings_changed(self, update: Update) -> None:
        self._update(update.rows)

    def _on_reviewed(self, row_ids: frozenset[int]) -> None:
        self._update(row_ids)

    def _on_row_removed(self, example: Example) -> None:
        self._update((example.id,))

    def _on_relinted(self) -> None:
        # A new linter (new settings: another class field, classification switched) or the
        # end of its first pass: every label may have changed.
        self.recount()

    def _update(self, row_ids: Iterable[int]) -> None:
        # A split moves most rows at once: the counters are adjusted by the batch, each
        # Counter built in one C-level pass, rather than incremented row by row.
        rows, cell_of = self._rows, self._cell_reader()
        taken: list[Cell] = []
        put: list[Cell] = []
        for row_id in row_ids:
            cell = cell_of(row_id)
            old = rows.get(row_id)
            if cell == old:
                continue
            if old is not None:
                taken.append(old)
                del rows[row_id]
            if cell is not None:
                put.append(cell)
                rows[row_id] = cell
        if not (taken or put):
            return
        self._cells.update(put)
        self._totals.update(cell[0] for cell in put)
        # In-place subtraction also drops the keys that reach zero, so that iterating the
        # cells visits only occupied ones.
        self._cells -= Counter(taken)
        self._totals -= Counter(cell[0] for cell in taken)
        self.changed.emit()

    def _cell_reader(self) -> Callable[[int], Cell | None]:
        """A row's cell (None: not counted), with the session's current state looked up
        once per batch rather than once per row."""
        session = self._session
        linter = session.linter  # looked up per batch: new settings replace it
        if not linter.settings.classification:
            return lambda _row_id: None
        dataset, reviews, facts = session.dataset, session.reviews, linter.facts

        def cell_of(row_id: int) -> Cell | None:
            if row_id not in dataset:
                return None
            review = reviews.get(row_id, NO_REVIEW)
            if not is_counted(review) or dataset[row_id].format not in USABLE_FORMATS:
                return None
            try:
                label = facts(row_id).label
            except KeyError:  # a new linter before its first pass
                return None
            return label, review.split, review.status

        return cell_of

    def _put(self, row_id: int, cell: Cell) -> None:
        self._rows[row_id] = cell
        self._cells[cell] += 1
        self._totals[cell[0]] += 1

    def _flags_multi_token(self) -> bool:
        return registry.rule_named("class-token")().enabled(self._session.linter.settings)
