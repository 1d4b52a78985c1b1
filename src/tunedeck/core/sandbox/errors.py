"""The error bodies the real services send, so the SDK raises the same exception types.

OpenAI answers `{"error": {"message", "type", "param", "code"}}`; Azure's data plane and
Azure Resource Manager answer `{"error": {"code", "message"}}`. The HTTP status decides which
exception the openai SDK raises (400 BadRequestError, 401 AuthenticationError, 404
NotFoundError, 429 RateLimitError, 5xx InternalServerError).
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal to send back as an HTTP error response.

    Attributes:
        status: The HTTP status code.
        body: The JSON body.
        headers: Extra response headers (e.g. Retry-After).
    """

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(body["error"].get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


def openai_error(
    status: int,
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    kind: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
) -> ApiError:
    """An error in OpenAI's shape; `kind` is the body's "type" field."""
    body = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    return ApiError(status, body, headers)


def azure_error(status: int, code: str, message: str) -> ApiError:
    """An error in Azure's shape (data plane and Resource Manager): code and message only."""
    return ApiError(status, {"error": {"code": code, "message": message}})


def invalid(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    """A 400 for a request the service refuses to act on."""
    return openai_error(400, message, param=param, code=code)


def missing(param: str) -> ApiError:
    """A 400 for a required parameter that was not given, worded as OpenAI words it."""
    return invalid(f"Missing required parameter: '{param}'.", param, "missing_required_parameter")


def wrong_type(param: str, expected: str, value: object) -> ApiError:
    """A 400 for a parameter of the wrong JSON type, worded as OpenAI words it."""
    return invalid(
        f"Invalid type for '{param}': expected {expected}, but got {json_type(value)} instead.",
        param,
        "invalid_type",
    )


def json_type(value: object) -> str:
    """How OpenAI's messages name a JSON value's type ("a string", "an integer", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def no_such(kind: str, identifier: str, param: str = "id") -> ApiError:
    """A 404 for an object that does not exist ("No such File object: file-abc")."""
    return openai_error(404, f"No such {kind} object: {identifier}", param=param)


def model_not_found(model: str) -> ApiError:
    """The 404 OpenAI sends for a model that is unknown or was deleted."""
    return openai_error(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def invalid_api_key() -> ApiError:
    """The 401 for a missing or wrong key; the message never repeats the key."""
    return openai_error(
        401,
        "Incorrect API key provided. This is the TuneDeck sandbox: use the key it was started "
        "with (--api-key), or start it without one to accept any key.",
        code="invalid_api_key",
    )
