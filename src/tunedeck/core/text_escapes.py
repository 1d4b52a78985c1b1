"""Separators and stop sequences as users type and read them: ``\\n\\n###\\n\\n``.

The command line and the settings dialog share these rules, so a value typed in one reads the
same in the other.
"""

from __future__ import annotations

_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unescape(text: str) -> str:
    """Turn typed escapes (``\\n``, ``\\t``, ``\\x1b``, ``\\u2192``) into the characters.

    Characters typed as themselves, accented or not, come through unchanged.

    Raises:
        ValueError: A malformed escape, such as a lone backslash at the end.
    """
    # backslashreplace turns characters beyond Latin-1 into \uXXXX, which the codec reads back.
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def escape(text: str) -> str:
    """The inverse of unescape: invisible characters and backslashes shown as escapes."""
    return "".join(
        _NAMED.get(char) or (char if char.isprintable() else _code(char)) for char in text
    )


def _code(char: str) -> str:
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"
