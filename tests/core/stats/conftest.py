"""Sessions on real SQLite projects, and datasets linted without one."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tunedeck.core.io import read_jsonl
from tunedeck.core.lint import Linter, LintSettings
from tunedeck.core.session import CurationSession
from tunedeck.core.stats import LintedDataset
from tunedeck.core.storage import Project

MakeSession = Callable[..., CurationSession]


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """One line per record; a str is written as it is (a broken line, say)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def create_project(location: Path, source: Path, settings: LintSettings) -> None:
    with Project.open(location, create=True, author="ann") as project:
        project.import_file(source, "data", settings=settings)


@pytest.fixture
def make_session(tmp_path: Path) -> Iterator[MakeSession]:
    """make_session(records or a file, settings) -> a linted session on a new project."""
    projects: list[Project] = []

    def make(source: list[Any] | Path, settings: LintSettings | None = None) -> CurationSession:
        name = f"p{len(projects)}"
        if not isinstance(source, Path):
            source = write_jsonl(tmp_path / f"{name}.jsonl", source)
        create_project(tmp_path / f"{name}.tunedeck", source, settings or LintSettings())
        project = Project.open(tmp_path / f"{name}.tunedeck", author="ann")
        projects.append(project)
        session = CurationSession(project, "data")
        session.lint_all()
        return session

    yield make
    for project in projects:
        project.close()


def linted(path: Path, settings: LintSettings | None = None) -> LintedDataset:
    """A file read and linted without a project: no reviews."""
    dataset = read_jsonl(path)
    linter = Linter(dataset, settings or LintSettings())
    linter.run()
    return LintedDataset(dataset, linter, {})
