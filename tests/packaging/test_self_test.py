"""`tunedeck --self-test` from the source install: every step passes and says what it did."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path


def test_self_test_passes_step_by_step(tmp_path: Path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = os.environ | {
        "TMPDIR": str(temporary),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TUNEDECK_LAUNCHED_AT": repr(time.time()),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tunedeck", "--self-test"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    steps = re.findall(r"^\[(\d+)/(\d+)\] (\w+): ", result.stdout, re.MULTILINE)
    names = [name for _number, _total, name in steps]
    assert names[:5] == ["code", "resources", "project", "window", "lint"]
    assert all(total == str(len(steps)) for _number, total, _name in steps)
    assert re.search(r"first expose \d+\.\d\d s after launch", result.stdout)
    assert re.search(r"findings: [1-9]\d* error\(s\), [1-9]\d* warning\(s\)", result.stdout)
    assert result.stdout.rstrip().splitlines()[-1].startswith("self-test passed")
    assert str(temporary) in result.stdout  # the project went to a temporary folder...
    assert not list(temporary.iterdir())  # ...which is gone again
    assert not list(tmp_path.rglob("*.tunedeck"))  # and none went to HOME or the data folder
