"""JSON Lines, read and written back byte for byte.

Reading never raises on content and never drops a line: a line that is not a usable record is
quarantined with its exact bytes and the reason. Blank lines, terminators, a byte-order mark
and the file's JSON style are kept, so writing an unedited dataset reproduces the file exactly.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tunedeck.core.dataset import Dataset, Example, FileLayout
from tunedeck.core.io.atomic import atomic_write
from tunedeck.core.io.checks import ConstantError, check_record, reject_constant
from tunedeck.core.io.files import reading, writing
from tunedeck.core.io.strings import SharedStrings
from tunedeck.core.io.style import StyleDetector, dump

MAX_LINE_BYTES = 16 * 1024 * 1024

Line = tuple[bytes, bytes, bytes]  # (blank lines before it, content, terminator)

BOM = b"\xef\xbb\xbf"
_LF = b"\n"
_CRLF = b"\r\n"
_EMPTY = b""
_BLANK = b" \t\r"  # JSON whitespace that can sit inside a line

_READ_BUFFER = 1 << 18


def read_jsonl(
    path: str | os.PathLike[str],
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
    keep_raw: bool = False,
) -> Dataset:
    """Read a JSONL file one line at a time.

    Args:
        path: The file to read.
        max_line_bytes: Lines longer than this are quarantined without being parsed.
        keep_raw: Keep every line's original bytes, even those its record reproduces (an
            import into a project stores them; in memory they would double the size).

    Returns:
        Every non-blank line as an Example, in file order, with the file's layout.

    Raises:
        UserError: The file cannot be opened or read.
    """
    path = Path(path)
    # A large buffer: with the default 8 KiB, the reader gives up the GIL on every small read
    # and, in a worker thread, keeps retaking it ahead of the waiting GUI thread (stalls of
    # 150 ms and more while importing 100,000 lines).
    with reading(path), path.open("rb", buffering=_READ_BUFFER) as stream:
        return _parse_lines(stream, source=path, max_line_bytes=max_line_bytes, keep_raw=keep_raw)


def parse_jsonl(
    data: bytes, *, source: Path | None = None, max_line_bytes: int = MAX_LINE_BYTES
) -> Dataset:
    """Parse JSONL held in memory, exactly as read_jsonl would parse it from a file.

    Args:
        data: The file's content.
        source: Recorded as the layout's source.
        max_line_bytes: Lines longer than this are quarantined without being parsed.

    Returns:
        Every non-blank line as an Example, in order, with the content's layout.
    """
    return _parse_lines(io.BytesIO(data), source=source, max_line_bytes=max_line_bytes)


def parse_line(
    raw: bytes,
    line: int | None,
    row_id: int,
    layout: FileLayout,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Example:
    """Parse one line's bytes, for instance the repaired text of a quarantined line.

    Args:
        raw: The line without its terminator.
        line: The physical line number to record.
        row_id: The id to give the example.
        layout: The dataset's layout; decides whether `raw` must be kept to write it back. A
            valid record spread over several lines is kept only as its record, so that it is
            written back as one line.
        max_line_bytes: Lines longer than this are quarantined without being parsed.

    Returns:
        The example, with eol set to the layout's newline and no prefix; a caller replacing an
        existing row should carry that row's eol and prefix over.
    """

    def droppable(record: Any, data: bytes, _text: str) -> bool:
        # A valid record pasted over several lines must be written back on one.
        return _LF in data or dump(record, layout.separators, layout.ensure_ascii) == data

    return _parse_content(raw, line, row_id, max_line_bytes, droppable, eol=layout.newline)


def serialize(example: Example, layout: FileLayout) -> bytes:
    """The bytes of one example's line, without terminator.

    Args:
        example: The example to write.
        layout: Supplies the JSON style for records whose original bytes were not kept.

    Returns:
        The original bytes when kept, else the record as JSON in the file's style.

    Raises:
        ValueError: The example has neither a record nor original bytes.
    """
    if example.raw is not None:
        return example.raw
    if example.record is None:
        raise ValueError(f"row {example.id} has neither a record nor its original bytes")
    return dump(example.record, layout.separators, layout.ensure_ascii)


def write_jsonl(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Write a dataset atomically, one line at a time.

    Args:
        dataset: What to write; an unedited dataset is written back exactly as it was read.
        path: The file to create or replace.

    Raises:
        UserError: The file cannot be written; any existing file is left as it was.
    """
    path = Path(path)
    with writing(path), atomic_write(path) as stream:
        for chunk in _chunks(dataset):
            stream.write(chunk)


def dump_jsonl(dataset: Dataset) -> bytes:
    """The bytes write_jsonl would write, in memory."""
    return _EMPTY.join(_chunks(dataset))


# --- reading -------------------------------------------------------------------------------


def _parse_lines(
    lines: Iterable[bytes], *, source: Path | None, max_line_bytes: int, keep_raw: bool = False
) -> Dataset:
    layout = FileLayout(source=source)
    detector = StyleDetector()

    def droppable(record: Any, data: bytes, text: str) -> bool:
        # Asked even when keeping every line, because asking is how the style is learnt.
        return detector.reproduces(record, data, text) and not keep_raw

    strings = SharedStrings()
    examples: list[Example] = []
    terminators: Counter[bytes] = Counter()
    blank = bytearray()  # blank lines waiting for the next example
    for number, physical in enumerate(lines, start=1):
        if number == 1 and physical.startswith(BOM):
            layout.bom = True
            physical = physical[len(BOM) :]
        content, eol = _split_terminator(physical)
        terminators[eol] += 1
        if not content.strip(_BLANK):
            blank += physical
            continue
        example = _parse_content(
            content, number, len(examples) + 1, max_line_bytes, droppable, eol=eol
        )
        if example.record is not None:
            example.record = strings.share(example.record)
        if blank:
            example.prefix = bytes(blank)
            blank.clear()
        examples.append(example)
    layout.trailing = bytes(blank)
    layout.newline = _CRLF if terminators[_CRLF] > terminators[_LF] else _LF
    layout.separators, layout.ensure_ascii = detector.style
    return Dataset.from_examples(examples, layout)


def _split_terminator(physical: bytes) -> tuple[bytes, bytes]:
    # Only \n ends a line; \r counts as part of the terminator just before it. The constants
    # are shared so that a million rows do not hold a million copies of b"\n".
    if physical.endswith(_CRLF):
        return physical[:-2], _CRLF
    if physical.endswith(_LF):
        return physical[:-1], _LF
    return physical, _EMPTY


def _parse_content(
    content: bytes,
    line: int | None,
    row_id: int,
    max_line_bytes: int,
    droppable: Callable[[Any, bytes, str], bool],
    *,
    eol: bytes,
) -> Example:
    """One line's Example; `droppable` says whether a good line's bytes need not be kept."""
    record, text, error, field = _decode(content, max_line_bytes)
    if record is None:
        return Example(row_id, None, line, content, eol, error=error, error_field=field)
    try:
        keep = not droppable(record, content, text)
    except RecursionError:
        keep = True
    return Example(row_id, record, line, content if keep else None, eol)


def _decode(
    content: bytes, max_line_bytes: int
) -> tuple[dict[str, Any] | None, str, str | None, str | None]:
    """(record, text, error, error_field): a record and its text, or None and the reason."""
    if len(content) > max_line_bytes:
        return None, "", f"line is {len(content)} bytes, over the {max_line_bytes}-byte limit", None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, "", f"invalid UTF-8 at byte {exc.start + 1}", None
    nul = text.find("\0")
    if nul >= 0:
        return None, text, f"contains a NUL byte at column {nul + 1}", None
    try:
        value = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        return None, text, f"not valid JSON: {exc.msg} at column {exc.colno}", None
    except ConstantError as exc:
        return None, text, str(exc), None
    except ValueError as exc:  # valid JSON Python refuses, e.g. an integer of 5000 digits
        return None, text, f"cannot be read: {exc}", None
    except RecursionError:
        return None, text, "cannot be read: nested too deeply", None
    problem = check_record(value)
    if problem is not None:
        return None, text, problem[0], problem[1]
    return value, text, None, None


# --- writing -------------------------------------------------------------------------------


def _chunks(dataset: Dataset) -> Iterator[bytes]:
    layout = dataset.layout
    lines = ((ex.prefix, serialize(ex, layout), ex.eol) for ex in dataset)
    return file_chunks(layout, lines)


def file_chunks(layout: FileLayout, lines: Iterable[Line]) -> Iterator[bytes]:
    """The bytes of a JSONL file made of `lines`, in the layout's style.

    Args:
        layout: Supplies the byte-order mark, the newline for lines that lacked one, and the
            blank lines after the last record.
        lines: (blank lines before it, content, terminator) for each line, in order.

    Yields:
        Chunks to write one after the other.
    """
    if layout.bom:
        yield BOM
    previous_eol: bytes | None = None
    for prefix, content, eol in lines:
        if previous_eol is not None:
            # A line that had no terminator (it was last) must gain one once rows follow it,
            # or the two lines would merge.
            yield previous_eol or layout.newline
        if prefix:
            yield prefix
        yield content
        previous_eol = eol
    if previous_eol is not None:
        yield previous_eol or (layout.newline if layout.trailing else _EMPTY)
    if layout.trailing:
        yield layout.trailing
