"""Import then export gives back the very same bytes, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE, SAMPLE_FILES
from tunedeck.core.dataset.fields import MISSING
from tunedeck.core.storage import Project


@pytest.mark.parametrize("sample", [*SAMPLE_FILES, BUNDLED_SAMPLE], ids=lambda p: p.stem)
def test_every_sample_exports_byte_identical(project: Project, sample: Path, tmp_path: Path):
    info = project.import_file(sample)
    out = tmp_path / "out.jsonl"
    written = project.export(info.name, out)
    assert out.read_bytes() == sample.read_bytes()
    assert written == project.count(info.id)


@pytest.mark.parametrize(
    "content",
    [
        b'\xef\xbb\xbf{"prompt": "caf\\u00e9", "completion": " x"}\r\n\r\n'
        b'{"prompt":"b","completion":" y"}',
        b'{"prompt": "a", "completion": " b"}\n\n\n'
        b'{"prompt": "c", "extra": [1, 2.50, {"k": null}]}\n\n',
        b'{"messages": [{"role": "user", "content": "\xf0\x9f\x98\x80 \\"q\\""}]}\n{broken\n',
    ],
    ids=["bom-crlf-no-final-newline", "blank-lines-unknown-keys", "chat-and-broken-line"],
)
def test_file_layout_survives_the_project(project: Project, content: bytes, tmp_path: Path):
    source = tmp_path / "odd.jsonl"
    source.write_bytes(content)
    info = project.import_file(source)
    project.export(info.name, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == content


def test_only_the_edited_line_changes_and_in_the_files_style(project: Project, tmp_path: Path):
    source = tmp_path / "compact.jsonl"
    source.write_bytes(b'{"prompt":"a  ","completion":" x"}\n{"prompt":"b","completion":" y"}\n')
    info = project.import_file(source)
    _first, second = project.window(info.id, 0, 2)
    project.set_fields(second.id, second.version, {"completion": " z", "note": "new key"})
    project.export(info.name, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == (
        b'{"prompt":"a  ","completion":" x"}\n{"prompt":"b","completion":" z","note":"new key"}\n'
    )


def test_undoing_every_edit_exports_the_original_bytes_again(project: Project, tmp_path: Path):
    # Spacing a re-serialisation would not reproduce: only the kept original can.
    original = b'{"prompt" : "a",   "completion": " x"}\n'
    (tmp_path / "in.jsonl").write_bytes(original)
    info = project.import_file(tmp_path / "in.jsonl")
    (example,) = project.window(info.id, 0, 10)
    edited = project.set_fields(example.id, example.version, {"prompt": "b", "extra": 1})
    back = project.set_fields(edited.id, edited.version, {"prompt": "a", "extra": MISSING})
    assert back.example.raw == original.rstrip(b"\n")
    project.export(info.name, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == original


def test_deleted_examples_are_not_exported_and_can_come_back(project: Project, tmp_path: Path):
    info = project.import_file(BUNDLED_SAMPLE)
    total = project.count(info.id)
    victim = project.window(info.id, 3, 1)[0]
    gone = project.delete(victim.id, victim.version)
    assert project.count(info.id) == total - 1
    assert project.export(info.name, tmp_path / "out.jsonl") == total - 1
    assert victim.example.raw not in (tmp_path / "out.jsonl").read_bytes().splitlines()
    project.undelete(victim.id, gone.version)
    project.export(info.name, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == BUNDLED_SAMPLE.read_bytes()


def test_quarantined_lines_are_kept_and_can_be_left_out(project: Project, tmp_path: Path):
    info = project.import_file(BUNDLED_SAMPLE)
    broken = [s for s in project.examples(info.id) if s.example.error is not None]
    assert [(s.example.line, s.example.error) for s in broken] == [
        (26, "not valid JSON: Expecting ',' delimiter at column 86")
    ]
    written = project.export(info.name, tmp_path / "clean.jsonl", quarantined=False)
    lines = (tmp_path / "clean.jsonl").read_bytes().splitlines()
    assert written == len(lines) == project.count(info.id) - 1
    assert broken[0].example.raw not in lines


def test_a_table_imports_and_exports_as_jsonl(project: Project, tmp_path: Path):
    table = tmp_path / "pairs.csv"
    table.write_text("question,answer\nWhat is 2+2?, four\nCapital of France?, Paris\n")
    mapping = {"prompt": "question", "completion": "answer"}
    info = project.import_file(table, "pairs", mapping=mapping)
    project.export(info.name, tmp_path / "pairs.jsonl")
    assert (tmp_path / "pairs.jsonl").read_text().splitlines() == [
        '{"prompt": "What is 2+2?", "completion": " four"}',
        '{"prompt": "Capital of France?", "completion": " Paris"}',
    ]
