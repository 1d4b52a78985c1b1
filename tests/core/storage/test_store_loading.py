"""Loading a whole dataset: the fast path must give exactly what row-by-row reading gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE_FILES
from tunedeck.core.storage import Project, Status
from tunedeck.core.storage.loading import PageReader


def _by_rows(project: Project, dataset_id: int):
    stored = list(project.examples(dataset_id))
    return (
        [(s.example.id, s.example.record, s.example.line, s.example.raw, s.example.eol,
          s.example.prefix, s.example.error, s.example.error_field) for s in stored],
        {s.id: s.review for s in stored},
        {s.id: s.version for s in stored},
    )  # fmt: skip


def _loaded(project: Project, name: str, page: int):
    loaded = project.load(name, page=page)
    examples = [
        (e.id, e.record, e.line, e.raw, e.eol, e.prefix, e.error, e.error_field)
        for e in loaded.dataset
    ]
    return examples, loaded.reviews, loaded.versions


def test_load_equals_reading_row_by_row_after_every_kind_of_change(
    project: Project, tmp_path: Path
):
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'\xef\xbb\xbf{"prompt": "caf\\u00e9 ->", "completion": " a\\n"}\r\n'
        b"\n"
        b'{"prompt": "broken ->", "completion": \r\n'
        b'{"prompt": "x ->", "completion": " b\\n", "extra": [1, 2]}\r\n'
        b'  {"prompt": "indented ->", "completion": " c\\n"}  \r\n'
        b'{"prompt": "last ->", "completion": " d\\n"}'
    )
    info = project.import_file(source, "mixed")
    stored = list(project.examples(info.id))
    good = [s for s in stored if s.example.error is None]
    edited, reviewed, deleted = good[0], good[1], good[2]
    project.set_fields(edited.id, edited.version, {"completion": " z\n"})
    project.review(
        reviewed.id,
        reviewed.version,
        status=Status.APPROVED,
        tags=["policy"],
        suppressed=["missing-stop"],
        label="b",
        notes="checked",
    )
    project.delete(deleted.id, deleted.version)
    project.add(info.id, {"prompt": "new ->", "completion": " e\n"})

    expected = _by_rows(project, info.id)
    # A page of 2 makes the load cross page boundaries several times.
    assert _loaded(project, "mixed", page=2) == expected
    examples, reviews, _ = expected
    assert len(examples) == 5  # the deleted one is gone, the added one is there
    assert any(record is None and error for _, record, *_, error, _ in examples)
    assert reviews[reviewed.id].suppressed == ("missing-stop",)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda path: path.stem)
def test_every_sample_loads_as_it_reads(project: Project, sample: Path):
    info = project.import_file(sample)
    assert _loaded(project, info.name, page=1000) == _by_rows(project, info.id)


def test_first_rows_then_the_rest_is_the_whole_dataset(project: Project, tmp_path: Path):
    info = project.import_file(SAMPLE_FILES[0])
    expected = _by_rows(project, info.id)
    every_id = [row[0] for row in expected[0]]

    # Pages smaller than the first rows, and ending mid-page: both boundaries are crossed.
    first = project.load(info.name, page=2, first=5)
    assert first.dataset.ids() == every_id[:5]
    assert first.rest is not None
    rest = project.load_rest(info.id, first.rest, page=3)
    assert [example.id for example in rest.examples] == every_id[5:]
    assert {**first.reviews, **rest.reviews} == expected[1]
    assert {**first.versions, **rest.versions} == expected[2]

    whole = project.load(info.name, first=len(every_id) + 1)
    assert whole.rest is None  # nothing was left out
    assert whole.dataset.ids() == every_id


def test_the_rest_goes_into_the_dicts_given(project: Project):
    info = project.import_file(SAMPLE_FILES[0])
    first = project.load(info.name, first=3)
    reviews, versions = dict(first.reviews), dict(first.versions)
    rest = project.load_rest(info.id, first.rest, reader=PageReader(reviews, versions))
    assert rest.reviews is reviews and rest.versions is versions
    assert set(reviews) == set(first.reviews) | {example.id for example in rest.examples}
