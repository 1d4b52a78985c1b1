"""The Fine-tune tab opened while a large dataset is still loading: no check, hence no
launch, of the first rows only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.ui.launch.conftest import WAIT_MS, MakeTab, checked
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project

pytestmark = pytest.mark.gui
DBPEDIA = SAMPLES / "openai-cookbook_dbpedia_samples.jsonl"  # 200 rows


@pytest.fixture
def opened_with_first_rows(tmp_path: Path):
    with Project.open(tmp_path / "p.tunedeck", create=True, author="ann") as project:
        project.import_file(DBPEDIA, "data")
    project = Project.open(tmp_path / "p.tunedeck", author="ann")
    yield CurationSession(project, "data", first=20)
    project.close()


def test_the_check_waits_for_every_row_and_their_lint(
    qtbot, opened_with_first_rows: CurationSession, make_tab: MakeTab
):
    session = opened_with_first_rows
    tab = make_tab(session)
    panel = tab.panel
    qtbot.waitUntil(lambda: bool(panel.models.current()), timeout=WAIT_MS)
    panel.check()
    assert "still loading (20 of 200)" in panel.gate.verdict.text()
    assert not panel.bar.launch_button.isEnabled()
    assert not panel.bar.write_button.isEnabled()

    session.take_rest(session.read_rest())  # every row in, the linter not through them yet
    panel.check()
    assert "being linted" in panel.gate.verdict.text()
    assert not panel.bar.write_button.isEnabled()

    session.lint_all()
    session.relinted.emit()  # what the window's lint worker ends with
    checked(qtbot, tab)
    build = panel._checked
    exported = len(build.training) + len(build.validation) + sum(build.left_out.values())
    assert exported == 200
    assert panel.bar.write_button.isEnabled()
