"""Saving a chart (any widget) as a PNG or SVG file, for a report.

`save_widget` writes without asking anything, so it can be tested; `ask_and_save` is the
file dialog around it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QWidget

from tunedeck.core.errors import UserError

FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}
# Twice the screen's pixels: a PNG pasted into a document stays sharp when printed.
PNG_SCALE = 2.0


def save_widget(widget: QWidget, path: Path, title: str = "TuneDeck chart") -> None:
    """Draw `widget` as it looks now into `path`, a .png or .svg file.

    Raises:
        UserError: The suffix is neither .png nor .svg, or the file could not be written.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cannot save a chart as {path.name!r}: give the file name a .png or .svg ending"
        )
    size = widget.size()
    if suffix == ".png":
        written = _save_png(widget, size, path)
    else:
        written = _save_svg(widget, size, path, title)
    if not written:
        raise UserError(
            f"could not write {path}: check that its folder exists and that you may write there"
        )


def _save_png(widget: QWidget, size: QSize, path: Path) -> bool:
    image = QImage(size * PNG_SCALE, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(PNG_SCALE)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        widget.render(painter, QPoint())
    finally:
        painter.end()
    return image.save(str(path), "PNG")


def _save_svg(widget: QWidget, size: QSize, path: Path, title: str) -> bool:
    if not path.parent.is_dir():
        return False  # QSvgGenerator would only print a warning
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from TuneDeck")
    painter = QPainter()
    if not painter.begin(generator):
        return False
    try:
        widget.render(painter, QPoint())
    finally:
        ended = painter.end()
    return ended


def ask_and_save(widget: QWidget, parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save `widget` (a suggested base name, no suffix); returns the path
    written, or None if the user cancelled.

    Raises:
        UserError: The file could not be written.
    """
    start = str(Path.home() / f"{suggested}.png")
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Save chart", start, ";;".join(FORMATS.values())
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in FORMATS:  # the user typed a bare name
        wanted = next((s for s, name in FORMATS.items() if name == chosen), ".png")
        target = target.with_name(target.name + wanted)
    save_widget(widget, target, suggested)
    return target
