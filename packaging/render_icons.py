"""Render TuneDeck's icon from its one source, resources/icons/tunedeck.svg, for every platform.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py [--out DIR]

packaging/tunedeck.spec runs it into the build directory. Writes, under DIR (default
build/icons):

- hicolor/NxN/apps/<app id>.png at 16..512 px and hicolor/scalable/apps/<app id>.svg, the
  freedesktop icon theme layout a Linux desktop looks icons up in;
- tunedeck.ico (Windows: 16..256 px) and tunedeck.icns (macOS: 16..1024 px).

Only the SVG is kept in the repository; everything rendered from it is a build product.
ICO and ICNS are written here rather than through Qt's image plugins because those write a
single size per file, and a Windows or macOS icon should carry every size it is shown at.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from tunedeck.resources import APP_ID, resource  # noqa: E402 (needs the path above)

THEME_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's type codes for PNG-compressed icon images, by pixel size (Retina ones included).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon as PNG bytes, `size` pixels square, on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode a {size} px PNG")
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, payload = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + directory + payload


def icns(images: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(source: Path, out: Path) -> list[Path]:
    """Write every icon file under `out`; returns the paths written."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {source} is not an SVG Qt can draw")
    sizes = sorted({*THEME_SIZES, *ICO_SIZES, *(size for _kind, size in ICNS_TYPES)})
    images = {size: render_png(renderer, size) for size in sizes}
    written = []
    for size in THEME_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(images[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable)
    (out / "tunedeck.ico").write_bytes(ico({size: images[size] for size in ICO_SIZES}))
    (out / "tunedeck.icns").write_bytes(icns(images))
    return [*written, scalable, out / "tunedeck.ico", out / "tunedeck.icns"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "icons")
    args = parser.parse_args()
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    written = render_all(resource("icons", "tunedeck.svg"), args.out)
    print(f"render_icons: wrote {len(written)} icon files under {args.out}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
