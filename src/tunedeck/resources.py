"""Where the files shipped beside the code live, in a source checkout and in a built bundle."""

from __future__ import annotations

import sys
from pathlib import Path

# The reverse-DNS name a desktop knows TuneDeck by: the .desktop file, the AppStream
# metadata and the themed icons are all named after it (see packaging/linux/).
APP_ID = "io.github.tunedeck.TuneDeck"
ICON = ("icons", "tunedeck.svg")


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        # A PyInstaller bundle: packaging/tunedeck.spec puts resources/ beside the code.
        return Path(bundle) / "resources"
    # A source checkout (what `pip install -e .` gives): resources/ at the repository root.
    return Path(__file__).resolve().parents[2] / "resources"


RESOURCES = _root()


def resource(*parts: str) -> Path:
    """Path of a shipped resource file."""
    return RESOURCES.joinpath(*parts)
