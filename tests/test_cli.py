"""`tunedeck lint` and `tunedeck fix` as a user or a CI pipeline runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE, SAMPLES
from tunedeck.cli import main

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"
TOY_CHAT = SAMPLES / "openai-cookbook_toy_chat_fine_tuning.jsonl"


def lint_json(capsys, *args: str) -> tuple[int, dict]:
    status = main(["lint", *args, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_dbpedia_as_an_expert_reads_it(capsys) -> None:
    status, report = lint_json(capsys, str(DBPEDIA), "--model", "davinci-002")
    assert status == 0  # only warnings
    assert (report["format"], report["examples"], report["invalid"]) == ("legacy", 200, 0)
    assert report["encoding"] == "cl100k_base"
    assert report["settings"]["separator"] == {"value": "\n\n###\n\n", "source": "proposed"}
    assert report["settings"]["classification"] == {"value": True, "source": "inferred"}
    by_rule = report["summary"]["by_rule"]
    assert by_rule["missing-separator"] == 200
    # 199 of 200 prompts start with a space, but no completion does.
    assert by_rule["completion-leading-space"] == 200
    labels = {f["data"]["label"] for f in report["findings"] if f["rule"] == "class-token"}
    assert {"MeanOfTransportation", "EducationalInstitution", "OfficeHolder"} <= labels
    assert not labels & {"Artist", "Film", "Company", "Album"}  # single tokens: not flagged
    first = report["findings"][0]
    assert set(first) == {"rule", "code", "severity", "line", "field", "message", "fixable", "data"}
    assert first["line"] == 1


def test_toy_chat_planted_flaws_are_found(capsys) -> None:
    status, report = lint_json(
        capsys, str(TOY_CHAT), "--model", "gpt-4o-mini", "--max-tokens", "4096"
    )
    assert status == 1
    found = {(f["rule"], f["line"]) for f in report["findings"]}
    assert ("chat-structure", 4) in found  # system + assistant, no user message
    assert ("token-overflow", 5) in found  # "Eat a banana!" x 2000
    assert report["settings"]["token_limit"] == {"value": 4096, "source": "configured"}


def test_text_output_is_one_line_per_finding_then_a_summary(capsys) -> None:
    status = main(["lint", str(BUNDLED_SAMPLE), "--model", "davinci-002"])
    out = capsys.readouterr().out
    assert status == 1  # the sample has a broken line
    assert f"{BUNDLED_SAMPLE}:26: TD001 invalid-record: not valid JSON" in out
    assert 'separator "\\n\\n###\\n\\n" (inferred from the data)' in out
    assert "42 examples (legacy), 1 unreadable line\n" in out


def test_the_summary_counts_in_words_that_agree(capsys) -> None:
    main(["lint", str(TOY_CHAT), "--model", "gpt-4o-mini", "--max-tokens", "4096"])
    out = capsys.readouterr().out
    assert "3 findings: 2 errors, 1 warning, 0 info" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "missing.jsonl"], "missing.jsonl"),
        (["lint", str(DBPEDIA), "--model", "gpt-9"], "Unknown model"),
        (["lint", str(DBPEDIA), "--max-tokens", "0"], "positive"),
        (["fix", str(DBPEDIA), "-o", "x.jsonl", "--rule", "nonsense"], "unknown rule"),
        (["lint", str(DBPEDIA), "--separator", "###\\"], "--separator '###\\\\': \\ at end"),
    ],
)
def test_unusable_input_exits_2_with_one_line(capsys, args, message) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bad_arguments_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", str(DBPEDIA), "--format", "yaml"])
    assert exit_info.value.code == 2


def test_separator_and_stop_accept_escapes(capsys) -> None:
    _, report = lint_json(capsys, str(DBPEDIA), "--separator", r"\n\n###\n\n", "--stop", r"\n")
    assert report["settings"]["separator"] == {"value": "\n\n###\n\n", "source": "configured"}
    assert report["settings"]["stop"]["value"] == "\n"


def test_fix_writes_the_safe_fixes_and_keeps_everything_else(tmp_path: Path, capsys) -> None:
    out = tmp_path / "fixed.jsonl"
    assert main(["fix", str(BUNDLED_SAMPLE), "--model", "davinci-002", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "applied" in printed
    original = BUNDLED_SAMPLE.read_bytes().split(b"\n")
    written = out.read_bytes().split(b"\n")
    assert len(written) == len(original) - 1  # the duplicate is gone
    assert original[25] in written  # the broken line is kept byte for byte
    assert original[0] in written  # an untouched line is unchanged
    _, report = lint_json(capsys, str(out), "--model", "davinci-002")
    remaining = report["summary"]["by_rule"]
    for fixed in ("missing-separator", "completion-leading-space", "missing-stop", "duplicate"):
        assert fixed not in remaining
    assert remaining["pii"] == 2  # unsafe: left for a person to judge
    assert main(["fix", str(BUNDLED_SAMPLE), "-o", str(out), "--rule", "pii"]) == 0
    assert b"dana.fox@example.com" not in out.read_bytes()


def test_the_installed_command_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tunedeck", "lint", str(DBPEDIA), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["model"] == "davinci-002"  # inferred from the format


def test_tables_with_other_column_names_are_mapped(tmp_path: Path, capsys) -> None:
    table = tmp_path / "qa.csv"
    table.write_text('question,answer\n"Is the sky blue?", yes\n"Is grass red?",no\n')
    _, unmapped = lint_json(capsys, str(table), "--model", "davinci-002")
    assert unmapped["format"] == "unknown"
    assert "map your columns" in unmapped["findings"][0]["message"]
    _, mapped = lint_json(
        capsys,
        str(table),
        "--model",
        "davinci-002",
        "--map",
        "prompt=question",
        "--map",
        "completion=answer",
    )
    assert mapped["format"] == "legacy"
    leading = [f["line"] for f in mapped["findings"] if f["rule"] == "completion-leading-space"]
    assert leading == [3]  # spreadsheet row numbers: the header is row 1
