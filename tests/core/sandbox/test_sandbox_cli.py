"""`tunedeck sandbox` as a user runs it: it says where it listens, serves, and stops cleanly."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from openai import OpenAI

from tunedeck.cli import main
from tunedeck.core.errors import UserError
from tunedeck.core.loopback import is_loopback
from tunedeck.core.sandbox import Sandbox
from tunedeck.core.sandbox.console import default_state_dir, serve


def lines_of(stream) -> queue.Queue[str]:
    """The stream's lines as they come, read on a thread so the test can wait with a deadline."""
    found: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [found.put(line) for line in stream], daemon=True).start()
    return found


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_the_command_serves_until_it_is_told_to_stop(tmp_path: Path, stop_with: int) -> None:
    command = [sys.executable, "-m", "tunedeck", "sandbox", "--port", "0",
               "--state-dir", str(tmp_path / "state"), "--job-seconds", "1"]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        output = lines_of(process.stdout)
        banner = []
        while not banner or not banner[-1].startswith("Press Ctrl+C"):
            banner.append(output.get(timeout=20))
        text = "".join(banner)
        assert "SIMULATION" in text
        base_url = re.search(r"OpenAI base URL:\s+(\S+)", text)[1]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url)
        with OpenAI(base_url=base_url, api_key="any", max_retries=0) as client:
            assert "gpt-4o-mini-2024-07-18" in {model.id for model in client.models.list()}
        process.send_signal(stop_with)
        assert process.wait(timeout=20) == 0
        assert output.get(timeout=5) == "sandbox stopped\n"
        assert process.stderr.read() == ""


def test_a_busy_port_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    with Sandbox(tmp_path / "one") as busy:
        status = main(["sandbox", "--port", str(busy.port), "--state-dir", str(tmp_path / "two")])
    assert status == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_other_hosts_than_loopback_are_warned_about(tmp_path: Path, capsys) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")
    # 192.0.2.1 is a documentation address: the bind fails, after the warning.
    with pytest.raises(UserError, match=r"cannot listen on 192\.0\.2\.1"):
        serve(host="192.0.2.1", port=0, state_dir=tmp_path, job_seconds=1, api_key=None)
    assert "WARNING: listening on 192.0.2.1, not on loopback" in capsys.readouterr().err


def test_options_are_checked(capsys) -> None:
    assert main(["sandbox", "--port", "70000"]) == 2
    assert main(["sandbox", "--job-seconds", "0"]) == 2
    assert "--job-seconds must be positive" in capsys.readouterr().err


def test_state_lives_in_the_data_folder_the_window_uses(monkeypatch, tmp_path: Path) -> None:
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
        assert default_state_dir() == tmp_path / "TuneDeck" / "TuneDeck" / "sandbox"
    assert default_state_dir().parts[-3:] == ("TuneDeck", "TuneDeck", "sandbox")
