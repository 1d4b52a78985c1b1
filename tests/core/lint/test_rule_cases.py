"""Runs every named pass/fail/fix case in tests/core/lint/cases/<rule-name>.toml."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tunedeck.core.dataset import Dataset, Example
from tunedeck.core.io import dump_jsonl, parse_jsonl
from tunedeck.core.lint import LintSettings, lint
from tunedeck.core.lint.fixing import apply_fixes, choose

CASES = Path(__file__).parent / "cases"
_REPEAT = re.compile(r"\$\{repeat:(.*?):(\d+)\}")


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            params.append(
                pytest.param(
                    path.stem, data.get("settings", {}), case, id=f"{path.stem}: {case['name']}"
                )
            )
    return params


def _expand(value: Any) -> Any:
    """`${repeat:TEXT:N}` in a string stands for TEXT repeated N times (long examples)."""
    if isinstance(value, str):
        return _REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), value)
    if isinstance(value, list):
        return [_expand(item) for item in value]
    if isinstance(value, dict):
        return {key: _expand(item) for key, item in value.items()}
    return value


def build_dataset(case: dict[str, Any]) -> Dataset:
    if "lines" in case:
        return parse_jsonl(("\n".join(case["lines"]) + "\n").encode())
    rows = _expand(case["rows"])
    return Dataset.from_examples(
        Example(id=index, record=copy.deepcopy(record), line=index)
        for index, record in enumerate(rows, start=1)
    )


def build_settings(*layers: dict[str, Any]) -> LintSettings:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer)
    for key in ("separator", "stop"):
        if merged.get(key) == "":
            merged[key] = None  # "" in a case file means "infer it"
    return LintSettings(**merged)


@pytest.mark.parametrize(("rule", "file_settings", "case"), _cases())
def test_rule_case(rule: str, file_settings: dict[str, Any], case: dict[str, Any]) -> None:
    dataset = build_dataset(case)
    linter = lint(dataset, build_settings(file_settings, case.get("settings", {})))
    findings = [d for d in linter.diagnostics() if d.rule == rule]

    got = sorted((d.row_id or 0, d.field or "") for d in findings)
    expected = sorted((item["row"], item.get("field", "")) for item in case["expect"])
    assert got == expected, [d.message for d in findings]

    if "message" in case:
        assert any(case["message"] in d.message for d in findings), [d.message for d in findings]
    if "severity" in case:
        assert {d.severity.value for d in findings} == {case["severity"]}
    if "fixed" in case:
        chosen = choose(linter.diagnostics(), case.get("rules", [rule]))
        assert chosen, "the case expects a fix but the findings offer none"
        apply_fixes(dataset, chosen)
        assert [example.record for example in dataset] == _expand(case["fixed"])


def test_fixes_keep_untouched_rows_byte_identical() -> None:

    lines = [
        b'{"prompt":"a\\n\\n###\\n\\n","completion":" x"}',
        b'{"prompt":"b","completion":" y"}',
        b'{ "prompt" : "c\\n\\n###\\n\\n", "completion":" z" }',
    ]
    dataset = parse_jsonl(b"\n".join(lines) + b"\n")
    linter = lint(dataset, LintSettings(model="davinci-002", separator="\n\n###\n\n"))
    apply_fixes(dataset, choose(linter.diagnostics()))
    written = dump_jsonl(dataset).split(b"\n")
    assert written[0] == lines[0]
    assert json.loads(written[1]) == {"prompt": "b\n\n###\n\n", "completion": " y"}
    assert written[2] == lines[2]  # odd spacing kept: nobody touched it


def test_one_fix_applies_as_one_undoable_command() -> None:
    dataset = parse_jsonl(b'{"prompt": "a", "completion": "b"}\n')
    linter = lint(dataset, LintSettings(model="davinci-002", separator=" ->", stop="\n"))
    fixes = {d.rule: d.fix for d in linter.diagnostics() if d.fix is not None}
    assert set(fixes) == {"missing-separator", "completion-leading-space", "missing-stop"}
    undo = fixes["missing-stop"].command().apply(dataset)
    assert dataset[1].record == {"prompt": "a", "completion": "b\n"}
    undo.apply(dataset)
    assert dump_jsonl(dataset) == b'{"prompt": "a", "completion": "b"}\n'
