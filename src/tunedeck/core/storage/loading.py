"""Loading a whole dataset into memory, fast enough that the window opens without a wait.

`rows.stored_example` builds the full StoredExample for one row; doing that 100,000 times
cost four seconds, most of it in SQLAlchemy's JSON column processing (two lists per row that
are almost always empty), `json.loads`' encoding detection, and three objects per row. Here
one query per page selects only what a LoadedDataset keeps, the JSON lists come back as text
with a shortcut for "[]", records are decoded by a reused decoder, and identical reviews
(most rows: unreviewed, no notes) share one frozen Review.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa

from tunedeck.core.dataset import Example
from tunedeck.core.storage.records import Review, RowKey, Split, Status
from tunedeck.core.storage.rows import decoded_json, json_from_raw
from tunedeck.core.storage.schema import examples

_COLUMNS = (
    examples.c.id,
    examples.c.line,
    examples.c.raw,
    examples.c.record,
    examples.c.eol,
    examples.c.prefix,
    examples.c.error,
    examples.c.error_field,
    examples.c.label,
    examples.c.split,
    examples.c.status,
    examples.c.reviewer,
    examples.c.notes,
    # Cast to text, on PostgreSQL too: decoding these two JSON lists per row was a quarter of
    # the load time, and they are almost always empty.
    sa.cast(examples.c.tags, sa.Text).label("tags"),
    sa.cast(examples.c.suppressed, sa.Text).label("suppressed"),
    examples.c.version,
    examples.c.position,
)

_STATUSES = {status.value: status for status in Status}
_SPLITS = {split.value: split for split in Split}


def live_examples(dataset_id: int) -> sa.Select:
    """The page query's base: a dataset's live examples with the columns a load keeps."""
    return sa.select(*_COLUMNS).where(
        examples.c.dataset_id == dataset_id, examples.c.deleted == sa.false()
    )


class PageReader:
    """Turns pages of `live_examples` rows into Examples, Reviews and versions."""

    def __init__(
        self, reviews: dict[int, Review] | None = None, versions: dict[int, int] | None = None
    ) -> None:
        """`reviews` and `versions`: dicts to add to (new ones when not given)."""
        self.examples: list[Example] = []
        self.reviews: dict[int, Review] = {} if reviews is None else reviews
        self.versions: dict[int, int] = {} if versions is None else versions
        self._shared_reviews: dict[tuple[Any, ...], Review] = {}

    def read(
        self,
        connect: Callable[[], AbstractContextManager[sa.Connection]],
        dataset_id: int,
        after: RowKey | None,
        page: int,
        limit: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> RowKey | None:
        """Read the rows after `after`, a page per connection, until the dataset ends
        (returns None) or `limit` rows are in (returns the key of the last one read)."""
        while True:
            size = page if limit is None else min(page, limit - len(self.examples))
            query = live_examples(dataset_id).order_by(examples.c.position, examples.c.id)
            if after is not None:
                query = query.where(sa.tuple_(examples.c.position, examples.c.id) > after)
            with connect() as connection:
                found = connection.execute(query.limit(size)).all()
            self.add(found)
            if progress:
                progress(len(self.examples))
            if len(found) < size:
                return None
            after = (found[-1].position, found[-1].id)
            if limit is not None and len(self.examples) >= limit:
                return after

    def add(self, rows: list[sa.Row]) -> None:
        append = self.examples.append
        reviews = self.reviews
        versions = self.versions
        shared = self._shared_reviews
        # Unpacked as tuples: attribute access on 100,000 Rows costs more than the decoding.
        for row in rows:
            (row_id, line, raw, record, eol, prefix, error, error_field, *review_key) = row[:-2]
            version = row[-2]
            if record is not None:
                content, raw = decoded_json(record), None  # raw describes it only until an edit
            elif error is not None:
                content, raw = None, None if raw is None else bytes(raw)
            else:
                raw = bytes(raw)
                content = json_from_raw(raw)
            append(
                Example(row_id, content, line, raw, bytes(eol), bytes(prefix), error, error_field)
            )
            key = tuple(review_key)
            review = shared.get(key)
            if review is None:
                review = shared[key] = _review(*key)
            reviews[row_id] = review
            versions[row_id] = version


def _review(label, split, status, reviewer, notes, tags, suppressed) -> Review:
    return Review(
        status=_STATUSES[status],
        split=_SPLITS[split],
        label=label,
        reviewer=reviewer,
        notes=notes,
        tags=_names(tags),
        suppressed=_names(suppressed),
    )


def _names(text: str | None) -> tuple[str, ...]:
    if not text or text == "[]":
        return ()
    return tuple(json.loads(text))
