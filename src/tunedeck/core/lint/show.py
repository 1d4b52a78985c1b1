"""Render text in messages so that the whitespace several rules are about is visible."""

from __future__ import annotations

_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def visible(text: str, limit: int = 40) -> str:
    """`text` in quotes with newlines and tabs escaped, shortened in the middle if long."""
    shown = text.translate(_ESCAPES)
    if len(shown) > limit:
        half = (limit - 1) // 2
        shown = shown[:half] + "…" + shown[-half:]
    return f'"{shown}"'
