"""Replace a file all at once, so a crash or an error never leaves half of it behind."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

# Windows opens files in text mode unless told otherwise.
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Write a file through a temporary sibling that replaces it only when the block succeeds.

    The data is flushed and fsynced before the rename, and the directory is fsynced after it
    where the platform allows, so after a crash the path holds either the old content or the
    new, never a mixture. A symbolic link is followed: the file it points to is replaced.

    Args:
        path: The file to create or replace.

    Yields:
        A binary file object to write the new content to.

    Raises:
        OSError: The temporary file cannot be created, written or renamed. The target is left
            as it was and the temporary file is removed.
    """
    target = Path(os.path.realpath(path))
    mode = _existing_mode(target)
    temp, fd = _create_temp(target)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            temp.chmod(mode)
        temp.replace(target)
    except BaseException:
        with suppress(FileNotFoundError):
            temp.unlink()
        raise
    _fsync_directory(target.parent)


def _existing_mode(target: Path) -> int | None:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return None


def _create_temp(target: Path) -> tuple[Path, int]:
    # os.open with 0o666 lets the umask decide a new file's mode, as a plain open() would;
    # tempfile.mkstemp would force 0o600 on it.
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temp, os.open(temp, _FLAGS, 0o666)
        except FileExistsError:
            continue


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable. Windows cannot open a directory, and some file systems
    # refuse fsync on one; the data is already safe in those cases, so there is nothing to do.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
