"""Sharing repeated strings between records, so a large file costs less memory."""

from __future__ import annotations

from typing import Any


class SharedStrings:
    """Makes records use one string object per distinct key and per distinct short value.

    json.loads shares keys only within one call, so a million rows would otherwise hold a
    million copies of "prompt", of "role" and of each class label; on a short legacy or chat
    file that is a fifth of the memory.
    """

    _LIMIT = 10_000  # strings that never repeat (ids) must not grow the tables forever
    _SHORT = 16  # labels and roles are short; long text rarely repeats exactly

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._values: dict[str, str] = {}

    def share(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record rebuilt with shared strings, and likewise the objects in its lists."""
        for value in record.values():
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        value[index] = self._rebuild(item)
        return self._rebuild(record)

    def _rebuild(self, mapping: dict[str, Any]) -> dict[str, Any]:
        keys, values = self._keys, self._values
        if len(keys) >= self._LIMIT:
            return mapping
        if len(values) >= self._LIMIT:
            return {keys.setdefault(key, key): value for key, value in mapping.items()}
        return {
            keys.setdefault(key, key): (
                values.setdefault(value, value)
                if isinstance(value, str) and len(value) <= self._SHORT
                else value
            )
            for key, value in mapping.items()
        }
