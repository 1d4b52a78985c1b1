"""A classification dataset of support tickets, tuned twice in the built-in sandbox (a legacy
davinci-002 model and a chat model with a system message), reached through a loopback relay
that keeps every request body: what the sandbox received, byte for byte."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tunedeck.core.export import ExportOptions, Which, build_export, write_export
from tunedeck.core.fine_tune import JobFollower, ProjectLedger
from tunedeck.core.lint import LintSettings
from tunedeck.core.remote import JobSpec, Launcher, SandboxProfile
from tunedeck.core.session import CurationSession
from tunedeck.core.storage import Project, Split
from tunedeck.ui.connections import Connections

SEPARATOR, STOP = "\n\n###\n\n", "\n"
SYSTEM = "Classify the support ticket as billing, technical, account or feedback."
RELAY_PROFILE = "recorded-sandbox"

TRAINING = [
    ("I was charged twice for my March invoice.", "billing"),
    ("Can I get a refund for the annual plan I cancelled yesterday?", "billing"),
    ("Why does my receipt show the wrong VAT number?", "billing"),
    ("Please switch our subscription from monthly to yearly payments.", "billing"),
    ("The card on file expired, where do I update it?", "billing"),
    ("We were billed for twelve seats but only use nine.", "billing"),
    ("The app crashes when I open the settings page.", "technical"),
    ("Uploads stall at ninety percent on the Android client.", "technical"),
    ("The export button does nothing in Firefox.", "technical"),
    ("Sync has been failing since last night with error 502.", "technical"),
    ("Dark mode makes the chart labels unreadable on Windows.", "technical"),
    ("Notifications arrive twice on my iPhone.", "technical"),
    ("How do I add a second admin to our team?", "account"),
    ("I need to change the email address I sign in with.", "account"),
    ("Please delete my account and all my data.", "account"),
    ("My colleague left; how do we transfer her projects to me?", "account"),
    ("Two-factor codes no longer reach my new phone number.", "account"),
    ("Can our workspace be renamed to the new company name?", "account"),
    ("Love the new dark mode, thank you!", "feedback"),
    ("The onboarding tour was clear and quick, well done.", "feedback"),
    ("Your support team solved my issue in minutes, great job.", "feedback"),
    ("It would be nice to have keyboard shortcuts for tagging.", "feedback"),
    ("The new pricing page is much easier to understand.", "feedback"),
    ("Please bring back the old compact list view, I miss it.", "feedback"),
]

# Held out. Each is a training ticket with one word changed, so the sandbox's tuned model
# (which answers with the closest training example) gives that ticket's class: the answer
# is known by construction: the third field. The last two are labelled with another class
# than the ticket they copy, so the tuned model gets them wrong: expected technical but
# answered billing, and expected feedback but answered account.
VALIDATION = [
    ("I was charged twice for my April invoice.", "billing", "billing"),
    ("The export button does nothing in Chrome.", "technical", "technical"),
    ("Uploads stall at ninety percent on the iOS client.", "technical", "technical"),
    ("How do I add a third admin to our team?", "account", "account"),
    ("Love the new light mode, thank you!", "feedback", "feedback"),
    ("Your support team solved my issue in hours, great job.", "feedback", "feedback"),
    ("We were billed for twelve seats but only use eight.", "technical", "billing"),
    ("Please delete my account and all my photos.", "feedback", "account"),
]


def prompt(ticket: str) -> str:
    return f"Ticket: {ticket}{SEPARATOR}"


def write_tickets(path: Path) -> Path:
    rows = [(t, label) for t, label in TRAINING] + [(t, label) for t, label, _ in VALIDATION]
    lines = [json.dumps({"prompt": prompt(t), "completion": f" {c}{STOP}"}) for t, c in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_tickets(path: Path, source: Path) -> CurationSession:
    """The tickets project (created on first use) with the last rows in the validation split."""
    if not path.exists():
        settings = LintSettings(
            model="davinci-002", separator=SEPARATOR, stop=STOP, classification=True
        )
        with Project.open(path, create=True, author="ann") as project:
            project.import_file(source, "data", settings=settings)
        session = CurationSession(Project.open(path, author="ann"), "data")
        held_out = session.dataset.ids()[len(TRAINING) :]
        for row in held_out:
            session.review(row, split=Split.VALIDATION)
    else:
        session = CurationSession(Project.open(path, author="ann"), "data")
    session.lint_all()
    return session


class RecordingRelay:
    """A loopback HTTP relay to the sandbox that keeps (method, path, body) of each request."""

    def __init__(self, target: str) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        relay = self
        host, port = urlsplit(target).hostname, urlsplit(target).port

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                relay.requests.append((self.command, self.path, body))
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                upstream = http.client.HTTPConnection(host, port, timeout=30)
                try:
                    upstream.request(self.command, self.path, body or None, headers)
                    answer = upstream.getresponse()
                    content = answer.read()
                    self.send_response(answer.status)
                    for key, value in answer.getheaders():
                        if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                            self.send_header(key, value)
                finally:
                    upstream.close()
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_DELETE = do_PUT = _relay  # noqa: N815 (http.server's names)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def bodies(self, path: str) -> list[dict]:
        """The JSON bodies of the requests to `path` (e.g. "/v1/completions"), in order."""
        return [json.loads(body) for _method, where, body in self.requests if where == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@dataclass
class Tuned:
    session: CurationSession
    connections: Connections
    relay: RecordingRelay
    legacy: str  # ft:davinci-002:... tuned on the prompt/completion pairs
    chat: str  # ft:gpt-4o-mini-...: tuned on the same pairs as chat, with SYSTEM


def tune(session: CurationSession, connections: Connections, tmp_path: Path) -> tuple[str, str]:
    """Export the tickets for davinci-002 and for gpt-4o-mini (with SYSTEM), tune both in the
    sandbox through the relay profile, and wait for both models."""
    profile = connections.profile(RELAY_PROFILE)
    launched = []
    with connections.provider(profile) as provider:
        for model, system in (("davinci-002", None), ("gpt-4o-mini-2024-07-18", SYSTEM)):
            options = ExportOptions(model=model, which=Which.NOT_REJECTED, system_message=system)
            build = build_export(session, options)
            written = write_export(build, tmp_path / f"export-{model}")
            ledger = ProjectLedger(
                session.project.jobs,
                profile.id,
                dataset_id=session.info.id,
                fingerprint=written.fingerprint,
                export=build.describe(),
            )
            job = Launcher(provider, ledger).launch(
                JobSpec(model, suffix="tickets"), written.training.path
            )
            launched.append(job.id)
        follower = JobFollower(session.project.jobs, provider)
        done = [follower.follow(j, sleep=lambda _s: time.sleep(0.05)) for j in launched]
    assert all(job.status == "succeeded" for job in done)
    return done[0].fine_tuned_model, done[1].fine_tuned_model


@pytest.fixture
def tickets_file(tmp_path: Path) -> Path:
    return write_tickets(tmp_path / "tickets.jsonl")


@pytest.fixture
def tickets_path(tmp_path: Path) -> Path:
    return tmp_path / "tickets.tunedeck"


@pytest.fixture
def relay(connections: Connections) -> Iterator[RecordingRelay]:
    """The relay in front of the built-in sandbox, saved as the profile RELAY_PROFILE."""
    running = RecordingRelay(connections.ensure_sandbox().url)
    connections.save(SandboxProfile(id=RELAY_PROFILE, name="Recorded sandbox", url=running.url))
    yield running
    running.close()


@pytest.fixture
def tuned(
    tmp_path: Path,
    tickets_path: Path,
    tickets_file: Path,
    connections: Connections,
    relay: RecordingRelay,
) -> Iterator[Tuned]:
    session = open_tickets(tickets_path, tickets_file)
    legacy, chat = tune(session, connections, tmp_path)
    relay.requests.clear()
    yield Tuned(session, connections, relay, legacy, chat)
    session.project.close()
