"""`tunedeck --self-test`: prove an installed TuneDeck works, without a screen or a network.

Made for checking a built bundle, where what breaks is what the bundler left out: package
metadata, the resources, the migration scripts, a Qt plugin, a native library. So it walks the
path a user takes: a real project (SQLite, in a temporary folder) from the bundled sample, the
main window opened offscreen, the first lint; then the parts a first start does not touch:
both tokenizer vocabularies, the XLSX and Parquet readers, QtCharts, the PostgreSQL driver.
One line per step; the first failure says what went wrong and the exit status is 1.

The window step also reports start-up time: from the launch of the process (the
TUNEDECK_LAUNCHED_AT environment variable, seconds since the epoch, when the launcher sets it;
otherwise the kernel's record of the process start on Linux) to the window's first expose.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tunedeck import __version__
from tunedeck.core.errors import UserError
from tunedeck.resources import ICON, RESOURCES, resource

EXIT_PASSED, EXIT_FAILED = 0, 1
# Generous for a loaded machine; a hang (say, a modal crash dialog nobody can see) must
# still end the run with a message instead of blocking a build forever.
DEADLINE_SECONDS = 180
SAMPLE = ("samples", "support-tickets.jsonl")
LAUNCHED_AT = "TUNEDECK_LAUNCHED_AT"


class SelfTestError(Exception):
    """A check failed; the message says which and why."""


def launched_at() -> float | None:
    """When this process was launched, in seconds since the epoch, if that can be known."""
    try:
        return float(os.environ[LAUNCHED_AT])
    except (KeyError, ValueError):
        pass  # not set, or not a number: fall back to what the system knows
    try:  # Linux: field 22 of /proc/self/stat is the start time in clock ticks since boot.
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - uptime + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class SelfTest:
    """The steps, in order, sharing the project and window they build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.project_path = folder / "self-test.tunedeck"
        self.project_seconds = 0.0
        self.app = None
        self.window = None
        self.worker = None
        self.lint_outcome: list[str] = []  # "" when the lint finished, else why it did not

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("code", self.check_code),
            ("resources", self.check_resources),
            ("project", self.create_project),
            ("window", self.open_window),
            ("lint", self.first_lint),
            ("icon", self.check_icon),
            ("tokenizers", self.check_tokenizers),
            ("tables", self.check_tables),
            ("charts", self.check_charts),
            ("postgresql", self.check_postgres_driver),
            ("providers", self.check_providers),
        ]

    def check_code(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("tunedeck")
        except PackageNotFoundError:
            raise SelfTestError("the tunedeck package metadata is missing") from None
        if installed != __version__:
            raise SelfTestError(f"metadata says {installed}, the code says {__version__}")
        where = Path(sys.modules["tunedeck"].__file__).parent
        return f"tunedeck {installed} from {where} (Python {sys.version.split()[0]})"

    def check_resources(self) -> str:
        from tunedeck.core.tokens import ENCODINGS, vocabulary_path

        needed = [resource(*SAMPLE), resource(*ICON)]
        needed += [vocabulary_path(name) for name in ENCODINGS]
        missing = [str(path) for path in needed if not path.is_file()]
        if missing:
            raise SelfTestError(f"missing from {RESOURCES}: {', '.join(missing)}")
        return f"{RESOURCES} (sample, icon, {len(ENCODINGS)} tokenizer vocabularies)"

    def create_project(self) -> str:
        from tunedeck.core.storage import Project

        started = time.perf_counter()
        with Project.open(self.project_path, create=True, author="self-test") as project:
            info = project.import_file(resource(*SAMPLE), "support-tickets")
            settings = info.settings
            settings.model = "davinci-002"  # as the sample project a first start builds
            project.set_settings(info.name, settings, info.settings_version)
            count = project.count(info.id)
        self.project_seconds = time.perf_counter() - started
        return f"created {self.project_path} from {SAMPLE[-1]}: {count} examples"

    def open_window(self) -> str:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        from tunedeck.app import identify
        from tunedeck.core.session import CurationSession
        from tunedeck.core.storage import Project
        from tunedeck.ui.main_window import MainWindow

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        identify(self.app)
        # Built here rather than through app.open_window, which would add this throw-away
        # project to the user's recent projects.
        project = Project.open(self.project_path, author="self-test")
        self.window = MainWindow(CurationSession(project, "support-tickets"))
        exposed: list[float] = []

        class FirstExpose(QObject):
            def eventFilter(self, _watched, event) -> bool:  # noqa: N802 (Qt's name)
                if not exposed and event.type() == QEvent.Type.Expose:
                    exposed.append(time.time())
                return False

        watcher = FirstExpose()
        self.window.winId()  # creates the native window, so its expose events can be watched
        self.window.windowHandle().installEventFilter(watcher)
        self.window.show()
        self.worker = self.window.start_lint()  # as app.show does: the lint runs meanwhile
        self.worker.finished.connect(lambda _result: self.lint_outcome.append(""))
        self.worker.failed.connect(self.lint_outcome.append)
        self.worker.crashed.connect(lambda error: self.lint_outcome.append(f"crashed: {error!r}"))
        wait_until(lambda: bool(exposed), 30, "the window being shown")
        self.window.windowHandle().removeEventFilter(watcher)
        platform = self.app.platformName()
        start = launched_at()
        if start is None:
            return f"shown on the {platform} platform (launch time unknown here)"
        return (
            f"shown on the {platform} platform, first expose {exposed[0] - start:.2f} s after "
            f"launch ({self.project_seconds:.2f} s of it creating the project)"
        )

    def first_lint(self) -> str:
        from tunedeck.core.lint import Severity

        outcome = self.lint_outcome
        wait_until(lambda: bool(outcome), 60, "the first lint")
        if outcome[0]:
            raise SelfTestError(f"the first lint failed: {outcome[0]}")
        counts = self.window.problems.counts()
        errors, warnings = counts.get(Severity.ERROR, 0), counts.get(Severity.WARNING, 0)
        if not errors or not warnings:  # the sample is made to show both
            raise SelfTestError(f"expected errors and warnings, found {dict(counts)}")
        rows = self.window.model.rowCount()
        return f"{rows} rows in the table; findings: {errors} error(s), {warnings} warning(s)"

    def check_icon(self) -> str:
        image = self.window.windowIcon().pixmap(32, 32).toImage()
        if image.isNull() or image.pixelColor(16, 16).alpha() == 0:
            raise SelfTestError("the window icon did not draw (is Qt's SVG icon plugin there?)")
        return "the window icon draws at 32 px"

    def check_tokenizers(self) -> str:
        from tunedeck.core.tokens import ENCODINGS, get_encoding

        for name in ENCODINGS:  # each is checked against its sha256 as it loads
            if get_encoding(name).encode_ordinary("hello world") == []:
                raise SelfTestError(f"{name} encoded 'hello world' to nothing")
        return f"{', '.join(ENCODINGS)} loaded offline and verified"

    def check_tables(self) -> str:
        import pandas as pd

        from tunedeck.core.io import load

        rows = [example.record for example in load(resource(*SAMPLE)) if example.error is None]
        frame = pd.DataFrame(rows, columns=["prompt", "completion"])
        paths = [self.folder / "sample.xlsx", self.folder / "sample.parquet"]
        frame.to_excel(paths[0], index=False)
        frame.to_parquet(paths[1])
        for path in paths:
            read = load(path)
            if len(read) != len(rows) or any(example.error for example in read):
                raise SelfTestError(f"{path.name}: read {len(read)} of {len(rows)} rows intact")
        return f"{len(rows)} examples written and read back as XLSX and as Parquet"

    def check_charts(self) -> str:
        from PySide6.QtCharts import QChart, QChartView

        view = QChartView(QChart())
        view.deleteLater()
        return "QtCharts loads"

    def check_postgres_driver(self) -> str:
        import psycopg

        libpq = divmod(psycopg.pq.version(), 10000)  # e.g. 170002 is libpq 17.2
        implementation = psycopg.pq.__impl__
        return f"psycopg {psycopg.__version__}, {implementation} libpq {libpq[0]}.{libpq[1]}"

    def check_providers(self) -> str:
        """The openai SDK, its HTTP stack and the sandbox, end to end over loopback."""
        from tunedeck.core.remote import Provider, SandboxProfile
        from tunedeck.core.sandbox import Sandbox

        with Sandbox(self.folder / "sandbox") as sandbox:
            profile = SandboxProfile(id="self-test", name="Sandbox", url=sandbox.url)
            with Provider(profile, None) as provider:
                models = provider.list_models()
                reply = provider.chat("gpt-4o-mini", [{"role": "user", "content": "Hello"}])
        if not models or "SIMULATION" not in reply.text:
            raise SelfTestError(
                f"the sandbox listed {len(models)} models and answered {reply.text!r}"
            )
        import openai

        listed = f"{len(models)} sandbox models listed"
        return f"openai {openai.__version__}: {listed}, a streamed answer read"

    def close(self) -> None:
        if self.window is not None:
            self.window.close()  # stops the worker and closes the project
            self.window.deleteLater()
            self.window = None


def wait_until(done: Callable[[], bool], seconds: float, what: str) -> None:
    """Run the event loop until `done()` is true; raise when `seconds` pass first."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    if not done():
        poll.start()
        loop.exec()
        poll.stop()
    if not done():
        raise SelfTestError(f"{what} did not happen within {seconds:.0f} s")


def _give_up(step: list[str]) -> None:
    print(
        f"self-test FAILED: step {step[0]!r} did not finish within {DEADLINE_SECONDS} s",
        file=sys.stderr,
        flush=True,
    )
    os._exit(EXIT_FAILED)  # the GUI thread is stuck; nothing else would end the process


def run() -> int:
    """Run every step; returns 0 when all pass, 1 at the first failure."""
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # offscreen unless told otherwise
    current = ["start"]
    watchdog = threading.Timer(DEADLINE_SECONDS, _give_up, (current,))
    watchdog.daemon = True
    watchdog.start()
    print(f"tunedeck {__version__} self-test", flush=True)
    with tempfile.TemporaryDirectory(prefix="tunedeck-self-test-") as folder:
        test = SelfTest(Path(folder))
        steps = test.steps()
        try:
            for number, (name, step) in enumerate(steps, 1):
                current[0] = name
                print(f"[{number}/{len(steps)}] {name}: {step()}", flush=True)
        except (SelfTestError, UserError) as error:
            print(f"self-test FAILED at step {current[0]!r}: {error}", file=sys.stderr)
            return EXIT_FAILED
        except Exception as error:  # a bug, or a part the bundle left out: say which step
            print(f"self-test FAILED at step {current[0]!r}: {error!r}", file=sys.stderr)
            import traceback

            traceback.print_exc()
            return EXIT_FAILED
        finally:
            test.close()
            watchdog.cancel()
    print(f"self-test passed: {len(steps)} steps in {time.perf_counter() - started:.1f} s")
    return EXIT_PASSED
