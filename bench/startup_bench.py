"""Start-up benchmark: from launching TuneDeck to its window being visible (target: under 2 s).

    .venv/bin/python bench/startup_bench.py [PROGRAM] [--runs 7]

PROGRAM defaults to the bundle `make package` builds, dist/tunedeck/tunedeck; give
.venv/bin/tunedeck to compare the source install. Each run starts `PROGRAM --self-test` in a
clean environment (no virtualenv on PATH, a throw-away HOME, the offscreen platform) and passes
the launch time in TUNEDECK_LAUNCHED_AT; the self-test reports its window's first expose
relative to that. The self-test first creates a project from the bundled sample, as the very
first start of TuneDeck does; later starts open an existing project, so the table also shows
the time less that step. `PROGRAM --version` (loader, interpreter, command line) is the floor.

The runs follow each other, so after the first the files are in the page cache: the median is
a warm start. It is a report, not a test: it exits 0 whatever the figures, unless a run fails.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0
TIMING = re.compile(r"first expose ([\d.]+) s after launch \(([\d.]+) s of it creating")


def clean_env(home: str) -> dict[str, str]:
    """What a desktop session would hand the program, minus anything of our Python set-up."""
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "QT_QPA_PLATFORM": "offscreen"}
    if "LANG" in os.environ:
        env["LANG"] = os.environ["LANG"]
    return env


def self_test_run(program: Path, home: str) -> tuple[float, float]:
    """(launch to first expose, of which creating the project), in seconds."""
    env = clean_env(home) | {"TUNEDECK_LAUNCHED_AT": repr(time.time())}
    result = subprocess.run(
        [str(program), "--self-test"], env=env, cwd=home, capture_output=True, text=True
    )
    found = TIMING.search(result.stdout)
    if result.returncode != 0 or not found:
        sys.exit(f"startup_bench: the self-test failed:\n{result.stdout}{result.stderr}")
    return float(found[1]), float(found[2])


def version_run(program: Path, home: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(program), "--version"], env=clean_env(home), check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", nargs="?", type=Path, default=ROOT / "dist/tunedeck/tunedeck")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.program.exists():
        sys.exit(f"startup_bench: {args.program} does not exist; build it with `make package`")
    program = args.program.resolve()
    shown, less_project, floor = [], [], []
    with tempfile.TemporaryDirectory(prefix="tunedeck-startup-") as home:
        for run in range(1, args.runs + 1):
            total, project = self_test_run(program, home)
            shown.append(total)
            less_project.append(total - project)
            floor.append(version_run(program, home))
            print(
                f"run {run}: window visible {total:.2f} s ({total - project:.2f} s without "
                f"creating the project); --version {floor[-1]:.2f} s"
            )
    print(f"\n{program}, {args.runs} runs, median:")
    rows = [
        ("launch to visible window, first start (creates the project)", shown),
        ("launch to visible window, on an existing project", less_project),
        ("`tunedeck --version` (the floor)", floor),
    ]
    for label, values in rows:
        print(f"  {label:<62} {statistics.median(values):5.2f} s")
    verdict = "PASS" if statistics.median(shown) < TARGET_SECONDS else "MISS"
    print(f"  target: visible in under {TARGET_SECONDS:.0f} s on a first start: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
