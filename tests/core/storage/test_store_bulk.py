"""Many changes in one transaction: what one-by-one editing would store, in a few statements."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.storage import Change, ConflictError, Project, Split, Status


def _seen(stored):
    """Everything a caller can read off a StoredExample (Example compares by identity)."""
    e = stored.example
    return (e.id, e.record, e.line, e.raw, e.eol, e.error, stored.review, stored.version,
            stored.deleted, stored.updated_at, stored.updated_by)  # fmt: skip


@pytest.fixture
def stored(project: Project):
    info = project.import_file(BUNDLED_SAMPLE, "tickets")
    return [s for s in project.examples(info.id) if s.example.error is None]


def test_a_batch_stores_what_reading_back_shows_with_its_history(project: Project, stored):
    first, second, third = stored[:3]
    changes = [
        Change(first.id, first.version, review={"split": Split.VALIDATION}),
        Change(second.id, second.version, review={"split": Split.VALIDATION}),
        Change(third.id, third.version, review={"status": Status.APPROVED, "notes": "ok"}),
        Change(stored[3].id, stored[3].version, content={"completion": " billing\n"}),
    ]
    results = project.apply(changes)
    for example_id, result in results.items():
        assert _seen(result) == _seen(project.example(example_id))  # returned is stored
    assert results[first.id].review.split is Split.VALIDATION
    assert results[third.id].review.reviewer == "ann"  # who decided is the reviewer
    assert results[stored[3].id].record["completion"] == " billing\n"
    assert all(results[c.example_id].version == c.expected_version + 1 for c in changes)
    (entry,) = project.history(first.id)
    assert (entry.field, entry.old, entry.new) == ("split", "unassigned", "validation")
    assert {e.field for e in project.history(third.id)} == {"status", "notes", "reviewer"}


def test_a_batch_with_one_stale_example_stores_nothing(project: Project, location: str, stored):
    first, second = stored[:2]
    with Project.open(location, author="bob") as other:
        other.review(second.id, second.version, notes="bob was here")
    changes = [
        Change(first.id, first.version, review={"split": Split.TRAIN}),
        Change(second.id, second.version, review={"split": Split.TRAIN}),
    ]
    with pytest.raises(ConflictError, match="bob"):
        project.apply(changes)
    assert project.example(first.id).review.split is Split.UNASSIGNED  # rolled back
    assert project.example(second.id).review.notes == "bob was here"


def test_two_changes_to_one_example_chain(project: Project, stored):
    first = stored[0]
    results = project.apply(
        [
            Change(first.id, first.version, review={"notes": "one"}),
            Change(first.id, first.version, review={"status": Status.REJECTED}),
        ]
    )
    after = results[first.id]
    assert (after.review.notes, after.review.status, after.version) == (
        "one",
        Status.REJECTED,
        first.version + 2,
    )


def test_a_split_of_every_example_is_stored_with_its_history(project: Project, stored):
    sides = {side: {"split": side} for side in (Split.TRAIN, Split.VALIDATION)}
    wanted = {s.id: Split.VALIDATION if n % 5 == 0 else Split.TRAIN for n, s in enumerate(stored)}
    # One mapping per side, shared by its examples: what apply_split hands the store.
    results = project.apply([Change(s.id, s.version, review=sides[wanted[s.id]]) for s in stored])
    assert [(r.id, r.version, r.review.split) for r in results.reviewed()] == [
        (s.id, s.version + 1, wanted[s.id]) for s in stored
    ]
    with Project.open(project.location) as reopened:
        for example in stored:
            held = reopened.example(example.id)
            assert (held.review.split, held.version) == (wanted[example.id], example.version + 1)
            (entry,) = reopened.history(example.id)
            assert (entry.field, entry.old, entry.new) == (
                "split",
                "unassigned",
                wanted[example.id],
            )
            assert (entry.author, entry.version, entry.outcome) == ("ann", held.version, "applied")


def test_what_a_batch_reports_is_what_reading_back_shows(project: Project, stored):
    """reviewed() (what the session takes in) and the examples built on demand agree with
    each other and with the project, for every kind of change a batch may hold."""
    first, second, third, fourth, fifth, sixth, seventh = stored[:7]
    alike = {"tags": ("x", "x"), "status": Status.APPROVED}  # checked once, for both
    changes = [
        Change(first.id, first.version, review={"split": Split.TRAIN, "tags": ["a", "b", "a"]}),
        Change(second.id, second.version, review={"status": Status.REJECTED}),
        Change(third.id, third.version, review={"split": Split.TRAIN, "tags": ["c"]}),
        Change(fourth.id, fourth.version, content={"prompt": "Néw"}, review={"notes": "n"}),
        Change(fifth.id, fifth.version, review={"deleted": True}),
        Change(sixth.id, sixth.version, review=alike),
        Change(seventh.id, seventh.version, review=alike),
    ]
    results = project.apply(changes)
    assert list(results) == [item.example_id for item in changes]
    for reviewed in results.reviewed():
        held = project.example(reviewed.id)
        assert (reviewed.version, reviewed.review) == (held.version, held.review)
        assert _seen(results[reviewed.id]) == _seen(held)
    assert results[first.id].review.tags == ("a", "b")
    assert results[second.id].review.reviewer == "ann"
    assert results[fourth.id].record["prompt"] == "Néw"
    assert results[fifth.id].deleted
    assert [(e.field, e.old, e.new) for e in project.history(fifth.id)] == [
        ("deleted", False, True)
    ]
    for example in (sixth, seventh):
        assert results[example.id].review.tags == ("x",)
        assert sorted((e.field, e.old, e.new) for e in project.history(example.id)) == [
            ("reviewer", None, "ann"),
            ("status", "unreviewed", "approved"),
            ("tags", [], ["x"]),
        ]


def test_a_large_batch_with_one_stale_example_leaves_no_trace(
    project: Project, location: str, stored
):
    last = stored[-1]
    with Project.open(location, author="bob") as other:
        other.review(last.id, last.version, split=Split.VALIDATION)
    side = {"split": Split.TRAIN}
    with pytest.raises(ConflictError, match="bob") as refused:
        project.apply([Change(s.id, s.version, review=side) for s in stored])
    assert refused.value.example_id == last.id
    for example in stored[:-1]:
        held = project.example(example.id)
        assert (held.review.split, held.version) == (Split.UNASSIGNED, example.version)
        assert project.history(example.id) == []
    assert project.example(last.id).review.split is Split.VALIDATION  # bob's stands


def test_a_batch_overtaken_between_its_read_and_its_write_is_refused(postgres_url: str):
    """PostgreSQL re-checks the version under the row lock: bob commits while the batch
    waits for his row, so the batch must be refused as a whole, naming him."""
    with Project.open(postgres_url, create=True, author="ann") as ann:
        info = ann.import_file(BUNDLED_SAMPLE, "tickets")
        first, second = [s for s in ann.examples(info.id) if s.example.error is None][:2]
        engine = sa.create_engine(postgres_url)
        try:
            with engine.connect() as bob:
                bob.execute(
                    sa.text(
                        "UPDATE examples SET notes = 'bob was here', version = version + 1, "
                        "updated_by = 'bob' WHERE id = :id"
                    ),
                    {"id": second.id},
                )  # not committed: ann's update of this row has to wait for it
                outcome = _in_thread(
                    lambda: ann.apply(
                        [
                            Change(first.id, first.version, review={"split": Split.TRAIN}),
                            Change(second.id, second.version, review={"split": Split.TRAIN}),
                        ]
                    )
                )
                _wait_for_a_lock_wait(bob)
                bob.commit()
                outcome.join(timeout=30)
        finally:
            engine.dispose()
        assert isinstance(outcome.result, ConflictError), outcome.result
        assert "bob" in str(outcome.result)
        assert ann.example(first.id).review.split is Split.UNASSIGNED  # rolled back
        assert ann.example(second.id).review.notes == "bob was here"


class _Outcome(threading.Thread):
    def __init__(self, work) -> None:
        super().__init__()
        self.work = work
        self.result: object = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except Exception as error:  # the test looks at it
            self.result = error


def _in_thread(work) -> _Outcome:
    outcome = _Outcome(work)
    outcome.start()
    return outcome


def _wait_for_a_lock_wait(connection: sa.Connection) -> None:
    deadline = time.monotonic() + 30
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    while connection.execute(sa.text(waiting)).scalar() == 0:
        assert time.monotonic() < deadline, "the batch never reached bob's row"
        time.sleep(0.01)
