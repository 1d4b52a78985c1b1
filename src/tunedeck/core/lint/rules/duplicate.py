from __future__ import annotations

from collections.abc import Iterable, Sequence

from tunedeck.core.dataset.commands import DeleteRows
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.rule import GroupRule


class Duplicate(GroupRule):
    """An example identical to an earlier one.

    ## What it flags
    Every later copy of an example (same prompt and completion, or the same messages and
    tools), naming the first copy.

    ## Why it matters
    Copies add cost and no new information, and they quietly weight the model towards the
    duplicated answer. In a train/validation split they also leak answers into the validation
    set.

    ## Example
    Lines 12 and 40 both read `{"prompt": "2+2=", "completion": " 4"}`: line 40 is flagged.

    ## Fix
    Deletes the later copies. Safe: the first copy stays, so nothing is lost.

    ## Options
    None.
    """

    code = "TD501"
    name = "duplicate"
    severity = Severity.WARNING
    summary = "Identical to an earlier example"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        # Most rows have no copy: a key maps to the sole row's id, and only to a set (and a
        # remembered first row) once shared. Sets for 100,000 singletons would cost ~20 MB.
        self._groups: dict[int, int | set[int]] = {}
        self._first: dict[int, int] = {}

    def add(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key = facts.content_key
        if key is None:
            return ()
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = row_id
            return ()
        if isinstance(group, int):
            group = self._groups[key] = {group, row_id}
            self._first[key] = min(group)
        else:
            group.add(row_id)
            self._first[key] = min(self._first[key], row_id)
        return group

    def add_many(self, row_ids: Sequence[int], facts: Sequence[RowFacts]) -> None:
        # add() inlined for the common case, a row with no copy so far: a full pass adds every
        # row of the dataset.
        groups = self._groups
        for row_id, row_facts in zip(row_ids, facts, strict=True):
            key = row_facts.content_key
            if key is not None and key not in groups:
                groups[key] = row_id
            else:
                self.add(row_id, row_facts)

    def remove(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        key = facts.content_key
        group = self._groups.get(key) if key is not None else None
        if group is None:
            return ()
        if isinstance(group, int):
            if group == row_id:
                del self._groups[key]
            return ()
        group.discard(row_id)
        if len(group) == 1:
            (sole,) = group
            self._groups[key] = sole
            del self._first[key]
            return (sole,)
        if self._first[key] == row_id:
            self._first[key] = min(group)
        return group

    def grouped_rows(self) -> Iterable[int]:
        groups = self._groups.values()
        return (row_id for group in groups if isinstance(group, set) for row_id in group)

    def check(self, row_id: int, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        key = facts.content_key
        if key is None or not isinstance(self._groups.get(key), set):
            return
        first = self._first[key]
        if first == row_id:
            return
        fix = Fix(
            "Delete this copy",
            (DeleteRows((row_id,), description="Delete duplicate"),),
            safe=True,
        )
        yield self.make(
            row_id,
            None,
            f"duplicate of {ctx.where(first)}",
            fix=fix,
            data={"first_row": first, "first_line": ctx.dataset[first].line},
        )
