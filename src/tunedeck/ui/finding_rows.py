"""Which rows a filter by finding (rule, severity) keeps, worked out from the linter's list.

Asking the linter for each of 100,000 rows' findings runs every grouped rule per row: half a
second per filter pass. Most rows have no finding, and the linter keeps its list of every
finding between changes, so one pass over that list finds the few rows whose answer differs
from a clean row's. The answer then follows edits: rows an edit re-linted are asked again.
A new linter (new settings) needs a new finder() (the filter bar asks for one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from tunedeck.core.lint import Update
from tunedeck.core.lint.diagnostic import Diagnostic
from tunedeck.core.session import CurationSession

Wanted = Callable[[list[Diagnostic]], bool]  # a row's findings -> whether the row is kept


class FindingRows:
    def __init__(self, session: CurationSession) -> None:
        self._session = session
        self._current: tuple[Wanted, bool, set[int]] | None = None
        # Bound methods are held weakly by core signals: nothing to disconnect.
        session.findings_changed.connect(self._on_findings_changed)

    def finder(self, wanted: Wanted) -> Callable[[int], bool]:
        """Whether `wanted` keeps a row, asked by row id; follows edits until the next call
        or clear()."""
        clean = bool(wanted([]))  # the answer for a row without findings: most rows
        odd = self._odd_rows(wanted, clean)
        self._current = (wanted, clean, odd)
        if clean:
            return lambda row_id: row_id not in odd
        return odd.__contains__

    def _odd_rows(self, wanted: Wanted, clean: bool) -> set[int]:
        """The rows whose answer differs from a clean row's."""
        by_row: dict[int, list[Diagnostic]] = defaultdict(list)
        for diagnostic in self._session.linter.diagnostics():
            if diagnostic.row_id is not None:
                by_row[diagnostic.row_id].append(diagnostic)
        return {row_id for row_id, found in by_row.items() if bool(wanted(found)) != clean}

    @property
    def active(self) -> bool:
        return self._current is not None

    def clear(self) -> None:
        """No filter by finding: nothing to follow."""
        self._current = None

    def _on_findings_changed(self, update: Update) -> None:
        if self._current is None:
            return
        wanted, clean, odd = self._current
        linter, dataset = self._session.linter, self._session.dataset
        for row_id in update.rows:
            if row_id in dataset and bool(wanted(linter.diagnostics_for(row_id))) != clean:
                odd.add(row_id)
            else:
                odd.discard(row_id)
