"""`tunedeck sandbox`: run the sandbox in the foreground until Ctrl+C or SIGTERM."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from tunedeck.core.loopback import is_loopback
from tunedeck.core.sandbox.azure import DATA_PLANE_VERSIONS
from tunedeck.core.sandbox.server import Sandbox

DEFAULT_PORT = 8765
_EXAMPLE_API_VERSION = "2024-10-21"


def default_state_dir() -> Path:
    """The sandbox's folder inside TuneDeck's data folder, found as Qt's AppDataLocation is.

    The window keeps its data in QStandardPaths.AppDataLocation for organization and
    application "TuneDeck"; this is the same folder without importing Qt.
    """
    if sys.platform == "win32":
        root = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return root / "TuneDeck" / "TuneDeck" / "sandbox"


def serve(
    *,
    host: str,
    port: int,
    state_dir: Path | None,
    job_seconds: float,
    api_key: str | None,
    log_requests: bool = False,
) -> int:
    """Start the sandbox, print where it listens, and serve until interrupted.

    Returns:
        The exit status: 0 after a clean stop.

    Raises:
        UserError: The state folder cannot be used or the port cannot be bound.
    """
    folder = state_dir or default_state_dir()
    if not is_loopback(host):
        print(
            f"WARNING: listening on {host}, not on loopback: anyone who can reach this machine "
            "can use the sandbox and inject faults into it"
            + ("" if api_key else ", and no --api-key is required")
            + ".",
            file=sys.stderr,
        )
    sandbox = Sandbox(
        folder,
        host=host,
        port=port,
        job_seconds=job_seconds,
        api_key=api_key,
        log_requests=log_requests,
    ).start()
    stop = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in signals}
    try:
        _banner(sandbox, folder, api_key is not None)
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("sandbox stopped", flush=True)
    return 0


def _banner(sandbox: Sandbox, folder: Path, keyed: bool) -> None:
    key = "the one given with --api-key" if keyed else "any (none is checked)"
    latest = max(v for v in DATA_PLANE_VERSIONS if v[0].isdigit())
    print(
        "TuneDeck sandbox: a SIMULATION of the OpenAI and Azure OpenAI APIs. Nothing is "
        "trained and no language model runs; fine-tuned models answer with the nearest "
        "example of their training data.\n"
        f"  OpenAI base URL:  {sandbox.openai_base_url}\n"
        f"  Azure endpoint:   {sandbox.url}  (api-version e.g. {_EXAMPLE_API_VERSION}; "
        f"newest served: {latest})\n"
        f"  Azure deployments: {sandbox.url}/subscriptions/SUB/resourceGroups/RG/providers/"
        "Microsoft.CognitiveServices/accounts/ACCOUNT/deployments/NAME?api-version=2023-05-01\n"
        f"  API key:          {key}\n"
        f"  Jobs take:        {sandbox.job_seconds:g} s\n"
        f"  State:            {folder}\n"
        "Press Ctrl+C to stop.",
        flush=True,
    )
