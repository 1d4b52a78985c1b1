"""Many examples changed in one transaction with a handful of statements, not four per row.

`editing.change` reads the row, updates it, writes its history and reads it back: about a
millisecond each, so applying a split to 100,000 examples took minutes. Here the rows are read
in chunks, the updates that set the same columns go out as one executemany, the history as
another, and the changed examples are built from what was read plus what was written, when
asked for. The rules are editing.change's own (same validation, history and conflict check);
a batch that changes one example twice keeps the one-by-one path, where each change sees the
last. The statements reach the driver as SQL text with plain tuples (exec_driver_sql):
SQLAlchemy's executemany spent longer turning 100,000 parameter dicts into that form than the
database spent on the rows. Values go through the column types' own processors, so the
database holds exactly what SQLAlchemy would have written.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, NamedTuple

import sqlalchemy as sa

from tunedeck.core.storage import editing, rows
from tunedeck.core.storage.records import Change, ConflictError, Review, StoredExample
from tunedeck.core.storage.schema import examples, history

_CHUNK = 500  # ids per SELECT ... IN (...): well under every driver's parameter limit
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}  # sqlite3, psycopg
_REVIEW_COLUMNS = tuple(field.name for field in dataclasses.fields(Review))


class Reviewed(NamedTuple):
    """An example's version and review after a change: what a session keeps of it."""

    id: int
    version: int
    review: Review


class _Planned(NamedTuple):
    id: int
    version: int  # before the change
    row: rows.DriverRow
    columns: dict[str, Any]  # to write; one dict shared by every row changed alike
    logged: dict[str, tuple[Any, Any]]  # the history's field -> (old, new)


_Plans = dict[int, _Planned]


def change_many(
    connection: sa.Connection, changes: Sequence[Change], author: str
) -> ChangedExamples:
    """Apply every change or raise the first ConflictError (the caller rolls back)."""
    ids = [item.example_id for item in changes]
    if len(set(ids)) != len(ids):
        return ChangedExamples(_one_by_one(connection, changes, author))
    driver = _Driver(connection)
    planned = _plan(connection, changes, _fetch(connection, driver, ids), author)
    moment = rows.now()
    _update(connection, driver, planned, author, moment)
    _log(connection, driver, planned, author, moment)
    return ChangedExamples({}, planned, author, moment)


class ChangedExamples(Mapping[int, StoredExample]):
    """The examples a batch changed, by id, as its transaction left them.

    Building a StoredExample decodes the example's record; for the 100,000 examples of a split
    that took seconds, and the session only wants each one's new version and review. So each
    example is built when first asked for, and `reviewed()` gives the versions and reviews
    without building any.
    """

    def __init__(
        self,
        built: Mapping[int, StoredExample],
        planned: Mapping[int, _Planned] | None = None,
        author: str = "",
        moment: Any = None,
    ) -> None:
        self._built = dict(built)
        self._planned = planned or {}
        self._ids = list(self._planned or self._built)
        self._author, self._moment = author, moment
        self._reviews: dict[tuple, Review] = {}

    def __getitem__(self, example_id: int) -> StoredExample:
        found = self._built.get(example_id)
        if found is None:
            plan = self._planned[example_id]
            found = self._built[example_id] = _after(plan, self._author, self._moment)
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def reviewed(self) -> Iterator[Reviewed]:
        """Each changed example's new version and review, in the batch's order."""
        for example_id in self._ids:
            plan = self._planned.get(example_id)
            if plan is None:
                stored = self._built[example_id]
                yield Reviewed(example_id, stored.version, stored.review)
            else:
                yield Reviewed(example_id, plan.version + 1, self._review_after(plan))

    def _review_after(self, plan: _Planned) -> Review:
        # A split leaves most examples with one of a handful of reviews: build each once.
        values = _review_values(plan.row.values)
        if any(isinstance(values[at], list) for at in _LISTS_AT):  # PostgreSQL's JSON: lists
            values = tuple(tuple(v) if isinstance(v, list) else v for v in values)
        key = (id(plan.columns), values)
        review = self._reviews.get(key)
        if review is None:
            row, columns = plan.row, plan.columns
            values = {
                name: columns[name] if name in columns else getattr(row, name)
                for name in _REVIEW_COLUMNS
            }
            review = self._reviews[key] = rows.review(SimpleNamespace(**values))
        return review


_COLUMNS = tuple(column.name for column in examples.columns)  # as _fetch reads a row
_PLACE = {name: index for index, name in enumerate(_COLUMNS)}
_review_values = itemgetter(*(_PLACE[name] for name in _REVIEW_COLUMNS))
# The review's JSON columns (tags, suppressed): text from SQLite, lists from PostgreSQL, and
# a list cannot be part of a dict key.
_LISTS_AT = tuple(
    index
    for index, name in enumerate(_REVIEW_COLUMNS)
    if isinstance(examples.c[name].type, sa.JSON)
)


def _after(plan: _Planned, author: str, moment: Any) -> StoredExample:
    values = {name: getattr(plan.row, name) for name in _COLUMNS}
    values.update(plan.columns, version=plan.version + 1, updated_at=moment, updated_by=author)
    return rows.stored_example(SimpleNamespace(**values))


def _one_by_one(
    connection: sa.Connection, changes: Sequence[Change], author: str
) -> dict[int, StoredExample]:
    results: dict[int, StoredExample] = {}
    for item in changes:
        done = results.get(item.example_id)
        version = done.version if done is not None else item.expected_version
        outcome = editing.change(
            connection, item.example_id, version, author, content=item.content, review=item.review
        )
        if isinstance(outcome, ConflictError):
            raise outcome
        results[item.example_id] = outcome
    return results


class _Driver:
    """SQL text for the connection's driver: its parameter marker, quoting and value codecs."""

    def __init__(self, connection: sa.Connection) -> None:
        self.dialect = connection.dialect
        self.marker = _MARKERS[self.dialect.paramstyle]
        self.quote = self.dialect.identifier_preparer.quote
        self.decoders = rows.decoders(examples, self.dialect)

    def markers(self, count: int) -> str:
        return ", ".join([self.marker] * count)

    def encode(self, column: sa.Column, value: Any) -> Any:
        return rows.encoder(column, self.dialect)(value)


def _fetch(connection: sa.Connection, driver: _Driver, ids: list[int]) -> dict[int, rows.DriverRow]:
    names = ", ".join(map(driver.quote, _COLUMNS))
    place = driver.decoders["id"][0]
    found: dict[int, rows.DriverRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        query = f"SELECT {names} FROM examples WHERE id IN ({driver.markers(len(chunk))})"
        for values in connection.exec_driver_sql(query, chunk).all():
            found[values[place]] = rows.DriverRow(values, driver.decoders)
    return found


def _plan(
    connection: sa.Connection,
    changes: Sequence[Change],
    current: dict[int, rows.DriverRow],
    author: str,
) -> _Plans:
    planned: _Plans = {}
    # A review-only change -> its columns, and where each one's old value is in a row.
    checked: dict[tuple, tuple[dict[str, Any], list[tuple[str, int, Any, Any]]]] = {}
    version_at = _PLACE["version"]
    for item in changes:
        row = current.get(item.example_id)
        key = _review_key(item) if row is not None else None
        known = checked.get(key) if key is not None else None
        if known is not None:
            # What planned_change makes of a review-only change, without validating the
            # same values again for each of 100,000 rows.
            columns, places = known
            values = row.values
            logged = {
                name: (values[at] if decode is None else decode(values[at]), new)
                for name, at, decode, new in places
            }
            version = values[version_at]
        else:
            row = row or editing.fetch_row(connection, item.example_id)  # UserError if none
            columns, logged = editing.planned_change(row, item.content, item.review, author)
            if key is not None:
                checked[key] = (
                    columns,
                    [(name, _PLACE[name], row.decoder(name), new) for name, new in columns.items()],
                )
            version = row.version
        if version != item.expected_version:
            raise editing.conflict(connection, row, logged, author)
        planned[item.example_id] = _Planned(item.example_id, version, row, columns, logged)
    return planned


def _review_key(item: Change) -> tuple | None:
    """What a review-only change is, as a dict key; None for others (checked one by one)."""
    if item.content or not item.review:
        return None
    key = tuple(item.review.items())
    try:
        hash(key)
    except TypeError:  # tags given as a list: validated row by row
        return None
    return key


def _update(
    connection: sa.Connection, driver: _Driver, planned: _Plans, author: str, moment: Any
) -> None:
    stamp = driver.encode(examples.c.updated_at, moment)
    # One executemany per set of columns changed: a split sets "split" on every row.
    groups: dict[tuple[str, ...], list[_Planned]] = defaultdict(list)
    for plan in planned.values():
        groups[tuple(plan.columns)].append(plan)
    for names, members in groups.items():
        settings = ", ".join(
            f"{driver.quote(name)} = {driver.marker}"
            for name in (*names, "version", "updated_at", "updated_by")
        )
        statement = (
            f"UPDATE examples SET {settings} "
            f"WHERE id = {driver.marker} AND version = {driver.marker}"
        )
        encoded: dict[int, tuple] = {}  # id(columns) -> their values as the driver takes them
        params = []
        for plan in members:
            values = encoded.get(id(plan.columns))
            if values is None:
                values = encoded[id(plan.columns)] = tuple(
                    driver.encode(examples.c[name], plan.columns[name]) for name in names
                )
            params.append((*values, plan.version + 1, stamp, author, plan.id, plan.version))
        updated = connection.exec_driver_sql(statement, params).rowcount
        if updated != len(params):  # -1 when the driver does not count an executemany
            _refuse_if_overtaken(connection, driver, members, author, moment)


def _refuse_if_overtaken(
    connection: sa.Connection, driver: _Driver, members: list[_Planned], author: str, moment: Any
) -> None:
    """Someone may have committed between our read and our write: find whom, and refuse."""
    current = _fetch(connection, driver, [plan.id for plan in members])
    for plan in members:
        fresh = current[plan.id]
        if fresh.version != plan.version + 1 or rows.utc(fresh.updated_at) != moment:
            raise editing.conflict(connection, fresh, plan.logged, author)


def _log(
    connection: sa.Connection, driver: _Driver, planned: _Plans, author: str, moment: Any
) -> None:
    at = driver.encode(history.c.at, moment)
    dumped: dict[tuple[type, Any], str | None] = {}

    def dump(value: Any) -> str | None:
        # A split writes two or three distinct values 100,000 times. Keyed by type too:
        # True == 1, but their JSON differs.
        try:
            return dumped[value.__class__, value]
        except KeyError:
            dumped[value.__class__, value] = rows.dump_value(value)
            return dumped[value.__class__, value]
        except TypeError:  # a list or dict
            return rows.dump_value(value)

    entries = [
        (plan.id, name, dump(old), dump(new), author, at, plan.version + 1, "applied")
        for plan in planned.values()
        for name, (old, new) in plan.logged.items()
    ]
    if entries:
        names = ("example_id", "field", "old_value", "new_value", "author", "at", "version")
        columns = ", ".join(driver.quote(name) for name in (*names, "outcome"))
        connection.exec_driver_sql(
            f"INSERT INTO history ({columns}) VALUES ({driver.markers(len(names) + 1)})",
            entries,
        )
