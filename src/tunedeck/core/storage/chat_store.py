"""A project's conversations with models and its spot-check results (`project.chats`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tunedeck.core.storage.chat_schema import (
    chat_messages,
    conversations,
    spot_check_results,
    spot_checks,
)
from tunedeck.core.storage.record_store import RecordStore
from tunedeck.core.storage.rows import now, utc


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    title: str
    profile: str
    model: str
    settings: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Message:
    position: int
    role: str
    content: str
    model: str | None
    rating: str | None
    note: str


@dataclass(frozen=True, slots=True)
class SpotCheckInfo:
    id: int
    dataset_id: int | None
    profile: str
    models: tuple[str, ...]
    settings: dict[str, Any]
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class SpotCheckResult:
    example_id: int
    model: str
    question: str
    expected: str
    answer: str | None = None
    error: str | None = None
    rating: str | None = None
    note: str = ""


class ChatStore(RecordStore):
    """The conversations and spot-check results of one project (`project.chats`)."""

    # --- conversations ---------------------------------------------------------------------

    def new_conversation(
        self, title: str, profile: str, model: str, settings: dict[str, Any]
    ) -> int:
        moment = now()
        with self._write() as connection:
            return connection.execute(
                sa.insert(conversations)
                .values(
                    title=title,
                    profile=profile,
                    model=model,
                    settings=settings,
                    created_at=moment,
                    created_by=self._author,
                    updated_at=moment,
                )
                .returning(conversations.c.id)
            ).scalar_one()

    def add_message(
        self, conversation: int, role: str, content: str, model: str | None = None
    ) -> int:
        """Append a message; returns its position in the conversation."""
        with self._write() as connection:
            last = connection.execute(
                sa.select(sa.func.max(chat_messages.c.position)).where(
                    chat_messages.c.conversation == conversation
                )
            ).scalar_one()
            position = 0 if last is None else last + 1
            connection.execute(
                sa.insert(chat_messages).values(
                    conversation=conversation,
                    position=position,
                    role=role,
                    content=content,
                    model=model,
                    created_at=now(),
                )
            )
            connection.execute(
                sa.update(conversations)
                .where(conversations.c.id == conversation)
                .values(updated_at=now())
            )
        return position

    def rate_message(self, conversation: int, position: int, rating: str | None, note: str = ""):
        with self._write() as connection:
            connection.execute(
                sa.update(chat_messages)
                .where(
                    chat_messages.c.conversation == conversation,
                    chat_messages.c.position == position,
                )
                .values(rating=rating, note=note)
            )

    def conversations(self) -> list[Conversation]:
        """Most recently used first."""
        query = sa.select(conversations).order_by(conversations.c.updated_at.desc())
        with self._read() as connection:
            return [_conversation(row) for row in connection.execute(query)]

    def messages(self, conversation: int) -> list[Message]:
        query = (
            sa.select(chat_messages)
            .where(chat_messages.c.conversation == conversation)
            .order_by(chat_messages.c.position)
        )
        with self._read() as connection:
            return [
                Message(row.position, row.role, row.content, row.model, row.rating, row.note)
                for row in connection.execute(query)
            ]

    def delete_conversation(self, conversation: int) -> None:
        with self._write() as connection:
            connection.execute(
                sa.delete(chat_messages).where(chat_messages.c.conversation == conversation)
            )
            connection.execute(sa.delete(conversations).where(conversations.c.id == conversation))

    # --- spot-checks -----------------------------------------------------------------------

    def new_spot_check(
        self,
        profile: str,
        models: Iterable[str],
        settings: dict[str, Any],
        dataset_id: int | None = None,
    ) -> int:
        with self._write() as connection:
            return connection.execute(
                sa.insert(spot_checks)
                .values(
                    dataset_id=dataset_id,
                    profile=profile,
                    models=list(models),
                    settings=settings,
                    created_at=now(),
                    created_by=self._author,
                )
                .returning(spot_checks.c.id)
            ).scalar_one()

    def save_results(self, spot_check: int, results: Iterable[SpotCheckResult]) -> None:
        """Insert or replace results (a retry or a new rating replaces the earlier row)."""
        rows = [
            {
                "spot_check": spot_check,
                "example_id": r.example_id,
                "model": r.model,
                "question": r.question,
                "expected": r.expected,
                "answer": r.answer,
                "error": r.error,
                "rating": r.rating,
                "note": r.note,
                "answered_at": now() if r.answer is not None else None,
            }
            for r in results
        ]
        if not rows:
            return
        with self._write() as connection:
            for row in rows:
                connection.execute(
                    sa.delete(spot_check_results).where(
                        spot_check_results.c.spot_check == spot_check,
                        spot_check_results.c.example_id == row["example_id"],
                        spot_check_results.c.model == row["model"],
                    )
                )
            connection.execute(sa.insert(spot_check_results), rows)

    def spot_checks(self, dataset_id: int | None = None) -> list[SpotCheckInfo]:
        """Newest first; of one dataset when given."""
        query = sa.select(spot_checks).order_by(spot_checks.c.id.desc())
        if dataset_id is not None:
            query = query.where(spot_checks.c.dataset_id == dataset_id)
        with self._read() as connection:
            return [
                SpotCheckInfo(
                    row.id,
                    row.dataset_id,
                    row.profile,
                    tuple(row.models),
                    row.settings,
                    utc(row.created_at),
                    row.created_by,
                )
                for row in connection.execute(query)
            ]

    def results(self, spot_check: int) -> list[SpotCheckResult]:
        query = (
            sa.select(spot_check_results)
            .where(spot_check_results.c.spot_check == spot_check)
            .order_by(spot_check_results.c.example_id, spot_check_results.c.model)
        )
        with self._read() as connection:
            return [
                SpotCheckResult(
                    row.example_id,
                    row.model,
                    row.question,
                    row.expected,
                    row.answer,
                    row.error,
                    row.rating,
                    row.note,
                )
                for row in connection.execute(query)
            ]


def _conversation(row: sa.Row) -> Conversation:
    return Conversation(
        row.id,
        row.title,
        row.profile,
        row.model,
        row.settings,
        utc(row.created_at),
        utc(row.updated_at),
    )
