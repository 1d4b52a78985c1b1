"""Tables (CSV, TSV, XLSX, Parquet) and JSON array files read into examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tunedeck.core.dataset import ExampleFormat
from tunedeck.core.errors import UserError
from tunedeck.core.io import read_json_array, read_table
from tunedeck.core.io.json_array import NotAJsonArrayError

QA = {
    "question": ["What is 2+2?", "Capital of France?", ""],
    "answer": ["4", "Paris", "NA"],
    "source": ["math", "geo", "misc"],
}
CHAT = [
    [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
    [{"role": "user", "content": "bye"}, {"role": "assistant", "content": "ciao"}],
]


def _write(frame_data: dict[str, list[Any]], path: Path) -> Path:
    import pandas as pd

    frame = pd.DataFrame(frame_data)
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False, sheet_name="Data")
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".parquet"])
def test_reads_every_kind_with_a_mapping(suffix: str, tmp_path: Path) -> None:
    path = _write(QA, tmp_path / f"qa{suffix}")
    dataset = read_table(path, mapping={"prompt": "question", "completion": "answer"})

    assert len(dataset) == 3
    assert [example.line for example in dataset] == [2, 3, 4]
    first = dataset[1]
    assert first.record == {"prompt": "What is 2+2?", "completion": "4", "source": "math"}
    assert list(first.record) == ["prompt", "completion", "source"]  # column order kept
    assert first.format is ExampleFormat.LEGACY
    assert first.raw is None
    assert dataset[3].record["completion"] == "NA"  # text, not a missing value
    assert dataset.layout.source == path
    assert dataset.layout.separators == (", ", ": ")
    assert not dataset.layout.ensure_ascii


def test_empty_csv_cell_stays_an_empty_string(tmp_path: Path) -> None:
    path = _write(QA, tmp_path / "qa.csv")
    assert read_table(path)[3].record == {"question": "", "answer": "NA", "source": "misc"}


def test_empty_xlsx_cell_is_left_out(tmp_path: Path) -> None:
    path = _write(QA, tmp_path / "qa.xlsx")
    assert read_table(path, sheet="Data")[3].record == {"answer": "NA", "source": "misc"}


def test_without_mapping_columns_keep_their_names(tmp_path: Path) -> None:
    path = _write({"prompt": ["p"], "completion": ["c"], "n": [3]}, tmp_path / "t.parquet")
    assert read_table(path)[1].record == {"prompt": "p", "completion": "c", "n": "3"}


def test_numbers_in_xlsx_are_read_as_text(tmp_path: Path) -> None:
    path = _write({"prompt": ["p"], "completion": [7]}, tmp_path / "t.xlsx")
    assert read_table(path, sheet=0)[1].record == {"prompt": "p", "completion": "7"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_messages_json_column_is_parsed(suffix: str, tmp_path: Path) -> None:
    column = [json.dumps(messages) for messages in CHAT]
    path = _write({"conversation": column, "label": ["a", "b"]}, tmp_path / f"chat{suffix}")
    dataset = read_table(path, mapping={"messages": "conversation"})
    assert [example.record["messages"] for example in dataset] == CHAT
    assert dataset.formats() == {ExampleFormat.CHAT}


def test_native_parquet_messages_become_plain_lists(tmp_path: Path) -> None:
    path = _write({"messages": CHAT}, tmp_path / "chat.parquet")
    dataset = read_table(path)
    assert [example.record for example in dataset] == [{"messages": m} for m in CHAT]
    assert type(dataset[1].record["messages"]) is list


def test_bad_messages_cell_quarantines_only_that_row(tmp_path: Path) -> None:
    column = [json.dumps(CHAT[0]), '[{"role": "user", "content": "hi"']
    path = _write({"conversation": column}, tmp_path / "chat.csv")
    dataset = read_table(path, mapping={"messages": "conversation"})

    good, bad = dataset
    assert good.record == {"messages": CHAT[0]}
    assert bad.is_quarantined
    assert bad.line == 3
    assert bad.error_field == "messages"
    assert bad.error.startswith('column "conversation" is not valid JSON: ')
    # The row is kept as a JSON line that can be repaired.
    assert json.loads(bad.raw) == {"messages": column[1]}


def test_non_string_prompt_in_parquet_list_is_quarantined(tmp_path: Path) -> None:
    path = _write({"prompt": [["a", "b"]], "completion": ["c"]}, tmp_path / "t.parquet")
    example = read_table(path)[1]
    assert example.error == 'field "prompt" must be a string, found array'
    assert example.error_field == "prompt"


def test_missing_mapped_column_names_the_columns(tmp_path: Path) -> None:
    path = _write(QA, tmp_path / "qa.csv")
    with pytest.raises(UserError) as caught:
        read_table(path, mapping={"prompt": "query", "completion": "answer"})
    message = str(caught.value)
    assert str(path) in message
    assert '"query" (for prompt)' in message
    assert '"question", "answer", "source"' in message


def test_mapping_that_clashes_with_another_column_is_refused(tmp_path: Path) -> None:
    path = _write({"prompt": ["x"], "question": ["y"]}, tmp_path / "t.csv")
    with pytest.raises(UserError, match="more than one column would become prompt"):
        read_table(path, mapping={"prompt": "question"})


def test_missing_sheet_is_a_user_error(tmp_path: Path) -> None:
    path = _write(QA, tmp_path / "qa.xlsx")
    with pytest.raises(UserError, match="cannot read"):
        read_table(path, sheet="Nope")


def test_corrupt_xlsx_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(UserError, match="cannot read"):
        read_table(path)


def test_json_array_elements_keep_their_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(
        "[\n"
        '  {"prompt": "a", "completion": "b"},\n'
        "  {\n"
        '    "messages": [{"role": "user", "content": "x\\ny"}]\n'
        "  },\n"
        "  42,\n"
        '  [{"role": "user", "content": "hi"}],\n'
        '  {"completion": null}, {"score": NaN}\n'
        "]\n",
        encoding="utf-8",
    )
    dataset = read_json_array(path)

    assert [example.line for example in dataset] == [2, 3, 6, 7, 8, 8]
    assert dataset[1].record == {"prompt": "a", "completion": "b"}
    assert dataset[2].format is ExampleFormat.CHAT
    assert (dataset[3].raw, dataset[3].error) == (b"42", "expected a JSON object, found a number")
    assert "bare list of messages" in dataset[4].error
    assert dataset[5].error_field == "completion"
    assert (dataset[6].raw, dataset[6].error) == (b'{"score": NaN}', "NaN is not valid JSON")


def test_empty_json_array(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"\xef\xbb\xbf [ ] \n")
    assert len(read_json_array(path)) == 0


@pytest.mark.parametrize(
    ("content", "line", "error"),
    [
        ('[\n  {"a": 1},\n  {"a": \n]', 4, UserError),
        ('[\n  {"a": 1}\n  {"a": 2}\n]', 3, UserError),
        ('[\n  {"a": 1},\n', 3, UserError),
        ('\n\n{"a": 1}\n', 3, NotAJsonArrayError),
        ('[{"a": 1}]\n[{"a": 2}]\n', 2, NotAJsonArrayError),
    ],
)
def test_broken_json_array_names_file_and_line(
    content: str, line: int, error: type[Exception], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as caught:
        read_json_array(path)
    assert f"{path}, line {line}:" in str(caught.value)
