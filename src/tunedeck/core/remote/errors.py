"""Turn the SDK's exceptions into messages a dataset author can act on.

Each message says what TuneDeck was doing, what the service (or the network) said, and
what to do next. The original exception stays attached as `__cause__` for the crash log;
the text is passed through `redact.scrub`, and the service's own words are left out where
they quote the key (OpenAI's 401 text echoes part of it).
"""

from __future__ import annotations

from tunedeck.core.errors import UserError
from tunedeck.core.remote import redact

# Codes OpenAI and Azure send with a 429 that no amount of waiting fixes.
QUOTA_CODES = {"insufficient_quota", "billing_hard_limit_reached", "quota_exceeded"}


class UnknownOutcomeError(UserError):
    """The request may or may not have taken effect: the connection broke or timed out
    after it was sent, or the service failed with a 5xx."""


class CancelledError(UserError):
    """The user cancelled the operation (an upload, a streamed answer)."""


def service_message(exc: BaseException) -> str | None:
    """The service's own explanation inside an SDK status error, if it sent one."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message.strip():
            return message.strip()
    elif isinstance(body, str) and body.strip() and len(body) < 500:
        return body.strip()
    return None


def quote(said: str | None) -> str:
    """' It said: "…".' for a service message, or "" when there is none."""
    if not said:
        return ""
    return f' It said: "{said.rstrip(". ")}".'


def unknown_outcome(exc: BaseException) -> bool:
    """True when the request may have been carried out although no answer arrived."""
    import openai

    return isinstance(exc, openai.APIConnectionError | openai.InternalServerError)


def user_error(
    exc: BaseException, doing: str, *, where: str = "the service", api_version: str | None = None
) -> UserError:
    """A UserError for an SDK exception; raise it `from exc`.

    Args:
        exc: What the SDK raised.
        doing: What TuneDeck was doing, as a verb phrase ("upload the training file").
        where: Who was asked, for messages ("OpenAI", "the Azure resource my-resource").
        api_version: The Azure API version in use, named when a 404 may be its fault.

    Returns:
        An UnknownOutcomeError when the request may have taken effect, else a UserError.
    """
    text = _explain(exc, where, api_version)
    message = redact.scrub(f"Could not {doing}: {text}")
    if unknown_outcome(exc):
        return UnknownOutcomeError(message)
    return UserError(message)


def _explain(exc: BaseException, where: str, api_version: str | None) -> str:
    import openai

    said = service_message(exc)
    quoted = quote(said)
    if isinstance(exc, openai.APITimeoutError):
        return (
            f"{where} did not answer in time. The connection may be slow or the service "
            "busy; try again, or raise the timeout in the provider's settings."
        )
    if isinstance(exc, openai.APIConnectionError):
        return (
            f"TuneDeck could not reach {where}. Check the network connection and the "
            "address in the provider's settings, then try again."
        )
    if isinstance(exc, openai.AuthenticationError):
        # Not quoted: OpenAI's 401 text repeats the start and end of the rejected key.
        return (
            f"{where} rejected the API key. It may be mistyped, revoked or belong to "
            "another organization or resource; enter the key again in Settings ▸ Providers."
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return (
            f"the key is not allowed to do this.{quoted} Ask the account's owner for access, "
            "or use a key from a project that has it."
        )
    if isinstance(exc, openai.RateLimitError):
        if getattr(exc, "code", None) in QUOTA_CODES:
            return (
                f"the account has used up its quota or credit.{quoted} Add credit or raise "
                "the limit in the provider's billing settings; waiting will not help."
            )
        return (
            f"{where} is limiting how fast requests may be sent.{quoted} Wait a minute and "
            "try again."
        )
    if isinstance(exc, openai.NotFoundError) and getattr(exc, "code", None) == "DeploymentNotFound":
        return (
            f"{where} has no ready deployment by that name. A fine-tuned model answers only "
            "once it is deployed: deploy it (or check the name), and allow a few minutes "
            "after deploying."
        )
    if isinstance(exc, openai.NotFoundError):
        hint = " Check the model or deployment name and that it exists for this account."
        if api_version:
            hint += (
                f" If nothing works on this resource, the API version {api_version!r} may be "
                "wrong: compare it with the versions the resource supports."
            )
        return f"{where} does not know this.{quoted}{hint}"
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        if api_version and said and "api version" in said.lower():
            return f"{where} does not accept the API version {api_version!r}.{quoted}"
        return f"{where} refused the request.{quoted} Correct what it names and try again."
    if isinstance(exc, openai.ConflictError):
        return f"{where} reported a conflict.{quoted} Wait a moment and try again."
    if isinstance(exc, openai.InternalServerError):
        status = getattr(exc, "status_code", "5xx")
        return (
            f"{where} had an internal error ({status}).{quoted} This is on the service's "
            "side; try again later."
        )
    if isinstance(exc, openai.APIStatusError):
        return f"{where} answered with an error ({exc.status_code}).{quoted}"
    if isinstance(exc, openai.APIResponseValidationError):
        return f"{where} sent an answer TuneDeck cannot read; is the address right?"
    return f"the SDK reported a problem: {exc}"
