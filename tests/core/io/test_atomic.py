"""atomic_write replaces a file completely or not at all."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tunedeck.core.io import atomic_write

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


class BoomError(Exception):
    pass


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_writes_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with atomic_write(target) as stream:
        stream.write(b"one\n")
        stream.write(b"two\n")
    assert target.read_bytes() == b"one\ntwo\n"
    assert _names(tmp_path) == ["out.jsonl"]


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old content that is longer\n")
    with atomic_write(str(target)) as stream:
        stream.write(b"new\n")
    assert target.read_bytes() == b"new\n"


def test_error_in_block_leaves_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "data.jsonl"
    target.write_bytes(b"precious\n")
    with pytest.raises(BoomError), atomic_write(target) as stream:
        stream.write(b"half of the new")
        raise BoomError
    assert target.read_bytes() == b"precious\n"
    assert _names(tmp_path) == ["data.jsonl"]


def test_error_in_block_creates_nothing_when_no_file_existed(tmp_path: Path) -> None:
    with pytest.raises(BoomError), atomic_write(tmp_path / "new.jsonl"):
        raise BoomError
    assert _names(tmp_path) == []


@posix_only
def test_keeps_permission_bits(tmp_path: Path) -> None:
    target = tmp_path / "data.jsonl"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    with atomic_write(target) as stream:
        stream.write(b"new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@posix_only
def test_new_file_gets_the_umask_default_not_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "new.jsonl") as stream:
            stream.write(b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o644


@posix_only
def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with atomic_write(link) as stream:
        stream.write(b"new\n")
    assert link.is_symlink()
    assert real.read_bytes() == b"new\n"


def test_missing_directory_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "no" / "such.jsonl"):
        pass
