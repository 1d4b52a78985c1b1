"""Spreadsheets and tables (CSV, TSV, XLSX, Parquet) read into examples through pandas.

Every cell is read as text, as the user sees it in a spreadsheet; an empty cell in an XLSX or
Parquet file is left out of the record rather than invented. Rows are written as JSON when
exported, so no original bytes are kept for them.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from tunedeck.core.dataset import Dataset, Example, FileLayout
from tunedeck.core.errors import UserError
from tunedeck.core.io.checks import ConstantError, check_record, reject_constant
from tunedeck.core.io.files import reading, reason
from tunedeck.core.io.json_array import read_json_array
from tunedeck.core.io.style import DEFAULT_STYLE, dump

__all__ = ["TABLE_SUFFIXES", "read_json_array", "read_table"]

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".parquet")

_MESSAGES = "messages"
_MISSING = object()


def read_table(
    path: str | os.PathLike[str],
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
) -> Dataset:
    """Read a CSV, TSV, XLSX or Parquet file, one example per row.

    Args:
        path: The file; its suffix decides how it is read.
        mapping: Our field names to the file's column names, e.g. {"prompt": "question"}.
            Columns not mentioned keep their own names, and all columns stay in file order.
        sheet: The XLSX sheet, by name or 0-based position (default: the first). Ignored for
            the other kinds.

    Returns:
        The rows as examples; `line` is the spreadsheet row number (the header is row 1). A
        row whose "messages" cell is not valid JSON is quarantined.

    Raises:
        UserError: The file cannot be read, or a mapped column does not exist.
    """
    path = Path(path)
    frame = _read_frame(path, sheet)
    columns = [str(column) for column in frame.columns]
    keys = _record_keys(path, columns, mapping or {})
    # Messages errors name the column as the user knows it, which a mapping may have renamed.
    messages_column = columns[keys.index(_MESSAGES)] if _MESSAGES in keys else _MESSAGES
    examples = []
    for index, row in enumerate(frame.itertuples(index=False, name=None)):
        record: dict[str, Any] = {}
        for key, value in zip(keys, row, strict=True):
            cell = _cell(value)
            if cell is not _MISSING:
                record[key] = cell
        examples.append(_example(record, index + 1, index + 2, messages_column))
    layout = FileLayout(source=path, separators=DEFAULT_STYLE[0], ensure_ascii=DEFAULT_STYLE[1])
    return Dataset.from_examples(examples, layout)


def _read_frame(path: Path, sheet: str | int | None) -> Any:
    import pandas as pd

    suffix = path.suffix.lower()
    with reading(path):
        try:
            if suffix in (".csv", ".tsv"):
                # keep_default_na=False: an empty cell is an empty string, and a cell saying
                # "NA" or "null" is text, not a missing value.
                return pd.read_csv(
                    path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False
                )
            if suffix == ".xlsx":
                # An empty cell is missing, but a cell saying "NA" is still text.
                return pd.read_excel(
                    path,
                    sheet_name=0 if sheet is None else sheet,
                    dtype=str,
                    keep_default_na=False,
                    na_values=[""],
                )
            if suffix == ".parquet":
                return pd.read_parquet(path)
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            # pandas reports a malformed file, a missing sheet or a wrong encoding this way.
            raise UserError(f"cannot read {path}: {reason(exc)}") from exc
    kinds = ", ".join(TABLE_SUFFIXES)
    raise UserError(f"cannot read {path}: not a table file (supported: {kinds})")


def _record_keys(path: Path, columns: list[str], mapping: dict[str, str]) -> list[str]:
    """The record key for each column: its mapped field name, or its own name."""
    available = ", ".join(f'"{column}"' for column in columns) or "none"
    missing = [
        f'"{column}" (for {field})' for field, column in mapping.items() if column not in columns
    ]
    if missing:
        raise UserError(f"{path} has no column {', '.join(missing)}; its columns are: {available}")
    field_of = {column: field for field, column in mapping.items()}
    if len(field_of) < len(mapping):
        raise UserError(f"{path}: two fields are mapped to the same column: {mapping}")
    keys = [field_of.get(column, column) for column in columns]
    clashes = sorted(key for key, count in Counter(keys).items() if count > 1)
    if clashes:
        raise UserError(
            f"{path}: more than one column would become {', '.join(clashes)}; "
            f"map them differently (its columns are: {available})"
        )
    return keys


def _cell(value: Any) -> Any:
    """A cell as a JSON value: text for scalars, lists and dicts for Parquet nested values."""
    value = _native(value)
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return _MISSING
    if isinstance(value, str | list | dict):
        return value
    return str(value)  # numbers, booleans and dates read as they would show in a sheet


def _native(value: Any) -> Any:
    # numpy arrays and scalars (from Parquet) turn into plain Python through tolist().
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(key): _native(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_native(item) for item in value]
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def _example(record: dict[str, Any], row_id: int, line: int, messages_column: str) -> Example:
    error: str | None = None
    field: str | None = None
    text = record.get(_MESSAGES)
    if isinstance(text, str):
        if not text.strip():
            del record[_MESSAGES]  # an empty cell: a row without messages, for lint to judge
        else:
            try:
                record[_MESSAGES] = json.loads(text, parse_constant=reject_constant)
            except json.JSONDecodeError as exc:
                error = f'column "{messages_column}" is not valid JSON: {exc.msg} at ' + (
                    f"line {exc.lineno} column {exc.colno}"
                    if exc.lineno > 1
                    else f"column {exc.colno}"
                )
            except (ConstantError, ValueError, RecursionError) as exc:
                error = f'column "{messages_column}" is not valid JSON: {exc}'
            if error is not None:
                field = _MESSAGES
    if error is None:
        problem = check_record(record)
        if problem is None:
            return Example(row_id, record, line)
        error, field = problem
    # The row's cells as a JSON line, so that the text can be repaired like a JSONL line.
    raw = dump(record, *DEFAULT_STYLE)
    return Example(row_id, None, line, raw, error=error, error_field=field)
