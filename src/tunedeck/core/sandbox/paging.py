"""Cursor pagination as OpenAI does it: `after` an object's id, at most `limit` objects."""

from __future__ import annotations

from tunedeck.core.sandbox.errors import invalid
from tunedeck.core.sandbox.protocol import Request, listing


def limit_param(request: Request, default: int, maximum: int) -> int:
    """The `limit` query parameter, checked against OpenAI's bounds."""
    raw = request.param("limit")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"Invalid 'limit': expected an integer, got '{raw}'.", "limit") from None
    if not 1 <= value <= maximum:
        raise invalid(
            f"Invalid 'limit': expected a value between 1 and {maximum}, but got {value} instead.",
            "limit",
            "integer_out_of_range",
        )
    return value


def page(items: list[dict], request: Request, default: int, maximum: int = 100) -> dict:
    """The list object holding the items after the `after` cursor, `limit` of them.

    An unknown cursor gives an empty page rather than an error, as OpenAI does for an id that
    has since been deleted.
    """
    limit = limit_param(request, default, maximum)
    after = request.param("after")
    start = 0
    if after:
        ids = [item["id"] for item in items]
        start = ids.index(after) + 1 if after in ids else len(items)
    chosen = items[start : start + limit]
    extra = {}
    if chosen:
        extra = {"first_id": chosen[0]["id"], "last_id": chosen[-1]["id"]}
    return listing(chosen, has_more=start + limit < len(items), **extra)
