"""Failures on demand, to see how a client copes with a service that misbehaves.

A fault waits on a board until a request whose path starts with the fault's path arrives,
then acts on that request and the next `times - 1` matching ones. A path given in OpenAI's
form ("/v1/fine_tuning/jobs") also matches Azure's ("/openai/fine_tuning/jobs"), because both
are compared in OpenAI's form.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

KINDS = ("rate_limit", "server_error", "unauthorized", "slow", "drop", "drop_after")
DEFAULT_RETRY_AFTER = 1.0  # seconds, when a rate_limit fault names none
DEFAULT_SLOW = 2.0  # seconds, when a slow fault names none


@dataclass
class Fault:
    """One queued failure.

    Attributes:
        kind: rate_limit (429 with Retry-After), server_error (500), unauthorized (401), slow
            (answer after `seconds`), drop (close the connection before acting) or drop_after
            (act, then close the connection without answering).
        path: Only requests whose path starts with this; "" for any request.
        times: How many more matching requests it acts on.
        retry_after: The Retry-After of a rate_limit fault, in seconds.
        seconds: The delay of a slow fault.
    """

    kind: str
    path: str = ""
    times: int = 1
    retry_after: float | None = None
    seconds: float | None = None


class FaultBoard:
    """The faults waiting for requests; safe to use from any thread."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        *,
        path: str = "",
        times: int = 1,
        retry_after: float | None = None,
        seconds: float | None = None,
    ) -> Fault:
        """Queue a fault.

        Raises:
            ValueError: An unknown kind, a path not starting with "/", times below 1 or a
                negative delay.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose one of {', '.join(KINDS)}")
        if path and not path.startswith("/"):
            raise ValueError(f"a fault's path starts with '/', e.g. /v1/files; got {path!r}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a whole number of at least 1, not {times!r}")
        for name, value in (("retry_after", retry_after), ("seconds", seconds)):
            if value is not None and (isinstance(value, bool) or not value >= 0):
                raise ValueError(f"{name} must be a number of seconds, not {value!r}")
        if kind == "rate_limit" and retry_after is None:
            retry_after = DEFAULT_RETRY_AFTER
        if kind == "slow" and seconds is None:
            seconds = DEFAULT_SLOW
        fault = Fault(kind, canonical(path), times, retry_after, seconds)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, path: str) -> Fault | None:
        """The first fault matching a request's path (in OpenAI's form), used up by one."""
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict]:
        """The faults still waiting, as plain dictionaries."""
        with self._lock:
            return [asdict(fault) for fault in self._faults]

    def clear(self) -> None:
        """Forget every waiting fault."""
        with self._lock:
            self._faults.clear()


def canonical(path: str) -> str:
    """A path in OpenAI's form: Azure's /openai/... and deployment paths map onto /v1/...."""
    if not path.startswith("/openai"):
        return path
    rest = path[len("/openai") :]
    if rest.startswith("/deployments/"):
        parts = rest.split("/", 3)  # "", "deployments", name, operation
        return "/v1/" + parts[3] if len(parts) > 3 else "/v1/deployments"
    return "/v1" + rest
