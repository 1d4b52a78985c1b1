"""`make package` builds an application that works on a machine without our Python.

The bundle is built once for this module (a few minutes) into a temporary folder, then run as
a user's desktop would run it: a bare PATH, a fresh HOME, a temporary working folder, and
neither the virtualenv nor the source tree anywhere it looks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE, REPO, SAMPLE_FILES
from tunedeck.resources import APP_ID

pytestmark = [pytest.mark.slow, pytest.mark.bundle]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The built bundle's folder (holding the `tunedeck` program and `_internal/`)."""
    out = tmp_path_factory.mktemp("package").resolve()
    result = subprocess.run(
        ["make", "package", f"DIST={out / 'dist'}", f"PACKAGE_BUILD={out / 'build'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"make package failed:\n{result.stdout}\n{result.stderr}"
    folder = out / "dist" / "tunedeck"
    assert (folder / "tunedeck").is_file()
    return folder


def clean_env(home: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}


def run_bundled(bundle: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "tunedeck"), *args],
        env=clean_env(cwd),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bundle_passes_its_self_test_with_its_own_code(bundle: Path, tmp_path: Path):
    result = run_bundled(bundle, "--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    inside = bundle / "_internal"
    # The code and the resources are the bundle's own, not the source tree's.
    assert f"] code: tunedeck {version('tunedeck')} from {inside / 'tunedeck'} " in result.stdout
    assert f"] resources: {inside / 'resources'} " in result.stdout
    assert "] lint: 43 rows in the table; findings: " in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("self-test passed")


def test_bundle_says_the_package_version(bundle: Path, tmp_path: Path):
    result = run_bundled(bundle, "--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"tunedeck {version('tunedeck')}")


@pytest.mark.parametrize("sample", [BUNDLED_SAMPLE, *SAMPLE_FILES], ids=lambda path: path.stem)
def test_bundle_lints_exactly_like_the_source(bundle: Path, tmp_path: Path, sample: Path):
    shutil.copy(sample, tmp_path / sample.name)
    args = ("lint", sample.name, "--format", "json")
    bundled = run_bundled(bundle, *args, cwd=tmp_path)
    source = subprocess.run(
        [sys.executable, "-m", "tunedeck", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bundled.stderr == ""
    assert (bundled.returncode, bundled.stdout) == (source.returncode, source.stdout)
    assert json.loads(bundled.stdout)["examples"] > 0


def test_bundle_missing_a_vocabulary_fails_its_self_test(bundle: Path, tmp_path: Path):
    vocabulary = bundle / "_internal" / "resources" / "tokenizers" / "o200k_base.tiktoken"
    aside = vocabulary.with_name("moved-aside")
    vocabulary.rename(aside)
    try:
        result = run_bundled(bundle, "--self-test", cwd=tmp_path)
    finally:
        aside.rename(vocabulary)
    assert result.returncode == 1
    assert "self-test FAILED at step 'resources'" in result.stderr
    assert "o200k_base.tiktoken" in result.stderr


def test_bundle_carries_every_library_its_parts_link(bundle: Path):
    # The self-test loads the offscreen platform only; a library trimmed from the bundle that
    # the xcb or wayland platform still links would fail on users' desktops alone. Libraries
    # the packages in the virtualenv ship must all be inside; the rest come from the system.
    inside = sorted({str(path.parent) for path in bundle.rglob("*.so*")})
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ":".join(inside)}
    shipped = {path.name for path in Path(sysconfig.get_paths()["platlib"]).rglob("*.so*")}
    missing: dict[str, set[str]] = {}
    elves = [bundle / "tunedeck", *bundle.rglob("*.so*")]
    for path in (path for path in elves if path.is_file() and not path.is_symlink()):
        listing = subprocess.run(["ldd", str(path)], env=env, capture_output=True, text=True)
        for name in re.findall(r"^\s*(\S+) => not found", listing.stdout, re.MULTILINE):
            if name in shipped:
                missing.setdefault(name, set()).add(path.name)
    assert missing == {}
    dangling = [path for path in bundle.rglob("*") if path.is_symlink() and not path.exists()]
    assert dangling == []  # links to parts the spec left out


def test_install_script_adds_tunedeck_to_the_menu_and_removes_it(bundle: Path, tmp_path: Path):
    prefix = tmp_path / "prefix"
    env = clean_env(tmp_path) | {"PREFIX": str(prefix)}
    subprocess.run(["sh", str(bundle / "install.sh")], env=env, check=True, capture_output=True)
    program = prefix / "lib" / "tunedeck" / "tunedeck"
    entry = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'\nExec="{program}" %f\n' in entry
    assert (prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    # The command on PATH is a link into the installed bundle; the program finds its parts.
    command = prefix / "bin" / "tunedeck"
    result = subprocess.run(
        [str(command), "--version"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.stdout.strip() == f"tunedeck {version('tunedeck')}"

    subprocess.run(["sh", str(bundle / "install.sh"), "--uninstall"], env=env, check=True)
    assert not command.exists() and not command.is_symlink()
    assert not program.parent.exists()
    assert list(prefix.rglob(f"{APP_ID}*")) == []
