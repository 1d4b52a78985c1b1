"""Words for numbers in messages a user reads: "1 error", "2 errors", "1,234 examples"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun plural unless there is exactly one (`plural` for nouns
    that do not just take an "s")."""
    word = noun if number == 1 else plural or f"{noun}s"
    return f"{number:,} {word}"
