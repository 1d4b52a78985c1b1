"""Upload training and validation files with progress, cancel, and no needless repeats.

The SDK streams the file object it is given in chunks; `ProgressReader` wraps the file so
each chunk read reports the bytes sent so far and checks the cancel flag. It stays
seekable, so when the SDK retries a broken upload it rewinds and the progress restarts.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from tunedeck.core.remote.errors import CancelledError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (bytes sent so far, total bytes)."""

# Seconds allowed per megabyte on top of the profile's timeout: 1 MB/s is a slow uplink.
_SECONDS_PER_MEGABYTE = 1.0


class CancelToken:
    """A flag one thread sets and another's long operation checks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self._event.is_set()

    def check(self, what: str) -> None:
        """Raise CancelledError if cancel() was called.

        Args:
            what: What is being cancelled, for the message ("The upload").
        """
        if self._event.is_set():
            raise CancelledError(f"{what} was cancelled.")


class ProgressReader(io.RawIOBase):
    """A read-only binary file that reports how much has been read and can be cancelled.

    Args:
        raw: The open binary file to read from.
        total: Its size in bytes.
        progress: Called after every read with (position, total).
        cancel: Checked before every read; a cancelled token raises CancelledError.

    Closing the reader leaves the wrapped file open: the caller owns it.
    """

    def __init__(
        self,
        raw: BinaryIO,
        total: int,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._total = total
        self._progress = progress
        self._cancel = cancel

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._cancel is not None:
            self._cancel.check("The upload")
        count = self._raw.readinto(buffer) or 0
        if count and self._progress is not None:
            self._progress(self._raw.tell(), self._total)
        return count


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(profile_id: str, content_sha256: str, purpose: str) -> str:
    """The ledger key of an upload: the same bytes on another provider are another file."""
    return f"sha256:{content_sha256}:{purpose}@{profile_id}"


def upload_timeout(timeout_seconds: float, size: int) -> float:
    """A timeout that grows with the file, so a large upload on a slow line can finish."""
    return timeout_seconds + _SECONDS_PER_MEGABYTE * size / 1_000_000
