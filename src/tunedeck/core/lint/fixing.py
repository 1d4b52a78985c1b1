"""Applying many fixes at once, as one undoable step."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tunedeck.core.dataset.commands import Batch, Command, DeleteRows
from tunedeck.core.dataset.dataset import Dataset
from tunedeck.core.lint.diagnostic import Diagnostic


@dataclass
class FixOutcome:
    applied: Counter[str]  # rule name -> fixes applied
    undo: Command


def choose(diagnostics: Iterable[Diagnostic], rules: Iterable[str] = ()) -> list[Diagnostic]:
    """The fixable findings to act on: those of the named rules, or else every safe one."""
    wanted = set(rules)
    return [
        d for d in diagnostics if d.fix is not None and (d.rule in wanted if wanted else d.fix.safe)
    ]


def apply_fixes(dataset: Dataset, diagnostics: Iterable[Diagnostic]) -> FixOutcome:
    """Apply the fixes of `diagnostics`; deletions go last so edits never target a gone row.

    Edits are relative (append, prepend, replace) and keyed by row id, so the order among the
    rest does not matter.
    """
    edits: list[tuple[str, Command]] = []
    deletions: dict[int, str] = {}
    for diagnostic in diagnostics:
        assert diagnostic.fix is not None
        for command in diagnostic.fix.edits:
            if isinstance(command, DeleteRows):
                deletions.update(dict.fromkeys(command.row_ids, diagnostic.rule))
            else:
                edits.append((diagnostic.rule, command))
    applied: Counter[str] = Counter()
    inverses: list[Command] = []
    for rule, command in edits:
        if getattr(command, "row_id", None) in deletions:
            continue  # pointless to polish a row that is about to go
        inverses.append(command.apply(dataset))
        applied[rule] += 1
    if deletions:
        inverses.append(DeleteRows(tuple(deletions), "Delete rows").apply(dataset))
        applied.update(deletions.values())
    return FixOutcome(applied, Batch(tuple(reversed(inverses)), "Apply fixes"))
