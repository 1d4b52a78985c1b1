"""A .json file holding one array of records, read with the line each record starts on."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import NoReturn

from tunedeck.core.dataset import Dataset, Example, FileLayout
from tunedeck.core.errors import UserError
from tunedeck.core.io.checks import ConstantError, check_record, reject_constant
from tunedeck.core.io.files import reading

_BOM = "\ufeff"
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_STRICT = json.JSONDecoder(parse_constant=reject_constant)
_LENIENT = json.JSONDecoder()  # only to find where a NaN-bearing element ends


class NotAJsonArrayError(UserError):
    """The file does not hold a single JSON array (it may well be JSON Lines)."""


def read_json_array(path: str | os.PathLike[str]) -> Dataset:
    """Read a file holding one JSON array of objects.

    Args:
        path: The file to read.

    Returns:
        One example per element, `line` being the physical line the element starts on.
        Elements that are not usable records are quarantined with their text.

    Raises:
        NotAJsonArrayError: The content does not start with "[", or goes on after the array
            closes (as JSON Lines whose first line is an array do).
        UserError: The file cannot be read, or the array is malformed; the message names the
            file and the line.
    """
    path = Path(path)
    with reading(path):
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{path}, line {line}: invalid UTF-8") from exc
    text = text.removeprefix(_BOM)
    return Dataset.from_examples(_ArrayReader(path, text).examples(), FileLayout(source=path))


class _ArrayReader:
    def __init__(self, path: Path, text: str) -> None:
        self._path = path
        self._text = text
        # Lines are counted incrementally; counting from the start for every element would be
        # quadratic on a large array.
        self._counted_to = 0
        self._line = 1
        self._end = 0  # where the element just decoded ends

    def examples(self) -> list[Example]:
        text = self._text
        pos = self._skip(0)
        if not text.startswith("[", pos):
            raise NotAJsonArrayError(f"{self._path}, line {self._line_at(pos)}: not a JSON array")
        examples: list[Example] = []
        pos = self._skip(pos + 1)
        if text.startswith("]", pos):
            return self._finish(pos + 1, examples)
        while True:
            examples.append(self._element(pos, len(examples) + 1))
            pos = self._skip(self._end)
            if text.startswith(",", pos):
                pos = self._skip(pos + 1)
            elif text.startswith("]", pos):
                return self._finish(pos + 1, examples)
            else:
                self._fail(pos, 'expected "," or "]" after an element')

    def _element(self, pos: int, row_id: int) -> Example:
        line = self._line_at(pos)
        try:
            value, self._end = _STRICT.raw_decode(self._text, pos)
        except ConstantError as exc:
            try:
                _, self._end = _LENIENT.raw_decode(self._text, pos)
            except ValueError:
                self._fail(pos, str(exc))
            return self._quarantined(row_id, line, pos, str(exc), None)
        except json.JSONDecodeError as exc:
            self._fail(exc.pos, f"not valid JSON: {exc.msg}")
        except (ValueError, RecursionError) as exc:
            self._fail(pos, f"not valid JSON: {exc}")
        problem = check_record(value)
        if problem is None:
            return Example(row_id, value, line)
        return self._quarantined(row_id, line, pos, *problem)

    def _quarantined(
        self, row_id: int, line: int, pos: int, error: str, field: str | None
    ) -> Example:
        raw = self._text[pos : self._end].encode("utf-8")
        return Example(row_id, None, line, raw, error=error, error_field=field)

    def _finish(self, pos: int, examples: list[Example]) -> list[Example]:
        pos = self._skip(pos)
        if pos < len(self._text):
            raise NotAJsonArrayError(
                f"{self._path}, line {self._line_at(pos)}: more content after the array ends"
            )
        return examples

    def _skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self._text, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def _line_at(self, pos: int) -> int:
        if pos < self._counted_to:  # only errors look back
            return self._text.count("\n", 0, pos) + 1
        self._line += self._text.count("\n", self._counted_to, pos)
        self._counted_to = pos
        return self._line

    def _fail(self, pos: int, message: str) -> NoReturn:
        line = self._line_at(pos)
        column = pos - (self._text.rfind("\n", 0, pos) + 1) + 1
        raise UserError(f"{self._path}, line {line}: {message} at column {column}")
