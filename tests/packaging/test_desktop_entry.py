"""The desktop entry and AppStream metadata a Linux desktop and its software centre read."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from importlib.metadata import version

from tests.conftest import REPO
from tunedeck import __version__
from tunedeck.resources import APP_ID

LINUX = REPO / "packaging" / "linux"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_menu_entry_starts_tunedeck_with_its_icon():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "TuneDeck"
    # install.sh rewrites "tunedeck " into the installed program's full path.
    assert entry["Exec"] == "tunedeck %f"
    # The icon theme name is the app id: the PNGs render_icons.py writes carry that name.
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    # Qt names the X11 window class after the application name app.identify sets.
    assert entry["StartupWMClass"] == "TuneDeck"


def test_software_centre_metadata_matches_the_release():
    component = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("provides/binary") == "tunedeck"
    newest = component.find("releases/release")
    # A release that says another version than the program would mislead the software centre.
    assert newest.get("version") == __version__ == version("tunedeck")
