"""Many changes in one transaction: what one-by-one editing would store, in a few statements."""

from __future__ import annotations

import pytest

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
