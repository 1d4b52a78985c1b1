"""load() picks a reader by suffix and turns file problems into user messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.io import load

LINES = b'{"prompt": "a", "completion": "b"}\n{"prompt": "c", "completion": "d"}\n'


@pytest.mark.parametrize("suffix", [".jsonl", ".JSONL", ".jsonlines", ".ndjson"])
def test_json_lines_suffixes(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_bytes(LINES)
    dataset = load(path)
    assert [example.record["prompt"] for example in dataset] == ["a", "c"]
    assert dataset.layout.source == path


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b'[\n{"prompt": "a"},\n{"prompt": "b"}\n]\n')
    assert [example.line for example in load(path)] == [2, 3]


@pytest.mark.parametrize(
    "content",
    [LINES, b'[{"role": "user", "content": "hi"}]\n{"prompt": "x"}\n', b""],
)
def test_json_file_that_is_not_one_array_is_read_as_lines(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(content)
    dataset = load(path)
    assert len(dataset) == content.count(b"\n")
    assert all(example.line is not None for example in dataset)


def test_table_with_mapping(tmp_path: Path) -> None:
    path = tmp_path / "qa.csv"
    path.write_text("question,answer\nq1,a1\n", encoding="utf-8")
    dataset = load(path, mapping={"prompt": "question", "completion": "answer"})
    assert dataset[1].record == {"prompt": "q1", "completion": "a1"}


def test_unknown_suffix_names_file_and_supported_kinds(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load(path)
    message = str(caught.value)
    assert str(path) in message
    assert ".jsonl" in message
    assert ".xlsx" in message


@pytest.mark.parametrize("name", ["missing.jsonl", "missing.json", "missing.csv", "missing.xlsx"])
def test_missing_file_is_a_user_error(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    with pytest.raises(UserError, match=f"^cannot read {path}: "):
        load(path)


def test_directory_is_a_user_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    with pytest.raises(UserError, match="cannot read"):
        load(folder)


def test_import_is_light() -> None:
    # pandas costs a noticeable fraction of a second; the window must not wait for it.
    code = "import sys, tunedeck.core.io; print('pandas' in sys.modules, 'PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
