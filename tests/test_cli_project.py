"""`tunedeck import`, `tunedeck export` and `tunedeck lint` on a project."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BUNDLED_SAMPLE, SAMPLES
from tunedeck.cli import main
from tunedeck.core.storage import Project

DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"


def test_import_creates_the_project_and_names_the_dataset_after_the_file(tmp_path: Path, capsys):
    project = tmp_path / "work.tunedeck"
    assert main(["import", str(BUNDLED_SAMPLE), "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "imported 43 examples" in out and "'support-tickets'" in out
    assert "line 26: not valid JSON" in out  # the broken line is kept and said
    assert main(["import", str(DBPEDIA), "--project", str(project), "--name", "dbpedia"]) == 0
    with Project.open(project) as opened:
        assert [info.name for info in opened.datasets()] == ["support-tickets", "dbpedia"]


def test_export_writes_the_file_back_byte_for_byte(tmp_path: Path, capsys):
    project = str(tmp_path / "work.tunedeck")
    main(["import", str(DBPEDIA), "--project", project])
    out = tmp_path / "out.jsonl"
    args = ["export", "--project", project, "--dataset", DBPEDIA.stem, "-o", str(out)]
    assert main(args) == 0
    assert out.read_bytes() == DBPEDIA.read_bytes()
    assert "wrote 200 examples" in capsys.readouterr().out


def test_lint_a_project_uses_its_settings_and_the_reviewers_suppressions(tmp_path: Path, capsys):
    path = tmp_path / "work.tunedeck"
    with Project.open(path, create=True) as project:
        info = project.import_file(BUNDLED_SAMPLE, "tickets")
        settings = info.settings
        settings.model = "davinci-002"
        project.set_settings("tickets", settings, info.settings_version)
    status = main(["lint", str(path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["model"] == {"value": "davinci-002", "source": "configured"}
    from_file = json.loads(_lint_file(capsys))
    assert report["summary"] == from_file["summary"]
    assert status == 1  # the sample has errors

    duplicate = next(f for f in report["findings"] if f["rule"] == "duplicate")
    with Project.open(path) as project:
        example = next(s for s in project.examples(info.id) if s.example.line == duplicate["line"])
        project.review(example.id, example.version, suppressed=["duplicate"])
    main(["lint", str(path), "--format", "json"])
    after = json.loads(capsys.readouterr().out)
    lines = {f["line"] for f in after["findings"] if f["rule"] == "duplicate"}
    assert duplicate["line"] not in lines


def _lint_file(capsys) -> str:
    main(["lint", str(BUNDLED_SAMPLE), "--model", "davinci-002", "--format", "json"])
    return capsys.readouterr().out


def test_lint_asks_which_dataset_when_a_project_has_several(tmp_path: Path, capsys):
    project = str(tmp_path / "work.tunedeck")
    main(["import", str(BUNDLED_SAMPLE), "--project", project])
    main(["import", str(DBPEDIA), "--project", project])
    capsys.readouterr()
    assert main(["lint", project]) == 2
    assert "choose one with --dataset" in capsys.readouterr().err
    assert main(["lint", project, "--dataset", DBPEDIA.stem, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["examples"] == 200
