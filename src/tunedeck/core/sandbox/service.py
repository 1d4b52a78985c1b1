"""The sandbox behind the sockets: faults, authentication, routing and the admin endpoints.

Every API handler runs under the state's lock, so concurrent requests see and make changes
one at a time; a slow fault sleeps and a stream is written outside it.
"""

from __future__ import annotations

import hmac
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from tunedeck.core.sandbox import routing, timeline
from tunedeck.core.sandbox.answers import AnswerBook
from tunedeck.core.sandbox.errors import ApiError, invalid, invalid_api_key, openai_error
from tunedeck.core.sandbox.faults import Fault, FaultBoard, canonical
from tunedeck.core.sandbox.files_api import add_results_file
from tunedeck.core.sandbox.metrics import results_csv
from tunedeck.core.sandbox.protocol import DROP, Drop, Request, Response
from tunedeck.core.sandbox.state import SandboxState

ADMIN = "/sandbox/"


class SandboxService:
    """Answers requests from the stored state.

    Attributes:
        state: The persistent objects.
        job_seconds: How long a new job (and a new deployment's provisioning) takes.
        answers: The fine-tuned models' training pairs.
        faults: The failures waiting for requests.
        urls: The URLs the server listens on, reported by /sandbox/health.
    """

    def __init__(
        self, state_dir: Path, *, job_seconds: float, api_key: str | None, faults: FaultBoard
    ):
        self.state = SandboxState(state_dir)
        self.job_seconds = job_seconds
        self.answers = AnswerBook(self.state)
        self.faults = faults
        self.urls: dict[str, str] = {}
        self._api_key = api_key
        with self.state.lock:
            self.settle(time.time())

    def handle(self, request: Request) -> Response | Drop:
        """The response to one request, or DROP to close the connection without one."""
        if request.raw_path.startswith(ADMIN):
            return self._guarded(request, self._admin)
        fault = self.faults.take(canonical(request.raw_path))
        if fault is not None and fault.kind == "drop":
            return DROP
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds or 0)
            request.now = time.time()
        response = self._guarded(request, lambda r: self._serve(r, fault))
        return DROP if fault is not None and fault.kind == "drop_after" else response

    def settle(self, now: float) -> None:
        """Store the results file of every job that has succeeded since the last look."""
        changed = False
        for job in self.state.jobs.values():
            if not job["settled"] and timeline.status(job, now) == "succeeded":
                add_results_file(self, job, results_csv(job), timeline.Phases.of(job).finished)
                job["settled"] = changed = True
        if changed:
            self.state.save("files")
            self.state.save("jobs")

    def _serve(self, request: Request, fault: Fault | None) -> Response:
        if fault is not None:
            _raise_fault(fault)
        self._authenticate(request)
        routing.prepare(request)
        handler, params = routing.match(request)
        with self.state.lock:
            self.settle(request.now)
            return handler(self, request, **params)

    def _guarded(self, request: Request, serve) -> Response:
        try:
            return serve(request)
        except ApiError as error:
            return Response(error.status, error.body, error.headers)
        except Exception as error:  # a sandbox bug: say so to the client and on stderr
            traceback.print_exc(file=sys.stderr)
            failure = openai_error(
                500,
                f"The TuneDeck sandbox failed: {type(error).__name__}: {error}",
                kind="server_error",
            )
            return Response(failure.status, failure.body)

    def _authenticate(self, request: Request) -> None:
        if self._api_key is None:
            return
        given = request.headers.get("api-key") or ""
        bearer = request.headers.get("Authorization") or ""
        if bearer.startswith("Bearer "):
            given = given or bearer[len("Bearer ") :]
        if not hmac.compare_digest(given.encode(), self._api_key.encode()):
            raise invalid_api_key()

    def _admin(self, request: Request) -> Response:
        route = (request.method, request.raw_path.rstrip("/"))
        if route == ("GET", "/sandbox/health"):
            with self.state.lock:
                counts = {"files": len(self.state.files), "jobs": len(self.state.jobs)}
            body = {"status": "ok", "simulation": True, **self.urls, **counts}
            return Response(body={**body, "faults": self.faults.pending()})
        self._authenticate(request)
        if route == ("GET", "/sandbox/faults"):
            return Response(body={"faults": self.faults.pending()})
        if route == ("DELETE", "/sandbox/faults"):
            self.faults.clear()
            return Response(body={"faults": []})
        if route == ("POST", "/sandbox/faults"):
            body = request.json()
            unknown = set(body) - {"kind", "path", "times", "retry_after", "seconds"}
            if unknown or "kind" not in body:
                raise invalid("Give kind, and optionally path, times, retry_after and seconds.")
            try:
                fault = self.faults.add(**body)
            except (TypeError, ValueError) as error:
                raise invalid(str(error)) from None
            return Response(body={"queued": asdict(fault)})
        raise openai_error(404, f"Invalid URL ({request.method} {request.raw_path})")


def _raise_fault(fault: Fault) -> None:
    if fault.kind == "rate_limit":
        wait = fault.retry_after
        shown = str(int(wait)) if float(wait).is_integer() else str(wait)
        raise openai_error(
            429,
            f"Rate limit reached for requests (a fault injected into the TuneDeck sandbox). "
            f"Please try again in {shown}s.",
            kind="requests",
            code="rate_limit_exceeded",
            headers={"Retry-After": shown},
        )
    if fault.kind == "server_error":
        raise openai_error(
            500,
            "The server had an error while processing your request. Sorry about that! "
            "(a fault injected into the TuneDeck sandbox)",
            kind="server_error",
        )
    if fault.kind == "unauthorized":
        raise invalid_api_key()
