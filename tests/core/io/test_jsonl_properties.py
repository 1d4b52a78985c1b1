"""Properties of the JSONL reader: any bytes round-trip, and valid lines are never lost."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tunedeck.core.io import dump_jsonl, parse_jsonl

BOM = b"\xef\xbb\xbf"
STYLES = [(sep, flag) for sep in ((",", ":"), (", ", ": ")) for flag in (False, True)]

# Short lines of troublesome bytes: JSON punctuation, whitespace, CR, NUL, BOM, invalid UTF-8.
awkward_bytes = st.lists(
    st.sampled_from(
        [
            b"{",
            b"}",
            b"[",
            b"]",
            b'"',
            b":",
            b",",
            b" ",
            b"\t",
            b"\r",
            b"\x00",
            b"\\u",
            b"NaN",
            b"1",
            b"null",
            b'"prompt"',
            b"\xc3\xa9",
            b"\xff",
            b"\xe2\x82",
            BOM,
        ]
    ),
    max_size=12,
).map(b"".join)
garbage_line = st.one_of(st.binary(max_size=40), awkward_bytes).map(
    lambda line: line.replace(b"\n", b"")
)
terminator = st.sampled_from([b"\n", b"\r\n", b"\r", b""])

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_value = st.recursive(
    json_scalar,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
# "prompt" and "completion" must be strings, or the line is rightly quarantined.
record = st.dictionaries(
    st.text(max_size=8).filter(lambda key: key not in ("prompt", "completion")),
    json_value,
    max_size=5,
) | st.fixed_dictionaries({"prompt": st.text(), "completion": st.text()})


def _valid_line(value: dict[str, Any], style: tuple[tuple[str, str], bool], pad: str) -> bytes:
    separators, ensure_ascii = style
    text = json.dumps(value, separators=separators, ensure_ascii=ensure_ascii)
    return (pad + text).encode("utf-8")


valid_line = st.builds(
    lambda value, style, pad: (value, _valid_line(value, style, pad)),
    record,
    st.sampled_from(STYLES),
    st.sampled_from(["", "", "", " "]),
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_round_trip(data: bytes) -> None:
    assert dump_jsonl(parse_jsonl(data)) == data


@settings(max_examples=200, deadline=None)
@given(
    st.booleans(),
    st.lists(
        st.tuples(st.one_of(garbage_line, valid_line.map(lambda pair: pair[1])), terminator),
        max_size=12,
    ),
)
def test_mixed_lines_round_trip(bom: bool, lines: list[tuple[bytes, bytes]]) -> None:
    data = (BOM if bom else b"") + b"".join(line + eol for line, eol in lines)
    assert dump_jsonl(parse_jsonl(data)) == data


@settings(max_examples=200, deadline=None)
@given(
    st.booleans(),
    st.lists(
        st.one_of(
            valid_line.map(lambda pair: ("good", *pair)),
            # A trailing CR would join the terminator, and a leading BOM the file's header.
            garbage_line.filter(
                lambda line: not line.endswith(b"\r") and not line.startswith(BOM)
            ).map(lambda line: ("other", None, line)),
            st.sampled_from([b"", b" ", b"\t \r"]).map(lambda line: ("blank", None, line)),
        ),
        max_size=15,
    ),
    st.lists(st.sampled_from([b"\n", b"\r\n"]), min_size=15, max_size=15),
    st.booleans(),
)
def test_valid_lines_are_never_lost_or_changed(
    bom: bool,
    items: list[tuple[str, Any, bytes]],
    eols: list[bytes],
    final_newline: bool,
) -> None:
    pieces = [line + eol for (_, _, line), eol in zip(items, eols, strict=False)]
    if pieces and not final_newline:
        pieces[-1] = items[-1][2]
    data = (BOM if bom else b"") + b"".join(pieces)

    dataset = parse_jsonl(data)

    by_line = {example.line: example for example in dataset}
    for number, (kind, value, line) in enumerate(items, start=1):
        if kind == "good":
            assert by_line[number].record == value
        elif line.strip(b" \t\r"):
            # Garbage may happen to be a valid object; what it must never be is dropped.
            example = by_line[number]
            assert example.record is not None or example.raw == line
        else:
            assert number not in by_line
    good = sum(1 for kind, _, _ in items if kind == "good")
    non_blank = sum(1 for _, _, line in items if line.strip(b" \t\r"))
    quarantined = sum(1 for example in dataset if example.is_quarantined)
    assert len(dataset) == non_blank
    assert good <= len(dataset) - quarantined  # garbage can be valid JSON by chance
    assert [example.id for example in dataset] == list(range(1, len(dataset) + 1))
    assert dump_jsonl(dataset) == data
