"""The icon files rendered from the one SVG: every size each platform asks for, and sharp."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader

from tests.conftest import REPO
from tunedeck.resources import APP_ID

pytestmark = pytest.mark.gui  # QImageReader's ICO and ICNS plugins need the QApplication


@pytest.fixture(scope="module")
def icons(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    script = REPO / "packaging" / "render_icons.py"
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, str(script), "--out", str(out)], env=env, check=True)
    return out


def test_theme_icons_at_every_size(icons: Path, qapp):
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner is transparent
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the card is opaque
    assert (icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def sizes_in(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    found = []
    for number in range(reader.imageCount()):
        reader.jumpToImage(number)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        found.append(image.width())
    return sorted(found)


def test_windows_and_macos_icons_hold_every_size(icons: Path, qapp):
    assert sizes_in(icons / "tunedeck.ico") == [16, 24, 32, 48, 64, 128, 256]
    assert 1024 in sizes_in(icons / "tunedeck.icns")
