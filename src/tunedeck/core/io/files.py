"""Turning the operating system's file errors into messages a user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from tunedeck.core.errors import UserError


def reading(path: Path) -> AbstractContextManager[None]:
    """Report an OSError raised inside the block as "cannot read <path>: <reason>"."""
    return _reported("read", path)


def writing(path: Path) -> AbstractContextManager[None]:
    """Report an OSError raised inside the block as "cannot write <path>: <reason>"."""
    return _reported("write", path)


@contextmanager
def _reported(verb: str, path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise UserError(f"cannot {verb} {path}: {reason(exc)}") from exc


def reason(exc: BaseException) -> str:
    """The human part of an exception: strerror for OS errors (the path is said elsewhere)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
