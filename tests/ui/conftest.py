"""A curation session on the bundled sample, stored in a temporary project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.conftest import BUNDLED_SAMPLE
from tests.core.remote.conftest import memory_keyring  # noqa: F401 (a fixture, re-exported)
from tunedeck.core.remote import KeyStore
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project
from tunedeck.ui.connections import Connections


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, monkeypatch) -> Path:
    """Recent projects, crash reports and the sample project go to a temporary home, never
    into the real user's settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(home / "config"))
    return home


def open_session(path: Path, sample: Path = BUNDLED_SAMPLE, model: str | None = "davinci-002"):
    if not path.exists():
        with Project.open(path, create=True, author="ann") as project:
            info = project.import_file(sample, "data")
            settings = info.settings
            settings.model = model
            project.set_settings("data", settings, info.settings_version)
    session = CurationSession(Project.open(path, author="ann"), "data")
    session.lint_all()
    return session


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "ui.tunedeck"


@pytest.fixture
def sample_session(project_path: Path) -> Iterator[CurationSession]:
    session = open_session(project_path)
    yield session
    session.project.close()


def linted_session(tmp_path: Path, sample: Path) -> Iterator[CurationSession]:
    """A sample with the settings it infers (no model chosen), linted; closed afterwards."""
    project = Project.open(tmp_path / "p.tunedeck", create=True, author="ann")
    project.import_file(sample, "data")
    opened = CurationSession(project, "data")
    opened.lint_all()
    yield opened
    project.close()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[CurationSession]:
    yield from linted_session(tmp_path, BUNDLED_SAMPLE)


def show_window(qtbot, session: CurationSession, connections=None):
    """A window on `session` as a user finds it after the first lint: shown, findings in."""
    from tunedeck.ui.main_window import MainWindow

    shown = MainWindow(session, connections)
    qtbot.addWidget(shown)
    shown.show()
    shown.passes.finish_lint()
    # Counts, classes and the statistics dock follow one turn of the event loop later.
    qtbot.waitUntil(lambda: shown._stats_dock is not None)
    return shown


@pytest.fixture
def window(qtbot, project_path: Path):
    """The bundled sample in a window; closing it closes its project."""
    shown = show_window(qtbot, open_session(project_path))
    yield shown
    shown.close()


@pytest.fixture
def connections(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Connections]:
    """Profiles and keys in temporary folders and an in-memory keychain; the built-in sandbox
    runs one-second jobs. Stopped afterwards."""
    request.getfixturevalue("memory_keyring")
    shared = Connections(
        config=tmp_path / "config",
        data=tmp_path / "data",
        keys=KeyStore(environ={}),
        sandbox_job_seconds=1.0,
    )
    yield shared
    shared.close()
