"""One display line for a field's text, with the whitespace a fine-tune cares about made visible.

A prompt's separator ("\\n\\n###\\n\\n"), a completion's leading space and its stop sequence
are invisible in a plain cell, yet they are what half the lint rules are about. Newlines and
tabs become arrows everywhere; spaces become dots only where they are easy to miss (at either
end of the text and before a newline), so ordinary prose stays readable.
"""

from __future__ import annotations

import re

NEWLINE = "↵"
TAB = "→"
CARRIAGE_RETURN = "␍"
SPACE = "·"
ELLIPSIS = "…"

# Longer texts are cut before marking: a cell shows a hundred characters or so, and the
# view elides anyway. The tail is kept too, because the separator or stop lives at the end.
MAX_CHARS = 400
TAIL_CHARS = 80

_MARKS = str.maketrans({"\n": NEWLINE, "\t": TAB, "\r": CARRIAGE_RETURN})
_EDGE_SPACES = re.compile(r"^ +| +(?=[\r\n]|\Z)")


def display_line(text: str, limit: int = MAX_CHARS) -> str:
    """`text` as one line: newlines "↵", tabs "→", edge spaces "·", capped near `limit` chars."""
    if len(text) > limit:
        tail = min(TAIL_CHARS, limit // 4)
        text = text[: limit - tail - 1] + ELLIPSIS + text[-tail:]
    if " " in text:
        text = _EDGE_SPACES.sub(_dots, text)
    return text.translate(_MARKS)


def _dots(match: re.Match[str]) -> str:
    return SPACE * len(match.group())
