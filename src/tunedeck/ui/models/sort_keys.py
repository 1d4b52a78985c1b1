"""What each column sorts by: plain values read from the session, one key per row.

Keys are computed once per sort (100,000 rows: a list of keys, then one C-level sort), from
the underlying values rather than the display strings: tokens as numbers, statuses in review
order, issues worst-first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tunedeck.core.dataset.example import Example, ExampleFormat
from tunedeck.core.lint.facts import final_assistant_index
from tunedeck.core.session import CurationSession
from tunedeck.core.storage.records import Status
from tunedeck.ui.models.row_cells import NO_REVIEW, content_text
from tunedeck.ui.models.table_columns import TEXT_COLUMNS, Column, cell_paths, turn_index

_LEGACY_ROW = Example(0, {"prompt": "", "completion": ""})
_STATUS_ORDER = {status: rank for rank, status in enumerate(Status)}
_NO_FINDING = 3  # after Severity.INFO's rank: clean rows sort last, worst rows first
# A text sorts by its start: two rows alike in their first 200 characters are next to each
# other either way, and folding and comparing whole replies took a third of a text sort.
_KEY_CHARS = 200


def sort_key(
    session: CurationSession, column: Column, columns: tuple[Column, ...]
) -> Callable[[int], Any]:
    """A function row id -> comparable key for `column` (all keys of a column compare)."""
    # The linter is looked up per call: new settings replace it.
    dataset, reviews = session.dataset, session.reviews
    if column is Column.STATUS:
        return lambda row_id: _STATUS_ORDER[reviews.get(row_id, NO_REVIEW).status]
    if column is Column.TOKENS:
        return lambda row_id: _facts_value(session, row_id, "tokens", -1)
    if column is Column.CLASS:

        def label(row_id: int) -> str:
            manual = reviews.get(row_id, NO_REVIEW).label
            found = manual if manual is not None else _facts_value(session, row_id, "label", None)
            return (found or "").casefold()

        return label
    if column is Column.ISSUES:
        return _issues_key(session)
    assert column in TEXT_COLUMNS

    first_text = next(c for c in columns if c in TEXT_COLUMNS)
    legacy_path = cell_paths(_LEGACY_ROW, (column,)).get(column)

    def text(row_id: int) -> str:
        example = dataset[row_id]
        kind = example.format
        if kind is ExampleFormat.LEGACY:  # the same field on every legacy row
            path = legacy_path
        elif kind is ExampleFormat.INVALID:  # its raw line shows in the first text column
            raw = example.raw or b""
            text = raw.decode("utf-8", errors="replace") if column is first_text else ""
            return text[:_KEY_CHARS].casefold()
        else:  # a chat row: straight to the message, no path to build and parse
            messages = example.messages
            index = turn_index(messages, column, final_assistant_index(messages))
            content = messages[index].get("content") if index is not None else None
            if isinstance(content, str):
                return content[:_KEY_CHARS].casefold()
            path = f"messages[{index}].content" if index is not None else None
        return content_text(example, path)[:_KEY_CHARS].casefold() if path else ""

    return text


def _issues_key(session: CurationSession) -> Callable[[int], tuple[int, int]]:
    """Worst finding first, then more findings first.

    Most rows have no finding: one pass over the linter's list of every finding (kept
    between changes) ranks the rows that have some, instead of running the rules for each of
    100,000 rows (most of a second). Rows added since are asked for their findings.
    """
    linter = session.linter
    ranked: dict[int, tuple[int, int]] = {}
    clean = (_NO_FINDING, 0)
    for diagnostic in linter.diagnostics():
        if diagnostic.row_id is not None:
            worst, fewer = ranked.get(diagnostic.row_id, clean)
            ranked[diagnostic.row_id] = (min(worst, diagnostic.severity.rank), fewer - 1)
    known = frozenset(session.dataset.ids())

    def issues(row_id: int) -> tuple[int, int]:
        found = ranked.get(row_id)
        if found is not None:
            return found
        if row_id in known:
            return clean
        fresh = linter.diagnostics_for(row_id)
        return min((d.severity.rank for d in fresh), default=_NO_FINDING), -len(fresh)

    return issues


def _facts_value(session: CurationSession, row_id: int, name: str, default: Any) -> Any:
    try:
        return getattr(session.linter.facts(row_id), name)
    except KeyError:  # not linted yet
        return default
