"""The three shapes of rule: per row, per group of rows, and per dataset.

Each rule is one module under ``rules/`` with a class that names itself (a stable code and a
kebab-case name) and a docstring written for a dataset author under fixed headings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.batch import Batch
from tunedeck.core.lint.context import LintContext
from tunedeck.core.lint.diagnostic import Diagnostic, Fix, Severity
from tunedeck.core.lint.facts import RowFacts
from tunedeck.core.lint.settings import ResolvedSettings

DOC_HEADINGS = ("## What it flags", "## Why it matters", "## Example", "## Fix", "## Options")


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line, for lists and the Explain view

    def make(
        self,
        row_id: int | None,
        field: str | None,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            rule=self.name,
            code=self.code,
            severity=severity or self.severity,
            row_id=row_id,
            field=field,
            message=message,
            fix=fix,
            data=dict(data) if data else {},
        )


class RowRule(Rule):
    """Looks at one row at a time."""

    # The linter calls a rule only for rows of these formats, and only when enabled() says the
    # dataset's settings give it something to check: per row, every skipped call counts.
    formats: ClassVar[frozenset[ExampleFormat]] = frozenset(
        {ExampleFormat.LEGACY, ExampleFormat.CHAT}
    )

    def enabled(self, settings: ResolvedSettings) -> bool:
        return True

    def candidates(self, batch: Batch, ctx: LintContext) -> set[int] | None:
        """Before a full pass checks `batch`: the ids of the rows check() could flag, or None
        for "any of them".

        A cheap bulk test (a comprehension, one regex over the batch, the shapes the batch
        worked out) lets the linter skip the check() call for the clean majority; check()
        stays the authority. The incremental hypothesis tests, which compare edits (no
        candidates) with full passes, keep the two honest.
        """
        return None

    def check(self, example: Example, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        raise NotImplementedError


class GroupRule(Rule):
    """Relates rows to each other through an index kept up to date row by row."""

    def reset(self) -> None:
        raise NotImplementedError

    def add(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        """Index a row; return the other rows whose findings this may change."""
        raise NotImplementedError

    def add_many(self, row_ids: Sequence[int], facts: Sequence[RowFacts]) -> None:
        """add() for each row, in order, where nobody needs to know which rows it touched."""
        add = self.add
        for row_id, row_facts in zip(row_ids, facts, strict=True):
            add(row_id, row_facts)

    def remove(self, row_id: int, facts: RowFacts) -> Iterable[int]:
        """Forget a row; return the other rows whose findings this may change."""
        raise NotImplementedError

    def check(self, row_id: int, facts: RowFacts, ctx: LintContext) -> Iterable[Diagnostic]:
        raise NotImplementedError

    def grouped_rows(self) -> Iterable[int] | None:
        """Every row that shares a group with another, the only ones check() can flag; None
        when the rule cannot tell (then every row is checked)."""
        return None


class DatasetRule(Rule):
    """Judges the dataset as a whole from counts the linter maintains."""

    def check(self, stats: Any, ctx: LintContext) -> Iterable[Diagnostic]:
        raise NotImplementedError
