"""The json.dumps style a JSONL file was written in, learnt from its own lines.

Knowing the style lets the reader drop a line's original bytes whenever re-serialising its
record gives them back exactly, which halves the memory a large file needs, and lets edited
rows be written in the same style as their neighbours.
"""

from __future__ import annotations

import json
from typing import Any

COMPACT = (",", ":")
SPACED = (", ", ": ")

Style = tuple[tuple[str, str], bool]  # (separators, ensure_ascii)

DEFAULT_STYLE: Style = (SPACED, False)  # what json.dumps writes with no arguments


def dump(record: Any, separators: tuple[str, str], ensure_ascii: bool) -> bytes:
    """Serialise a record to one line of UTF-8 in the given style.

    Args:
        record: A JSON-compatible value.
        separators: As for json.dumps.
        ensure_ascii: As for json.dumps.

    Returns:
        The line's bytes, without a terminator.
    """
    text = json.dumps(record, ensure_ascii=ensure_ascii, separators=separators)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (legal in JSON as a \ud800 escape) has no UTF-8 form, so only the
        # escaped spelling is valid output.
        return json.dumps(record, ensure_ascii=True, separators=separators).encode("ascii")


class StyleDetector:
    """Narrows the four candidate styles to the ones that reproduce the lines seen so far.

    Invariant: every line for which `reproduces` returned True is reproduced exactly by every
    style still open, so whichever of them `style` finally names writes all those lines back
    byte for byte. Lines no style reproduces (odd whitespace, escaped slashes) teach nothing;
    their callers keep the original bytes.
    """

    def __init__(self) -> None:
        self._open: list[Style] | None = None

    @property
    def style(self) -> Style:
        """The preferred style among those still consistent with the file."""
        return self._open[0] if self._open else DEFAULT_STYLE

    def reproduces(self, record: Any, data: bytes, text: str) -> bool:
        """Whether the file's style writes `record` back as exactly `data`.

        Args:
            record: The parsed line.
            data: The line's original bytes, without terminator.
            text: `data` decoded, used to skip work that cannot change the answer.

        Returns:
            True when `data` need not be kept.
        """
        if self._open is None:
            self._open = _guess_order(data)
        if len(self._open) == 1:
            return _try_dump(record, self._open[0]) == data
        # Without a non-ASCII character, raw or escaped, ensure_ascii changes nothing, so one
        # dump answers for both settings and the line must not settle that choice.
        ascii_only = text.isascii() and "\\u" not in text
        outputs: dict[Style, bytes | None] = {}
        matching: list[Style] = []
        for separators, ensure_ascii in self._open:
            key = (separators, ensure_ascii and not ascii_only)
            if key not in outputs:
                outputs[key] = _try_dump(record, key)
            if outputs[key] == data:
                matching.append((separators, ensure_ascii))
        if not matching:
            return False
        self._open = matching
        return True


def _try_dump(record: Any, style: Style) -> bytes | None:
    try:
        return dump(record, *style)
    except (RecursionError, ValueError):
        return None


def _guess_order(data: bytes) -> list[Style]:
    # The order only breaks ties between styles the lines cannot tell apart, and decides the
    # style of edited rows when no line was reproducible at all; the first line's look is the
    # best guess available for that.
    compact = b'": ' not in data and b'":' in data
    escaped = data.isascii() and b"\\u" in data
    separators = [COMPACT, SPACED] if compact else [SPACED, COMPACT]
    flags = [True, False] if escaped else [False, True]
    return [(sep, flag) for sep in separators for flag in flags]
