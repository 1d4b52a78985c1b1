"""Turning the operating system's file errors into messages a user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tunedeck.core.errors import UserError


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Report an OSError raised inside the block as "cannot read <path>: <reason>"."""
    try:
        yield
    except OSError as exc:
        raise UserError(f"cannot read {path}: {reason(exc)}") from exc


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Report an OSError raised inside the block as "cannot write <path>: <reason>"."""
    try:
        yield
    except OSError as exc:
        raise UserError(f"cannot write {path}: {reason(exc)}") from exc


def reason(exc: BaseException) -> str:
    """The human part of an exception: strerror for OS errors (the path is said elsewhere)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
