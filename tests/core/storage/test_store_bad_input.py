"""What cannot work says so plainly, loses nothing and leaves no half-made project behind."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SAMPLE
from tunedeck.cli import main
from tunedeck.core.errors import UserError
from tunedeck.core.storage import Project

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _mount_tmpfs(target: Path, options: str) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a test filesystem here: {result.stderr.strip()}")


@pytest.fixture
def tiny_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A real 400 KiB filesystem, so that "disk full" is the kernel's answer, not a fake."""
    if not IS_ROOT:
        pytest.skip("mounting a tiny filesystem needs root (CI runs as root)")
    target = tmp_path / "tiny"
    target.mkdir()
    _mount_tmpfs(target, "size=400k")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a project, then made read-only (a read-only mount for root)."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    if IS_ROOT:
        _mount_tmpfs(folder, "size=8m")
    with Project.open(folder / "p.tunedeck", create=True) as project:
        project.import_file(BUNDLED_SAMPLE, "tickets")
    if IS_ROOT:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield folder
    finally:
        if IS_ROOT:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def _big_file(folder: Path) -> Path:
    path = folder / "big.jsonl"
    line = '{"prompt": "%s\\n\\n###\\n\\n", "completion": " x\\n"}\n'
    path.write_text("".join(line % (f"example {n} " * 40) for n in range(3000)))
    return path


def test_a_full_disk_on_create_leaves_no_project_behind(tiny_filesystem: Path, tmp_path: Path):
    filler = tiny_filesystem / "filler"
    try:
        with filler.open("wb") as stream:
            while True:
                stream.write(b"\0" * 4096)
                stream.flush()
    except OSError:
        pass  # the disk is full now
    with pytest.raises(UserError, match=r"p.tunedeck: .*(disk is full|cannot be opened)"):
        Project.open(tiny_filesystem / "p.tunedeck", create=True)
    assert sorted(p.name for p in tiny_filesystem.iterdir()) == ["filler"]


def test_a_full_disk_during_import_changes_nothing(tiny_filesystem: Path, tmp_path: Path):
    path = tiny_filesystem / "p.tunedeck"
    with Project.open(path, create=True) as project:
        small = project.import_file(BUNDLED_SAMPLE, "tickets")
        with pytest.raises(UserError, match=r"cannot save to .*p.tunedeck: the disk is full"):
            project.import_file(_big_file(tmp_path), "big")
        assert [info.name for info in project.datasets()] == ["tickets"]
        assert project.count(small.id) == 43
        assert project.integrity_check() == "ok"


def test_a_read_only_folder_refuses_a_new_project(read_only_folder: Path):
    with pytest.raises(UserError, match=r"new.tunedeck: .*(read-only|cannot be opened)"):
        Project.open(read_only_folder / "new.tunedeck", create=True)
    assert not (read_only_folder / "new.tunedeck").exists()


def test_a_read_only_project_can_be_read_but_says_why_it_cannot_save(read_only_folder: Path):
    try:
        project = Project.open(read_only_folder / "p.tunedeck")
    except UserError as error:  # some SQLite builds cannot open WAL files read-only at all
        assert "read-only" in str(error) or "cannot be opened" in str(error)
        return
    with project:
        info = project.dataset("tickets")
        example = project.window(info.id, 0, 1)[0]
        with pytest.raises(UserError, match=r"(read-only|cannot be opened)"):
            project.review(example.id, example.version, status="approved")


def test_a_file_that_is_not_a_project_is_refused_unchanged(tmp_path: Path):
    path = tmp_path / "notes.tunedeck"
    path.write_text("shopping list\n")
    with pytest.raises(UserError, match="not a TuneDeck project"):
        Project.open(path)
    assert path.read_text() == "shopping list\n"


def test_a_damaged_project_says_so(tmp_path: Path):
    path = tmp_path / "p.tunedeck"
    with Project.open(path, create=True) as project:
        project.import_file(BUNDLED_SAMPLE, "tickets")
    data = bytearray(path.read_bytes())
    # Keep the header page (so SQLite takes it for a database) and scribble over the rest.
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(UserError, match="damaged"), Project.open(path) as project:
        project.export("tickets", tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_missing_project_is_not_created_by_opening(tmp_path: Path):
    with pytest.raises(UserError, match="there is no project there"):
        Project.open(tmp_path / "typo.tunedeck")
    assert list(tmp_path.iterdir()) == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_named_without_its_password():
    url = f"postgresql://ann:s3cret-pw@127.0.0.1:{_closed_port()}/team"
    with pytest.raises(UserError) as refused:
        Project.open(url)
    message = str(refused.value)
    assert "cannot be reached" in message
    assert "127.0.0.1" in message
    assert "s3cret-pw" not in message


def test_the_command_line_shows_one_line_and_no_traceback(tmp_path: Path, capsys):
    damaged = tmp_path / "d.tunedeck"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    url = f"postgresql://ann:s3cret-pw@127.0.0.1:{_closed_port()}/team"
    for argv in (
        ["lint", str(damaged)],
        ["export", "--project", url, "--dataset", "x", "-o", str(tmp_path / "o.jsonl")],
        ["import", str(tmp_path / "absent.jsonl"), "--project", str(tmp_path / "n.tunedeck")],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("tunedeck: cannot ")
        assert "Traceback" not in err and "s3cret-pw" not in err
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "n.tunedeck").exists()
