"""The projects a user opened lately, newest first, kept in the application's settings."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from tunedeck.core.storage.database import without_password

ORGANIZATION, APPLICATION = "TuneDeck", "TuneDeck"
_KEY, _LIMIT = "recent_projects", 8


def _settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def recent_projects() -> list[str]:
    value = _settings().value(_KEY) or []
    # QSettings hands back a bare string when a single item was stored on some back ends.
    return [value] if isinstance(value, str) else [str(item) for item in value]


def remember(location: str) -> None:
    location = without_password(location)  # secrets never go into settings
    recent = [item for item in recent_projects() if item != location]
    _settings().setValue(_KEY, [location, *recent][:_LIMIT])


def forget(location: str) -> None:
    """Drop a location that no longer opens (moved, deleted, server gone for good)."""
    _settings().setValue(_KEY, [item for item in recent_projects() if item != location])


def clear() -> None:
    _settings().remove(_KEY)
