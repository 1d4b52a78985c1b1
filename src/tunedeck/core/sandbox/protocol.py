"""A request as the handlers see it and the response they give back, free of socket details."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tunedeck.core.sandbox.errors import invalid

# What every sandbox answer carries, so no log or screenshot passes it off as a real model.
FINGERPRINT = "fp_tunedeck_sandbox_simulation"


@dataclass
class Request:
    """One HTTP request.

    Attributes:
        method: GET, POST, PUT or DELETE.
        path: The path with Azure's data-plane forms rewritten to OpenAI's ("/v1/...").
        raw_path: The path as sent, without the query.
        query: Query parameters, each with every value given.
        headers: Request headers (case-insensitive lookup).
        body: The raw body.
        now: Unix time the request arrived.
        azure: Whether it came by an Azure path (/openai/... or Resource Manager).
        deployment: The Azure deployment named in the path, if any.
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    now: float
    azure: bool = False
    deployment: str | None = None

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> dict[str, Any]:
        """The body as a JSON object.

        Raises:
            ApiError: 400 when the body is not a JSON object.
        """
        try:
            value = json.loads(self.body or b"null")
        except ValueError as error:
            raise invalid(
                f"We could not parse the JSON body of your request. ({error})",
                code="invalid_json",
            ) from None
        if not isinstance(value, dict):
            raise invalid("The body of your request must be a JSON object.", code="invalid_json")
        return value


@dataclass
class Response:
    """What to send back: a JSON body, raw bytes, or a stream of server-sent events."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    stream: Iterator[bytes] | None = None
    content_type: str = "application/json"

    def payload(self) -> bytes:
        """The body as bytes (JSON-encoded unless it already is bytes)."""
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode()


class Drop:
    """The answer "close the connection without responding" (the drop faults)."""


DROP = Drop()


def listing(data: list[dict], has_more: bool = False, **extra: Any) -> dict:
    """A list object as OpenAI returns one."""
    return {"object": "list", "data": data, "has_more": has_more, **extra}
