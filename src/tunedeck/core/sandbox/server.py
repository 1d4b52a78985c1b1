"""The sandbox's HTTP server: the standard library's threading server on a background thread.

Replies carry a Content-Length so the SDK can keep its connection alive (HTTP/1.1); a stream
of server-sent events is sent with `Connection: close` and ends when the connection does.
Stopping the sandbox also closes the connections clients keep open, so a stopped sandbox
never answers again.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tunedeck.core.errors import UserError
from tunedeck.core.sandbox.faults import FaultBoard
from tunedeck.core.sandbox.ids import new_id
from tunedeck.core.sandbox.protocol import Drop, Request, Response
from tunedeck.core.sandbox.service import SandboxService


class Sandbox:
    """A local server speaking OpenAI's and Azure OpenAI's wire protocol: a SIMULATION.

    Example:
        >>> with Sandbox(Path("state"), job_seconds=1).start() as sandbox:
        ...     client = OpenAI(base_url=sandbox.openai_base_url, api_key="any")

    Args:
        state_dir: Where files, jobs, models and deployments are kept across restarts.
        host: The address to listen on; loopback unless you mean to share the sandbox.
        port: The port; 0 picks a free one (read it back from `url`).
        job_seconds: How long a fine-tuning job (and a deployment's provisioning) takes.
        api_key: When set, requests with another key get a 401; when None, any key is taken.
        log_requests: Print one line per request (method, path, status) to stderr.
    """

    def __init__(
        self,
        state_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        job_seconds: float = 3.0,
        api_key: str | None = None,
        log_requests: bool = False,
    ):
        if not job_seconds > 0:
            raise ValueError(f"job_seconds must be positive, not {job_seconds!r}")
        self.state_dir = Path(state_dir)
        self.host, self.port = host, port
        self.job_seconds = job_seconds
        self.faults = FaultBoard()
        self._api_key = api_key
        self._log_requests = log_requests
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Sandbox:
        """Load the state, bind the port and serve on a background thread.

        Raises:
            UserError: The state cannot be read or the address cannot be bound.
        """
        if self._server is not None:
            return self
        service = SandboxService(
            self.state_dir, job_seconds=self.job_seconds, api_key=self._api_key, faults=self.faults
        )
        try:
            server = _Server((self.host, self.port), service, self._log_requests)
        except OSError as error:
            raise UserError(
                f"cannot listen on {self.host}:{self.port}: {error.strerror or error}; choose "
                "another port with --port (0 picks a free one)"
            ) from None
        self._server = server
        self.port = server.server_address[1]
        service.urls = {"openai_base_url": self.openai_base_url, "azure_endpoint": self.url}
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox", daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        """The server's root: the Azure endpoint, e.g. "http://127.0.0.1:8765"."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """The OpenAI client's base_url: `url` + "/v1"."""
        return self.url + "/v1"

    def inject(
        self,
        kind: str,
        *,
        path: str = "",
        times: int = 1,
        retry_after: float | None = None,
        seconds: float | None = None,
    ) -> None:
        """Make the next `times` requests under `path` fail in the way `kind` says.

        Kinds: rate_limit (429 with a Retry-After of `retry_after` seconds, default 1),
        server_error (500), unauthorized (401), slow (answer after `seconds`, default 2),
        drop (close the connection before acting) and drop_after (act, then close the
        connection without answering: the client cannot tell whether it happened).

        Raises:
            ValueError: An unknown kind or a bad count or delay.
        """
        self.faults.add(kind, path=path, times=times, retry_after=retry_after, seconds=seconds)

    def clear_faults(self) -> None:
        """Forget every fault that has not struck yet."""
        self.faults.clear()

    def stop(self) -> None:
        """Stop serving and close every open connection; the state stays on disk."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a client holding a connection open must not keep the process alive

    def __init__(self, address: tuple[str, int], service: SandboxService, log_requests: bool):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.service = service
        self.log_requests = log_requests
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            for connection in self._open:
                with suppress(OSError):  # already closed by the client
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TuneDeckSandbox/1.0"
    sys_version = ""
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            raw_path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=self.headers,
            body=self._body(),
            now=time.time(),
        )
        outcome = self.server.service.handle(request)
        if isinstance(outcome, Drop):
            self.close_connection = True
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self._send(outcome)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; nothing left to tell it

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("x-request-id", new_id("req_", 32))
        self.send_header("x-tunedeck-sandbox", "simulation")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.stream is None:
            payload = response.payload()
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for chunk in response.stream:
            self.wfile.write(chunk)
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        # Request lines and statuses only: headers, which carry the API key, are never logged.
        if self.server.log_requests:
            sys.stderr.write(f"sandbox: {format % args}\n")
