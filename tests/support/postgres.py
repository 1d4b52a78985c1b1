"""A private, throw-away PostgreSQL server on loopback for the tests.

Standard library only: CI runs this with the system python3 before any venv exists.

    python3 tests/support/postgres.py start DIR   # prints the server URL; server keeps running
    python3 tests/support/postgres.py stop DIR    # stops the server and removes DIR
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

SUPERUSER = "postgres"
START_TIMEOUT = 30  # seconds
_NEEDED = ("initdb", "pg_ctl", "postgres")
# Written first by start(); stop() only deletes a directory that carries it (or an empty one).
_MARKER = ".tunedeck-private-postgres"
# The kernel limit for a unix socket path (sun_path) is 108 bytes including the NUL.
_MAX_SOCKET_PATH = 107


def _has_tools(directory: Path) -> bool:
    return all((directory / name).is_file() for name in _NEEDED)


def find_bin_dir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None if PostgreSQL is absent."""
    on_path = shutil.which("pg_ctl")
    if on_path:
        for candidate in (Path(on_path).resolve().parent, Path(on_path).parent):
            if _has_tools(candidate):
                return candidate
    # Debian keeps the server binaries off PATH, one directory per major version.
    versioned = []
    for candidate in Path("/usr/lib/postgresql").glob("*/bin"):
        version = candidate.parent.name
        if re.fullmatch(r"\d+(\.\d+)?", version) and _has_tools(candidate):
            versioned.append((tuple(int(part) for part in version.split(".")), candidate))
    return max(versioned)[1] if versioned else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


class PostgresError(RuntimeError):
    pass


class PrivateServer:
    """One PostgreSQL cluster in base_dir: data/, sock/ and log, reachable on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path | None = None, base_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.url: str | None = None
        self._account: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root: run them as the postgres system user.
            try:
                self._account = pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PostgresError(
                    f"running as root needs a '{SUPERUSER}' system user to run the server as"
                ) from None

    # -- paths -------------------------------------------------------------------------------

    def _base(self) -> Path:
        if self.base_dir is None:
            raise PostgresError("no base directory: call start(base_dir) first")
        return self.base_dir

    @property
    def data_dir(self) -> Path:
        return self._base() / "data"

    @property
    def log_file(self) -> Path:
        return self._base() / "log"

    @property
    def socket_dir(self) -> Path:
        return self._base() / "sock"

    # -- running commands --------------------------------------------------------------------

    def _tool(self, name: str) -> str:
        if self.bin_dir is None:
            self.bin_dir = find_bin_dir()
        if self.bin_dir is None:
            raise PostgresError(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; "
                "on Debian: apt-get install postgresql"
            )
        return str(self.bin_dir / name)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # Stray PG* variables (PGDATA, PGPORT, ...) must not steer the private server.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        account = {}
        if self._account is not None:
            account = {
                "user": self._account.pw_uid,
                "group": self._account.pw_gid,
                "extra_groups": [],
            }
            env["HOME"] = self._account.pw_dir
        result = subprocess.run(
            args,
            cwd=self._base(),
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            **account,
        )
        if check and result.returncode != 0:
            raise PostgresError(
                f"{' '.join(args)} failed with exit status {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    # -- life cycle --------------------------------------------------------------------------

    def _prepare(self, base_dir: Path) -> None:
        base_dir.mkdir(parents=True, exist_ok=True)
        if any(base_dir.iterdir()):
            raise PostgresError(f"{base_dir} is not empty; give start() a fresh directory")
        (base_dir / _MARKER).touch()
        self.socket_dir.mkdir()
        socket_path = self.socket_dir / ".s.PGSQL.65535"
        if len(str(socket_path)) > _MAX_SOCKET_PATH:
            raise PostgresError(
                f"{base_dir} is too long a path for a unix socket; use a shorter one, e.g. in /tmp"
            )
        if self._account is not None:
            for path in (base_dir, base_dir / _MARKER, self.socket_dir):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)
            probe = 'test -w "$1" && test -x "$1"'
            reachable = self._run("/bin/sh", "-c", probe, "sh", str(base_dir), check=False)
            if reachable.returncode != 0:
                raise PostgresError(
                    f"the {SUPERUSER} user cannot reach {base_dir} (a parent directory is "
                    f"private to root?); use a directory such as one from mktemp -d in /tmp"
                )

    def _configure(self) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.socket_dir}'",
            # Throw-away data: durability only costs time.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# TuneDeck test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        # Trust, but only over the private socket directory and IPv4 loopback.
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )

    def _accepts_connections(self, port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    def start(self, base_dir: Path) -> str:
        """Create and start a cluster in base_dir; return its postgresql:// URL."""
        self.base_dir = Path(base_dir).absolute()
        self._prepare(self.base_dir)
        self._run(
            self._tool("initdb"),
            f"--pgdata={self.data_dir}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._configure()
        # Another process may take the port between picking and binding it: try a few.
        attempts = 3
        for attempt in range(1, attempts + 1):
            port = _free_port()
            started = self._run(
                self._tool("pg_ctl"),
                "start",
                f"--pgdata={self.data_dir}",
                f"--log={self.log_file}",
                f"--options=-p {port}",
                "--wait",
                f"--timeout={START_TIMEOUT}",
                check=False,
            )
            deadline = time.monotonic() + START_TIMEOUT
            while started.returncode == 0 and time.monotonic() < deadline:
                if self._accepts_connections(port):
                    self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
                    return self.url
                time.sleep(0.1)
            self._halt("immediate")
            log_tail = _log_tail(self.log_file)
            if attempt == attempts or "could not bind" not in log_tail:
                break
        raise PostgresError(
            f"PostgreSQL failed to start accepting connections on 127.0.0.1:{port} "
            f"(timeout {START_TIMEOUT} s).\npg_ctl said:\n{started.stdout}{started.stderr}\n"
            f"last lines of {self.log_file}:\n{log_tail}"
        )

    def _halt(self, mode: str) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return True
        stopped = self._run(
            self._tool("pg_ctl"),
            "stop",
            f"--pgdata={self.data_dir}",
            f"--mode={mode}",
            "--wait",
            f"--timeout={START_TIMEOUT}",
            check=False,
        )
        return stopped.returncode == 0 or not (self.data_dir / "postmaster.pid").exists()

    def stop(self) -> None:
        """Stop the server (if it runs) and remove base_dir. Safe to call more than once."""
        base = self._base()
        if not base.is_dir():
            return
        if (base / _MARKER).exists():
            if not self._halt("fast") and not self._halt("immediate"):
                raise PostgresError(
                    f"could not stop the server in {self.data_dir}; "
                    f"last lines of {self.log_file}:\n{_log_tail(self.log_file)}"
                )
        elif any(base.iterdir()):
            raise PostgresError(f"refusing to remove {base}: it is not a private server directory")
        shutil.rmtree(base)
        self.url = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("start", help="start a server in DIR; print its URL").add_argument(
        "dir", type=Path
    )
    commands.add_parser("stop", help="stop the server in DIR and remove DIR").add_argument(
        "dir", type=Path
    )
    commands.add_parser("bin-dir", help="print the binary directory; fail if none is found")
    args = parser.parse_args(argv)
    try:
        if args.command == "bin-dir":
            bin_dir = find_bin_dir()
            if bin_dir is None:
                return 1
            print(bin_dir)
        elif args.command == "start":
            print(PrivateServer().start(args.dir))
        else:
            PrivateServer(base_dir=args.dir.absolute()).stop()
    except PostgresError as error:
        print(f"postgres.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
