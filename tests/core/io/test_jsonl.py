"""JSONL reading and writing: real files, every kind of bad line, and edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunedeck.core.dataset import ExampleFormat, FileLayout
from tunedeck.core.io import (
    dump_jsonl,
    parse_jsonl,
    parse_line,
    read_jsonl,
    serialize,
    write_jsonl,
)

# The shared sample files sit beside the repository, not inside it.
SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples"

SAMPLE_COUNTS = {
    "openai-cookbook_dbpedia_samples.jsonl": (200, ExampleFormat.LEGACY),
    "openai-cookbook_toy_chat_fine_tuning.jsonl": (5, ExampleFormat.CHAT),
    "openai-cookbook_fine-tune-app_uploaded_output.jsonl": (11, ExampleFormat.CHAT),
    "genai-for-beginners_clippy_training_set.jsonl": (10, ExampleFormat.CHAT),
    "genai-for-beginners_clippy_validation_set.jsonl": (10, ExampleFormat.CHAT),
    "genai-for-beginners_elle_limerick_training-data.jsonl": (10, ExampleFormat.CHAT),
}
NO_FINAL_NEWLINE = {
    "genai-for-beginners_clippy_training_set.jsonl",
    "genai-for-beginners_clippy_validation_set.jsonl",
    "genai-for-beginners_elle_limerick_training-data.jsonl",
}


def test_every_sample_file_is_known() -> None:
    assert {path.name for path in SAMPLES.glob("*.jsonl")} == set(SAMPLE_COUNTS)


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_round_trips_byte_for_byte(name: str, tmp_path: Path) -> None:
    source = SAMPLES / name
    dataset = read_jsonl(source)
    count, kind = SAMPLE_COUNTS[name]

    assert len(dataset) == count
    assert dataset.formats() == {kind}
    assert not [example.line for example in dataset if example.is_quarantined]
    assert [example.id for example in dataset] == list(range(1, count + 1))
    assert [example.line for example in dataset] == list(range(1, count + 1))
    assert dataset.layout.source == source

    target = tmp_path / name
    write_jsonl(dataset, target)
    assert target.read_bytes() == source.read_bytes()
    assert target.read_bytes().endswith(b"\n") == (name not in NO_FINAL_NEWLINE)


@pytest.mark.parametrize(
    ("name", "separators", "ensure_ascii"),
    [
        ("openai-cookbook_dbpedia_samples.jsonl", (",", ":"), True),
        ("genai-for-beginners_clippy_training_set.jsonl", (", ", ": "), False),
    ],
)
def test_style_is_detected_so_raw_bytes_can_be_dropped(
    name: str, separators: tuple[str, str], ensure_ascii: bool
) -> None:
    dataset = read_jsonl(SAMPLES / name)
    assert dataset.layout.separators == separators
    assert dataset.layout.ensure_ascii is ensure_ascii
    first = dataset[1]
    assert first.raw is None
    # Most lines are rebuilt from their record; dbpedia's few "\/" escapes must keep theirs.
    kept = [example for example in dataset if example.raw is not None]
    assert len(kept) <= 5
    assert all(b"\\/" in example.raw for example in kept)


def test_irregular_whitespace_keeps_raw_bytes() -> None:
    path = SAMPLES / "genai-for-beginners_elle_limerick_training-data.jsonl"
    lines = path.read_bytes().split(b"\n")
    dataset = read_jsonl(path)
    assert [example.raw for example in dataset] == lines
    assert dataset.layout.separators == (", ", ": ")


def test_edited_row_is_written_in_the_files_style_and_others_are_untouched() -> None:
    data = (SAMPLES / "openai-cookbook_dbpedia_samples.jsonl").read_bytes()
    dataset = parse_jsonl(data)
    dataset.set_field(3, "completion", "Café")
    dataset[7].record["completion"] = "Other"
    dataset[7].raw = None

    before, after = data.split(b"\n"), dump_jsonl(dataset).split(b"\n")
    changed = [
        index for index, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
    ]
    assert changed == [2, 6]
    assert after[2] == json.dumps(dataset[3].record, separators=(",", ":")).encode()
    assert b"Caf\\u00e9" in after[2]  # the file escapes non-ASCII, so the edit does too
    assert json.loads(after[6])["completion"] == "Other"


def test_rows_appended_after_a_missing_final_newline_do_not_merge() -> None:
    data = (SAMPLES / "genai-for-beginners_clippy_training_set.jsonl").read_bytes()
    dataset = parse_jsonl(data)
    dataset.append({"prompt": "p", "completion": "c"})
    assert dump_jsonl(dataset) == data + b'\n{"prompt": "p", "completion": "c"}\n'


def test_removing_the_last_row_keeps_the_rest() -> None:
    dataset = parse_jsonl(b'{"a": 1}\n{"a": 2}')
    dataset.remove([2])
    assert dump_jsonl(dataset) == b'{"a": 1}\n'


GOOD_BEFORE = b'{"prompt": "before", "completion": "x"}'
GOOD_AFTER = b'{"prompt": "after", "completion": "y"}'
HINT = 'looks like a bare list of messages; wrap it as {"messages": [...]}'


@pytest.mark.parametrize(
    ("line", "error", "error_field"),
    [
        (b'{"prompt": "a",}', "not valid JSON: Expecting property name", None),
        (b'{"prompt": "a"', "at column 15", None),
        (b"[1, 2]", "expected a JSON object, found an array", None),
        (b'[{"role": "user", "content": "hi"}]', HINT, None),
        (b'"just text"', "expected a JSON object, found a string", None),
        (b"42", "expected a JSON object, found a number", None),
        (b"null", "expected a JSON object, found null", None),
        (b'{"prompt": "caf\xe9"}', "invalid UTF-8 at byte 16", None),
        (b'{"prompt": "a\x00b"}', "contains a NUL byte at column 14", None),
        (b'{"score": NaN}', "NaN is not valid JSON", None),
        (b'{"score": -Infinity}', "-Infinity is not valid JSON", None),
        (
            b'{"prompt": "p", "completion": 3}',
            'field "completion" must be a string, found number',
            "completion",
        ),
        (b'{"prompt": ["p"]}', 'field "prompt" must be a string, found array', "prompt"),
        (b"{" * 100_000, "not valid JSON", None),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply", None),
        (b'{"a": ' + b"1" * 5000 + b"}", "cannot be read: Exceeds the limit", None),
    ],
)
def test_bad_line_is_quarantined_between_good_ones(
    line: bytes, error: str, error_field: str | None
) -> None:
    data = b"\n".join([GOOD_BEFORE, line, GOOD_AFTER]) + b"\n"
    dataset = parse_jsonl(data)

    assert len(dataset) == 3
    first, bad, last = dataset
    assert first.record == {"prompt": "before", "completion": "x"}
    assert last.record == {"prompt": "after", "completion": "y"}
    assert (bad.line, bad.record, bad.raw) == (2, None, line)
    assert bad.format is ExampleFormat.INVALID
    assert error in bad.error
    assert bad.error_field == error_field
    assert dump_jsonl(dataset) == data


def test_line_over_the_limit_is_quarantined_unparsed() -> None:
    long_line = b'{"prompt": "' + b"x" * 100 + b'"}'
    data = GOOD_BEFORE + b"\n" + long_line + b"\n"
    dataset = parse_jsonl(data, max_line_bytes=64)
    assert dataset[1].record is not None
    assert dataset[2].error == "line is 114 bytes, over the 64-byte limit"
    assert dump_jsonl(dataset) == data


def test_duplicate_keys_load_last_wins_and_round_trip() -> None:
    data = b'{"completion": "a", "completion": "b"}\n'
    dataset = parse_jsonl(data)
    assert dataset[1].record == {"completion": "b"}
    assert dump_jsonl(dataset) == data


def test_chat_structure_problems_load_for_lint_to_report() -> None:
    dataset = parse_jsonl(b'{"messages": "hi"}\n{"messages": [{"role": "robot"}]}\n')
    assert [example.format for example in dataset] == [ExampleFormat.CHAT] * 2


def test_blank_lines_become_prefixes_and_trailing() -> None:
    data = b'\n  \n{"a": 1}\n\t\r\n{"a": 2}\n\n \n'
    dataset = parse_jsonl(data)
    assert [(example.line, example.prefix) for example in dataset] == [
        (3, b"\n  \n"),
        (5, b"\t\r\n"),
    ]
    assert dataset.layout.trailing == b"\n \n"
    assert dump_jsonl(dataset) == data


def test_bom_and_crlf_round_trip(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"prompt": "a", "completion": "b"}\r\n\r\n{"prompt": "c"}\r\n'
    source = tmp_path / "windows.jsonl"
    source.write_bytes(data)
    dataset = read_jsonl(source)
    assert dataset.layout.bom
    assert dataset.layout.newline == b"\r\n"
    assert [example.eol for example in dataset] == [b"\r\n", b"\r\n"]
    assert dataset[1].record == {"prompt": "a", "completion": "b"}
    assert dataset[2].line == 3
    dataset.append({"prompt": "d"})
    write_jsonl(dataset, source)
    assert source.read_bytes() == data + b'{"prompt": "d"}\r\n'


def test_mixed_terminators_are_each_kept() -> None:
    data = b'{"a": 1}\r\n{"a": 2}\n{"a": 3}\n{"a": 4}'
    dataset = parse_jsonl(data)
    assert [example.eol for example in dataset] == [b"\r\n", b"\n", b"\n", b""]
    assert dataset.layout.newline == b"\n"
    assert dump_jsonl(dataset) == data


def test_empty_inputs() -> None:
    assert len(parse_jsonl(b"")) == 0
    assert dump_jsonl(parse_jsonl(b"")) == b""
    assert dump_jsonl(parse_jsonl(b"\xef\xbb\xbf\n")) == b"\xef\xbb\xbf\n"


def test_parse_line_repairs_a_quarantined_line() -> None:
    dataset = parse_jsonl(b'{"prompt":"a","completion":"b"}\n{"prompt":"c",\n')
    assert dataset[2].is_quarantined
    fixed = parse_line(b'{"prompt":"c","completion":"d"}', 2, 2, dataset.layout)
    assert (fixed.id, fixed.line, fixed.record, fixed.raw) == (
        2,
        2,
        {"prompt": "c", "completion": "d"},
        None,
    )
    dataset.replace(2, fixed)
    assert (
        dump_jsonl(dataset) == b'{"prompt":"a","completion":"b"}\n{"prompt":"c","completion":"d"}\n'
    )


def test_parse_line_keeps_what_the_style_cannot_reproduce() -> None:
    layout = FileLayout(separators=(",", ":"))
    assert parse_line(b'{"a": 1}', 1, 1, layout).raw == b'{"a": 1}'
    assert parse_line(b"[1]", 1, 1, layout).error == "expected a JSON object, found an array"
    # A record pasted over several lines is written back as one line.
    assert parse_line(b'{"a":\n1}', 1, 1, layout).raw is None


def test_serialize_uses_raw_bytes_then_the_layout() -> None:
    dataset = parse_jsonl(b'{"b": "\xc3\xa9",  "a": 1}\n')
    example = dataset[1]
    assert serialize(example, dataset.layout) == b'{"b": "\xc3\xa9",  "a": 1}'
    example.raw = None
    assert serialize(example, dataset.layout) == b'{"b": "\xc3\xa9", "a": 1}'
    assert serialize(example, FileLayout(ensure_ascii=True, separators=(",", ":"))) == (
        b'{"b":"\\u00e9","a":1}'
    )


def test_lone_surrogate_escape_is_written_escaped() -> None:
    data = b'{"a": "\\ud800"}\n'
    dataset = parse_jsonl(data)
    assert dataset[1].record == {"a": "\ud800"}
    dataset[1].raw = None
    assert dump_jsonl(dataset) == data


def test_repeated_keys_and_labels_are_shared_between_rows() -> None:
    dataset = parse_jsonl(b'{"prompt": "a", "completion": "Film"}\n' * 2)
    first, second = (list(example.record.items()) for example in dataset)
    assert all(a[0] is b[0] for a, b in zip(first, second, strict=True))
    assert first[1][1] is second[1][1]


def test_memory_stays_under_three_times_the_file_size(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.jsonl"
    path.write_bytes((SAMPLES / "openai-cookbook_dbpedia_samples.jsonl").read_bytes() * 30)
    tracemalloc.start()
    try:
        dataset = read_jsonl(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(dataset) == 6000
    assert peak < 3 * path.stat().st_size
