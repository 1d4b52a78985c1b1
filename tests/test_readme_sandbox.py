"""The README's sandbox walkthrough runs as written, against a real sandbox on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLES
from tunedeck.core.sandbox import Sandbox


def _walkthrough() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fine-tuning offline: the sandbox", 1)[1]
    (block,) = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], re.DOTALL)
    return block


def test_the_readme_walkthrough_trains_and_the_tuned_model_answers_from_its_data(tmp_path: Path):
    script = _walkthrough()
    assert "http://127.0.0.1:8765" in script and "../shared/samples/" in script
    with Sandbox(tmp_path / "state", job_seconds=1.0) as sandbox:
        script = script.replace("http://127.0.0.1:8765", sandbox.url)
        script = script.replace("../shared/samples/", f"{SAMPLES}/")
        script = script.replace("time.sleep(1)", "time.sleep(0.1)")
        env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(
        line.startswith("succeeded ft:gpt-4o-mini-2024-07-18:sandbox:clippy:") for line in lines
    )
    tuned = next(line for line in lines if line.startswith("tuned:"))
    base = next(line for line in lines if line.startswith("base:"))
    assert "Bellingshausen" in tuned  # the trained answer from the Clippy sample
    assert "SIMULATION" in base and "Bellingshausen" not in base
    assert (tmp_path / "launches.json").exists()
