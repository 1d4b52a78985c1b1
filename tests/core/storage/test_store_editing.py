"""Edits, review decisions, history and restore: what a reviewer does all day."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.core.dataset.fields import MISSING
from tunedeck.core.errors import UserError
from tunedeck.core.storage import ConflictError, Project, Split, Status


@pytest.fixture
def tickets(project: Project):
    return project.import_file(BUNDLED_SAMPLE, "tickets")


def _first_good(project: Project, dataset_id: int):
    return next(s for s in project.examples(dataset_id) if s.example.error is None)


def test_an_edit_is_kept_by_a_fresh_open(project: Project, location: str, tickets):
    example = _first_good(project, tickets.id)
    project.set_fields(example.id, example.version, {"completion": " billing\n"})
    with Project.open(location) as reopened:
        again = reopened.example(example.id)
    assert again.record["completion"] == " billing\n"
    assert again.version == example.version + 1
    assert again.updated_by == "ann"


def test_chat_message_fields_are_addressed_by_path(project: Project, tmp_path: Path):
    source = tmp_path / "chat.jsonl"
    source.write_text(
        '{"messages": [{"role": "user", "content": "Hi"}, '
        '{"role": "assistant", "content": "Hello", "weight": 0}]}\n'
    )
    info = project.import_file(source)
    (example,) = project.window(info.id, 0, 1)
    changed = project.set_fields(
        example.id, example.version, {"messages[1].content": "Hello!", "messages[1].weight": 1}
    )
    assert changed.record["messages"][1] == {"role": "assistant", "content": "Hello!", "weight": 1}
    with pytest.raises(UserError, match=r"no field messages\[5\].content"):
        project.set_fields(example.id, changed.version, {"messages[5].content": "x"})


def test_review_decisions_are_kept_with_their_reviewer(project: Project, tickets):
    example = _first_good(project, tickets.id)
    reviewed = project.review(
        example.id,
        example.version,
        status=Status.APPROVED,
        split="validation",
        label="billing",
        notes="checked against the policy",
        tags=["policy", "policy", "2026"],
        suppressed=["missing-stop"],
    )
    review = project.example(example.id).review
    assert review == reviewed.review
    assert review.status is Status.APPROVED
    assert review.split is Split.VALIDATION
    assert review.reviewer == "ann"
    assert review.tags == ("policy", "2026")  # duplicates dropped, order kept
    assert project.load("tickets").lint_settings().suppressed == {example.id: {"missing-stop"}}


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "done"), ("split", "test"), ("tags", "one-string"), ("notes", 3), ("colour", "x")],
)
def test_invalid_review_values_are_refused_and_change_nothing(
    project: Project, tickets, field: str, value: object
):
    example = _first_good(project, tickets.id)
    with pytest.raises(UserError, match=field):
        project.review(example.id, example.version, **{field: value})
    assert project.example(example.id).version == example.version
    assert project.history(example.id) == []


def test_history_says_who_changed_what_and_restores_any_earlier_value(project: Project, tickets):
    example = _first_good(project, tickets.id)
    original = example.record["completion"]
    v2 = project.set_fields(example.id, example.version, {"completion": " one\n"})
    v3 = project.set_fields(example.id, v2.version, {"completion": " two\n"})
    v4 = project.review(example.id, v3.version, status="rejected")
    entries = project.history(example.id)
    assert [(e.field, e.old, e.new, e.version) for e in entries] == [
        ("$.completion", original, " one\n", 2),
        ("$.completion", " one\n", " two\n", 3),
        ("status", "unreviewed", "rejected", 4),
        ("reviewer", None, "ann", 4),
    ]
    assert {e.author for e in entries} == {"ann"}
    restored = project.restore(example.id, v4.version, entries[0].id)
    assert restored.record["completion"] == original
    assert restored.example.raw is not None  # back to the imported bytes
    restored = project.restore(example.id, restored.version, entries[2].id)
    assert restored.review.status is Status.UNREVIEWED


def test_a_removed_key_is_missing_in_history_and_comes_back(project: Project, tickets):
    example = _first_good(project, tickets.id)
    changed = project.set_fields(example.id, example.version, {"completion": MISSING})
    assert "completion" not in changed.record
    (entry,) = project.history(example.id)
    assert entry.new is MISSING
    back = project.restore(example.id, changed.version, entry.id)
    assert back.record == example.record


def test_a_stale_edit_is_refused_and_kept_as_a_conflict(project: Project, location: str, tickets):
    example = _first_good(project, tickets.id)
    with Project.open(location, author="bob") as other:
        other.set_fields(example.id, example.version, {"completion": " bob's\n"})
    with pytest.raises(ConflictError) as refused:
        project.set_fields(example.id, example.version, {"completion": " ann's\n"})
    conflict = refused.value
    assert conflict.current.record["completion"] == " bob's\n"
    assert conflict.current.updated_by == "bob"
    assert conflict.attempted == {"$.completion": " ann's\n"}
    assert "changed by bob" in str(conflict)
    # Nothing overwritten; Ann's text is in the history and she can still choose it.
    assert project.example(example.id).record["completion"] == " bob's\n"
    refused_entry = project.history(example.id)[-1]
    assert (refused_entry.outcome, refused_entry.author, refused_entry.new) == (
        "conflict",
        "ann",
        " ann's\n",
    )
    current = project.example(example.id)
    mine = project.restore(example.id, current.version, refused_entry.id)
    assert mine.record["completion"] == " ann's\n"


def test_refresh_shows_what_others_committed(project: Project, location: str, tickets):
    seen = project.versions(tickets.id)
    example = _first_good(project, tickets.id)
    with Project.open(location, author="bob") as other:
        other.review(example.id, example.version, status="approved")
    now = project.versions(tickets.id)
    assert {i for i in now if now[i] != seen[i]} == {example.id}
    assert project.example(example.id).review.reviewer == "bob"


def test_a_quarantined_line_is_repaired_in_place(project: Project, tickets, tmp_path: Path):
    broken = next(s for s in project.examples(tickets.id) if s.example.error is not None)
    with pytest.raises(UserError, match="repair its text"):
        project.set_fields(broken.id, broken.version, {"prompt": "x"})
    still = project.repair(broken.id, broken.version, '{"prompt": "half')
    assert still.example.error is not None and still.record is None
    text = '{"prompt": "Ticket: fixed\\n\\n###\\n\\n", "completion": " x\\n"}'
    fixed = project.repair(broken.id, still.version, text)
    assert fixed.example.error is None
    assert fixed.record == {"prompt": "Ticket: fixed\n\n###\n\n", "completion": " x\n"}
    assert fixed.example.line == broken.example.line
    out = tmp_path / "out.jsonl"
    project.export("tickets", out)
    lines = out.read_bytes().splitlines()
    assert lines[25] == b'{"prompt": "Ticket: fixed\\n\\n###\\n\\n", "completion": " x\\n"}'
    assert [e.field for e in project.history(broken.id)] == ["line", "line"]


def test_new_examples_go_where_they_are_put(project: Project, tmp_path: Path):
    source = tmp_path / "three.jsonl"
    source.write_text("".join(f'{{"prompt": "{n}", "completion": " x"}}\n' for n in "abc"))
    info = project.import_file(source)
    a, b, _c = project.window(info.id, 0, 3)
    # More insertions between two neighbours than the spacing allows forces a renumbering.
    after = a.id
    for n in range(12):
        after = project.add(info.id, {"prompt": f"a{n}", "completion": " y"}, after=after).id
    project.add(info.id, {"prompt": "end", "completion": " z"})
    prompts = [s.record["prompt"] for s in project.examples(info.id)]
    assert prompts == ["a", *(f"a{n}" for n in range(12)), "b", "c", "end"]
    assert project.window(info.id, 13, 1)[0].id == b.id
    project.export(info.name, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_text().splitlines()[-1] == (
        '{"prompt": "end", "completion": " z"}'
    )


def test_settings_are_kept_per_dataset_and_guarded(project: Project, location: str, tickets):
    settings = tickets.settings
    settings.model = "davinci-002"
    settings.stop = "\n"
    saved = project.set_settings("tickets", settings, tickets.settings_version)
    with Project.open(location) as reopened:
        assert reopened.dataset("tickets").settings.model == "davinci-002"
        assert reopened.dataset("tickets").settings.stop == "\n"
    with pytest.raises(UserError, match="changed by someone else"):
        project.set_settings("tickets", settings, tickets.settings_version)
    assert saved.settings_version == tickets.settings_version + 1


def test_window_pages_through_a_dataset_in_order(project: Project, tickets):
    everything = [s.id for s in project.examples(tickets.id)]
    paged = [s.id for offset in range(0, 50, 7) for s in project.window(tickets.id, offset, 7)]
    assert paged == everything
    assert len(everything) == project.count(tickets.id) == 43


def test_importing_under_a_taken_name_is_refused(project: Project, tickets):
    with pytest.raises(UserError, match="already has a dataset named 'tickets'"):
        project.import_file(BUNDLED_SAMPLE, "tickets")
    assert [info.name for info in project.datasets()] == ["tickets"]
