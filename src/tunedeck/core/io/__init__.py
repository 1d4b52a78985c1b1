"""Reading datasets from files and writing them back without losing a byte.

pandas is imported only when a table is actually read, so importing this package is cheap.
"""

from __future__ import annotations

import os
from pathlib import Path

from tunedeck.core.dataset import Dataset
from tunedeck.core.errors import UserError
from tunedeck.core.io.atomic import atomic_write
from tunedeck.core.io.json_array import NotAJsonArrayError, read_json_array
from tunedeck.core.io.jsonl import (
    MAX_LINE_BYTES,
    Line,
    dump_jsonl,
    file_chunks,
    parse_jsonl,
    parse_line,
    read_jsonl,
    serialize,
    write_jsonl,
)
from tunedeck.core.io.tabular import TABLE_SUFFIXES, read_table

__all__ = [
    "JSONL_SUFFIXES",
    "MAX_LINE_BYTES",
    "SUPPORTED_SUFFIXES",
    "TABLE_SUFFIXES",
    "Line",
    "atomic_write",
    "dump_jsonl",
    "file_chunks",
    "load",
    "parse_jsonl",
    "parse_line",
    "read_json_array",
    "read_jsonl",
    "read_table",
    "serialize",
    "write_jsonl",
]

JSONL_SUFFIXES = (".jsonl", ".jsonlines", ".ndjson")
SUPPORTED_SUFFIXES = (*JSONL_SUFFIXES, ".json", *TABLE_SUFFIXES)


def load(
    path: str | os.PathLike[str],
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | int | None = None,
    keep_raw: bool = False,
) -> Dataset:
    """Read a dataset file of any supported kind, chosen by its suffix.

    Args:
        path: The file to read.
        mapping: For tables: our field names to the file's column names.
        sheet: For XLSX: the sheet to read, by name or 0-based position.
        keep_raw: For JSON Lines: keep every line's original bytes (see read_jsonl).

    Returns:
        The dataset. A .json file holding one array is read element by element; any other
        .json file is read as JSON Lines.

    Raises:
        UserError: The file is missing or unreadable, of an unsupported kind, or (for tables)
            lacks a mapped column.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, keep_raw=keep_raw)
    if suffix == ".json":
        try:
            return read_json_array(path)
        except NotAJsonArrayError:
            return read_jsonl(path, keep_raw=keep_raw)
    if suffix in TABLE_SUFFIXES:
        return read_table(path, mapping=mapping, sheet=sheet)
    kinds = ", ".join(SUPPORTED_SUFFIXES)
    raise UserError(
        f"cannot read {path}: unsupported file kind {suffix or '(no suffix)'!r}; supported: {kinds}"
    )
