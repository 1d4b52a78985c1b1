"""What the project's side stores (jobs, chats) share: one short transaction per call, with
database failures reported in words, as everywhere in the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tunedeck.core.storage.database import reported


class RecordStore:
    def __init__(self, engine: sa.Engine, location: str | Path, author: str) -> None:
        self._engine = engine
        self._location = location
        self._author = author

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        # A failed commit happens inside `reported`, so it too becomes a UserError.
        with reported("save to", self._location), self._engine.begin() as connection:
            yield connection

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with reported("read", self._location), self._engine.connect() as connection:
            yield connection
