"""Edits are undoable, and undo brings back the very bytes the file had."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.dataset.commands import MISSING, Batch, DeleteRows, EditText, SetField


def make() -> Dataset:
    return Dataset.from_examples(
        Example(id=i, record={"prompt": p, "completion": " c"}, line=i, raw=f"raw {i}".encode())
        for i, p in enumerate(["a", "b", "c", "d"], start=1)
    )


def test_set_field_and_undo_restore_value_and_raw_bytes() -> None:
    dataset = make()
    undo = SetField(2, "prompt", "B").apply(dataset)
    assert dataset[2].record == {"prompt": "B", "completion": " c"}
    assert dataset[2].raw is None  # the old bytes no longer describe the record
    redo = undo.apply(dataset)
    assert dataset[2].record["prompt"] == "b" and dataset[2].raw == b"raw 2"
    redo.apply(dataset)
    assert dataset[2].record["prompt"] == "B"


def test_adding_a_key_is_undone_by_removing_it() -> None:
    dataset = make()
    undo = SetField(1, "label", "x").apply(dataset)
    assert list(dataset[1].record) == ["prompt", "completion", "label"]
    undo.apply(dataset)
    assert "label" not in dataset[1].record
    SetField(1, "prompt", MISSING).apply(dataset)
    assert "prompt" not in dataset[1].record


def test_relative_edits_compose_on_one_field() -> None:
    dataset = make()
    batch = Batch((EditText(1, "completion", suffix="\n"), EditText(1, "completion", prefix=" ")))
    undo = batch.apply(dataset)
    assert dataset[1].record["completion"] == "  c\n"
    undo.apply(dataset)
    assert dataset[1].record["completion"] == " c" and dataset[1].raw == b"raw 1"


def test_delete_and_undo_put_rows_back_in_their_places() -> None:
    dataset = make()
    removed: list[int] = []
    dataset.row_removed.connect(lambda example: removed.append(example.id))
    undo = DeleteRows((2, 4)).apply(dataset)
    assert dataset.ids() == [1, 3] and removed == [2, 4]
    undo.apply(dataset)
    assert dataset.ids() == [1, 2, 3, 4]
    assert dataset.append({"prompt": "e"}).id == 5  # ids are never reused


def test_a_repaired_line_keeps_its_place_in_the_file() -> None:
    from tunedeck.core.io import dump_jsonl, parse_jsonl, parse_line

    data = b'{"prompt": "a", "completion": " b"}\r\n\r\n{"prompt": "c", "completion": \r\n'
    dataset = parse_jsonl(data)
    broken = dataset.ids()[1]
    assert dataset[broken].is_quarantined and dataset[broken].line == 3
    repaired = parse_line(b'{"prompt": "c", "completion": " d"}', None, 0, dataset.layout)
    dataset.replace(broken, repaired)
    assert dataset[broken].line == 3 and dataset[broken].record == {
        "prompt": "c",
        "completion": " d",
    }
    assert dump_jsonl(dataset) == (
        b'{"prompt": "a", "completion": " b"}\r\n\r\n{"prompt": "c", "completion": " d"}\r\n'
    )


@given(st.lists(st.sets(st.integers(1, 30), min_size=1), min_size=1, max_size=4))
def test_undoing_deletes_in_reverse_restores_the_exact_order(deletions) -> None:
    dataset = Dataset.from_examples(
        Example(id=i, record={"prompt": str(i), "completion": " c"}, line=i) for i in range(1, 31)
    )
    added: list[int] = []
    dataset.row_added.connect(added.append)
    undos = []
    for doomed in deletions:
        present = sorted(doomed & set(dataset.ids()))
        if present:
            undos.append(DeleteRows(tuple(present)).apply(dataset))
    for undo in reversed(undos):
        undo.apply(dataset)
    assert dataset.ids() == list(range(1, 31))
    assert sorted(added) == sorted({i for doomed in deletions for i in doomed})
