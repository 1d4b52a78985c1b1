"""Runs every rule once over a dataset, then keeps the findings current one edit at a time.

After the first full pass, an edited row costs one row's worth of work: its own rules, its
token count, and an O(1) update of the dataset-wide indexes (duplicate and conflict groups,
class counts). Rows whose findings the edit may change (the other members of its groups) are
reported back so a view can repaint exactly those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tunedeck.core.collector import building_long_lived
from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint import registry
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.lint.facts import (
    RowFacts,
    compute_facts,
    count_row_and_roles,
    field_label,
)
from tunedeck.core.lint.resolve import resolve
from tunedeck.core.lint.rule import RowRule
from tunedeck.core.lint.settings import LintSettings, ResolvedSettings
from tunedeck.core.lint.tally import Tally
from tunedeck.core.tokens import TokenCounter

Progress = Callable[[int, int], None]  # (rows done, rows in all)
# Rows per Batch during a full pass: one tokenizer call each, and few enough that a batch's
# records may still be in the CPU cache when the rules read them (measured a little faster
# than 2048; the differences are within noise on a shared machine).
_CHUNK = 512
# Below this many rows named by a rule, finding each in the batch's ids costs less than
# building an index of them.
_FEW = 16


@dataclass
class Update:
    """What one edit changed: rows to repaint, and whether dataset findings moved."""

    rows: set[int] = field(default_factory=set)
    dataset_changed: bool = False


class Linter:
    def __init__(
        self,
        dataset: Dataset,
        settings: LintSettings | None = None,
        *,
        resolved: ResolvedSettings | None = None,
    ) -> None:
        self.dataset = dataset
        self.settings = resolved or resolve(dataset, settings or LintSettings())
        self.ctx = LintContext(self.settings, TokenCounter(self.settings.model), dataset)
        self._row_rules = [rule for rule in registry.row_rules() if rule.enabled(self.settings)]
        self._rules_for = {
            kind: [rule for rule in self._row_rules if kind in rule.formats]
            for kind in ExampleFormat
        }
        self._group_rules = registry.group_rules()
        self._dataset_rules = registry.dataset_rules()
        self._all: list[Diagnostic] | None = None  # diagnostics(), until the next change
        self._facts: dict[int, RowFacts] = {}
        self._own: dict[int, list[Diagnostic]] = {}
        self._tally = Tally()
        self._dataset_findings: list[Diagnostic] = []

    # --- full pass -------------------------------------------------------------------------

    def run(self, progress: Progress | None = None) -> None:
        self._all = None
        self._facts.clear()
        self._own.clear()
        self._tally = Tally()
        for rule in self._group_rules:
            rule.reset()
        rows = list(self.dataset)
        with building_long_lived():
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                self._index_batch(Batch(chunk, self.ctx.counter, self.settings))
                if progress:
                    progress(start + min(_CHUNK, len(rows) - start), len(rows))
        self._dataset_findings = self._check_dataset()

    def _index_batch(self, batch: Batch) -> None:
        """_index() for every row of a batch, rule by rule, with each rule's bulk pre-check,
        and without the bookkeeping an edit needs (no row needs repainting before the first
        paint)."""
        self._facts.update(zip(batch.ids, batch.facts, strict=True))
        self._tally.add_many(batch.facts)
        for group_rule in self._group_rules:
            group_rule.add_many(batch.ids, batch.facts)
        position: dict[int, int] | None = None  # built when a rule first names rows
        present = set(batch.formats)
        for rule in self._row_rules:
            if present.isdisjoint(rule.formats):  # the legacy rules in a chat batch
                continue
            ids = rule.candidates(batch, self.ctx)
            if ids is None:  # every row of the rule's formats, picked here in one pass
                formats = rule.formats
                indexes: Iterable[int] = [
                    index for index, kind in enumerate(batch.formats) if kind in formats
                ]
            elif not ids:
                continue
            elif len(ids) < _FEW:  # a few rows (pii's): found in the list, in C
                indexes = map(batch.ids.index, ids)
            else:
                if position is None:
                    position = {row_id: index for index, row_id in enumerate(batch.ids)}
                indexes = map(position.__getitem__, ids)
            for index in indexes:
                example, facts = batch.examples[index], batch.facts[index]
                if facts.format in rule.formats:
                    found = list(rule.check(example, facts, self.ctx))
                    if found:  # most rows are clean: no empty list for each (~5 MB/100,000)
                        self._own.setdefault(example.id, []).extend(found)

    # --- incremental -----------------------------------------------------------------------

    def attach(self, on_update: Callable[[Update], None] | None = None) -> None:
        """Follow the dataset's signals from now on, reporting each update to `on_update`."""

        def report(update: Update) -> None:
            if on_update:
                on_update(update)

        self.dataset.row_added.connect(lambda row_id: report(self.row_added(row_id)))
        self.dataset.row_changed.connect(lambda row_id, _field: report(self.row_changed(row_id)))
        self.dataset.row_removed.connect(lambda example: report(self.row_removed(example.id)))

    def row_changed(self, row_id: int) -> Update:
        update = self._forget(row_id)
        example = self.dataset[row_id]
        update.rows |= self._index(example, *count_row_and_roles(self.ctx.counter, example))
        return self._finish(update)

    def row_added(self, row_id: int) -> Update:
        example = self.dataset[row_id]
        update = Update({row_id})
        update.rows |= self._index(example, *count_row_and_roles(self.ctx.counter, example))
        return self._finish(update)

    def row_removed(self, row_id: int) -> Update:
        update = self._forget(row_id)
        update.rows.discard(row_id)
        return self._finish(update)

    # --- findings --------------------------------------------------------------------------

    def diagnostics_for(self, row_id: int) -> list[Diagnostic]:
        facts = self._facts.get(row_id)
        if facts is None:
            return []
        found = list(self._own.get(row_id, ()))
        for rule in self._group_rules:
            found.extend(rule.check(row_id, facts, self.ctx))
        suppressed = self.settings.options.suppressed.get(row_id)
        if suppressed:
            found = [d for d in found if d.rule not in suppressed]
        return found

    def dataset_diagnostics(self) -> list[Diagnostic]:
        return list(self._dataset_findings)

    def diagnostics(self) -> list[Diagnostic]:
        """Every finding: rows in dataset order, then the dataset-wide ones.

        Kept until the next change, so that a worker can ask right after the first pass and
        the window's slot, asking again, gets the list without the 0.1 s wait (100,000 rows).
        """
        if self._all is None:
            self._all = self._collect()
        return list(self._all)

    def forget_findings(self) -> None:
        """Call after changing the settings' suppressions in place."""
        self._all = None

    def _collect(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        flaggable = self._flaggable_rows()
        for row_id in self.dataset.ids():
            if flaggable is None or row_id in flaggable:
                found.extend(self.diagnostics_for(row_id))
        found.extend(self._dataset_findings)
        return found

    def _flaggable_rows(self) -> set[int] | None:
        """Rows that can have a finding: most have none, and asking each of 100,000 rows
        costs a quarter of a second on the GUI thread after the first pass."""
        rows = set(self._own)
        for rule in self._group_rules:
            grouped = rule.grouped_rows()
            if grouped is None:
                return None
            rows.update(grouped)
        return rows

    def facts(self, row_id: int) -> RowFacts:
        return self._facts[row_id]

    @property
    def tally(self) -> Tally:
        return self._tally

    # --- internals -------------------------------------------------------------------------

    def _index(
        self,
        example: Example,
        tokens: int,
        role_tokens: int | None,
        candidates: dict[RowRule, set[int] | None] | None = None,
    ) -> set[int]:
        settings = self.settings
        facts = compute_facts(
            example,
            tokens,
            classification=settings.classification,
            stop=settings.stop,
            role_tokens=role_tokens,
        )
        if settings.classification and settings.options.class_field:
            facts.label = field_label(example, settings.options.class_field)
        self._facts[example.id] = facts
        self._tally.add(facts)
        own: list[Diagnostic] = []
        row_id = example.id
        for rule in self._rules_for[facts.format]:
            wanted = candidates.get(rule) if candidates else None
            if wanted is None or row_id in wanted:
                own.extend(rule.check(example, facts, self.ctx))
        if own:  # most rows are clean; an empty list each would cost ~5 MB per 100,000
            self._own[example.id] = own
        touched: set[int] = set()
        for rule in self._group_rules:  # inline: this runs for every row of a full pass
            touched.update(rule.add(row_id, facts))
        return touched

    def _forget(self, row_id: int) -> Update:
        facts = self._facts.pop(row_id)
        self._own.pop(row_id, None)
        self._tally.remove(facts)
        touched = _touched(rule.remove(row_id, facts) for rule in self._group_rules)
        return Update(touched | {row_id})

    def _finish(self, update: Update) -> Update:
        self._all = None
        findings = self._check_dataset()
        update.dataset_changed = findings != self._dataset_findings
        self._dataset_findings = findings
        return update

    def _check_dataset(self) -> list[Diagnostic]:
        return [d for rule in self._dataset_rules for d in rule.check(self._tally, self.ctx)]


def _touched(groups: Iterable[Iterable[int]]) -> set[int]:
    """The rows of every group an add or remove reported: their findings may have changed."""
    touched: set[int] = set()
    for group in groups:
        touched.update(group)
    return touched


def lint(
    dataset: Dataset, settings: LintSettings | None = None, progress: Progress | None = None
) -> Linter:
    """Resolve settings, run every rule, and return the linter holding the findings."""
    linter = Linter(dataset, settings)
    linter.run(progress)
    return linter
