"""What one table row shows, worked out once per version of the row and then looked up.

Qt-free: display strings, the findings that belong to each cell, and the worst severity of
each, from the session's dataset, reviews and linter. The table model keeps these in a cache
that the session's signals invalidate, so data() never walks findings or records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tunedeck.core.dataset.example import Example
from tunedeck.core.dataset.fields import get_field
from tunedeck.core.lint.diagnostic import Diagnostic, Severity
from tunedeck.core.session import CurationSession
from tunedeck.core.storage.records import Review, Status
from tunedeck.ui.models.table_columns import TEXT_COLUMNS, Column, cell_paths, column_of, raw_column
from tunedeck.ui.text_display import display_line

STATUS_WORDS = {
    Status.UNREVIEWED: "unreviewed",  # the word the editor, filter and menus use
    Status.APPROVED: "approved",
    Status.REJECTED: "rejected",
    Status.NEEDS_WORK: "needs work",
}
NO_REVIEW = Review()
_CONTENT_PATH = re.compile(r"messages\[(\d+)\]\.content\Z")
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


@dataclass(slots=True)
class RowCells:
    """Per column (in the table's column order): text, findings, worst severity."""

    texts: list[str]
    findings: list[list[Diagnostic]]
    worst: list[Severity | None]
    paths: dict[Column, str]  # the field each text column shows
    editable: list[bool]  # a text field, edited as text in its cell (not multi-part content)
    quarantined: bool


def build_row_cells(session: CurationSession, row_id: int, columns: Sequence[Column]) -> RowCells:
    example = session.dataset[row_id]
    review = session.reviews.get(row_id, NO_REVIEW)
    quarantined = example.is_quarantined
    paths = {} if quarantined else cell_paths(example, tuple(columns))
    raw_in = raw_column(tuple(columns)) if quarantined else None
    diagnostics = session.linter.diagnostics_for(row_id)
    findings: list[list[Diagnostic]] = [[] for _ in columns]
    place = {column: number for number, column in enumerate(columns)}
    issues = place[Column.ISSUES]
    for diagnostic in diagnostics:
        number = place.get(column_of(diagnostic, paths, raw_in), issues)
        if number != issues:
            findings[number].append(diagnostic)
    findings[issues] = diagnostics  # the Issues cell speaks for the whole row
    texts = []
    for column in columns:
        if column is Column.STATUS:
            texts.append(STATUS_WORDS[review.status])
        elif column is Column.ISSUES:
            texts.append(issues_summary(diagnostics, example.error))
        elif column is raw_in:
            texts.append(_quarantined_text(example))
        elif column in TEXT_COLUMNS:
            path = paths.get(column)
            texts.append(display_line(content_text(example, path)) if path else "")
        elif column is Column.CLASS:
            texts.append(_label(session, row_id, review))
        else:
            texts.append(_tokens(session, row_id, quarantined))
    editable = [
        column in paths and isinstance(_value(example, paths[column]), str | None)
        for column in columns
    ]
    worst = [worst_of(found) for found in findings]
    return RowCells(texts, findings, worst, paths, editable, quarantined)


def content_text(example: Example, path: str) -> str:
    """The text at `path` ("" when absent; text parts joined for multi-part chat content)."""
    value = _value(example, path)
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # [{"type": "text", "text": ...}, {"type": "image_url", ...}]
        return " ".join(part["text"] for part in value if isinstance(part, dict) and "text" in part)
    return "" if value is None else str(value)


def _value(example: Example, path: str) -> Any:
    """The value at `path`, or None when there is none."""
    record = example.record or {}
    # The two shapes every text column uses, without parsing the path each time: sorting by a
    # text column reads one per row.
    if path in record:
        return record[path]
    try:
        turn = _CONTENT_PATH.match(path)
        if turn:
            return record["messages"][int(turn.group(1))].get("content")
        return get_field(record, path)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError):
        return None


def worst_of(diagnostics: Sequence[Diagnostic]) -> Severity | None:
    return min((d.severity for d in diagnostics), key=lambda s: s.rank, default=None)


def issues_summary(diagnostics: Sequence[Diagnostic], error: str | None = None) -> str:
    """ "2 errors, 1 warning"; a quarantined line's error follows, since it is the news."""
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    parts = [
        f"{count} {severity.value if count == 1 else _PLURAL[severity]}"
        for severity, count in counts.items()
        if count
    ]
    summary = ", ".join(parts)
    return f"{summary}: {error}" if error else summary


def _quarantined_text(example: Example) -> str:
    raw = (example.raw or b"").decode("utf-8", errors="replace")
    where = f"line {example.line}" if example.line is not None else "new line"
    return f"{where}: {display_line(raw)}"


def _label(session: CurationSession, row_id: int, review: Review) -> str:
    if review.label is not None:
        return review.label
    try:
        label = session.linter.facts(row_id).label
    except KeyError:  # not linted yet
        return ""
    return display_line(label) if label else ""


def _tokens(session: CurationSession, row_id: int, quarantined: bool) -> str:
    if quarantined:
        return ""
    try:
        tokens = session.linter.facts(row_id).tokens
    except KeyError:
        return ""
    return f"{tokens} / {session.linter.settings.token_limit}"
