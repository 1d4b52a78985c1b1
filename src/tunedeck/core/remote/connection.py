"""The settings dialog's "Test connection" button: one cheap call, a clear verdict.

Lists the models once, without retries and with a short timeout, and names what went
wrong in terms of what to fix: the key, the address, the Azure API version, the network.

Import the module rather than the function in tests: pytest would collect a bare
`test_connection` as a test.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tunedeck.core.errors import UserError
from tunedeck.core.remote import clients, redact
from tunedeck.core.remote.errors import quote, service_message
from tunedeck.core.remote.profiles import AzureProfile, Profile
from tunedeck.core.remote.secrets import ApiKey, KeyStore

OK, BAD_KEY, NO_KEY, UNREACHABLE, TIMEOUT = "ok", "bad_key", "no_key", "unreachable", "timeout"
API_VERSION, NOT_FOUND, REFUSED, SERVER_ERROR = "api_version", "not_found", "refused", "server"


@dataclass(frozen=True)
class ConnectionReport:
    """The verdict: `problem` is one of the constants above ("ok" when all is well)."""

    ok: bool
    problem: str
    message: str
    advice: str
    models_seen: int = 0
    seconds: float = 0.0


def test_connection(
    profile: Profile, keys: KeyStore | ApiKey | None, *, timeout_seconds: float = 10.0
) -> ConnectionReport:
    """Try the profile once and say what, if anything, is wrong.

    Args:
        profile: The profile to try.
        keys: Where its key comes from (a KeyStore), the key itself, or None for no key.
        timeout_seconds: How long to wait for the answer.
    """
    import openai

    started = time.monotonic()
    try:
        key = keys.require(profile) if isinstance(keys, KeyStore) else keys
    except UserError as exc:
        return ConnectionReport(False, NO_KEY, str(exc), "Enter the key, then test again.")
    client = clients.make_client(profile, key).with_options(max_retries=0)
    where = clients.describe(profile)
    where = where[0].upper() + where[1:]
    try:
        models = list(client.models.list(timeout=clients.timeout_for(profile, timeout_seconds)))
    except openai.OpenAIError as exc:
        report = _diagnose(exc, profile, where, timeout_seconds)
        return ConnectionReport(
            False,
            report[0],
            redact.scrub(report[1]),
            report[2],
            seconds=time.monotonic() - started,
        )
    finally:
        client.close()
    return ConnectionReport(
        True,
        OK,
        f"Connected to {where}: {len(models)} models available.",
        "",
        models_seen=len(models),
        seconds=time.monotonic() - started,
    )


def _diagnose(
    exc: Exception, profile: Profile, where: str, timeout_seconds: float
) -> tuple[str, str, str]:
    import openai

    said = service_message(exc)
    quoted = quote(said)
    azure = isinstance(profile, AzureProfile)
    if isinstance(exc, openai.APITimeoutError):
        return (
            TIMEOUT,
            f"{where} did not answer within {timeout_seconds:g} seconds.",
            "Check the address and your network (a proxy or VPN may be needed), then retry.",
        )
    if isinstance(exc, openai.APIConnectionError):
        return (
            UNREACHABLE,
            f"Could not connect to {where}.",
            "Check the address (and that the server is running, for a local one) and the "
            "network connection.",
        )
    if isinstance(exc, openai.AuthenticationError):
        return (
            BAD_KEY,
            f"{where} rejected the API key.",
            "Copy the key again from the provider's dashboard and save it in the profile.",
        )
    if azure and _mentions_api_version(exc, said):
        return (
            API_VERSION,
            f"{where} does not accept the API version {profile.api_version!r}.{quoted}",
            "Choose an API version the resource supports (for example 2024-10-21) in the profile.",
        )
    if isinstance(exc, openai.NotFoundError) and azure:
        # Azure answers an unknown API version with a bare 404 as often as with its name.
        return (
            API_VERSION,
            f"{where} found nothing at this address with API version "
            f"{profile.api_version!r}.{quoted}",
            "Check the endpoint (https://NAME.openai.azure.com) and choose an API version the "
            "resource supports (for example 2024-10-21).",
        )
    if isinstance(exc, openai.NotFoundError):
        return (
            NOT_FOUND,
            f"{where} answered, but not as an OpenAI-style API at this address.{quoted}",
            "Check the address: OpenAI-style servers usually end in /v1.",
        )
    if isinstance(exc, openai.InternalServerError):
        return (SERVER_ERROR, f"{where} had an internal error.{quoted}", "Try again later.")
    if isinstance(exc, openai.APIStatusError):
        return (
            REFUSED,
            f"{where} refused the request ({exc.status_code}).{quoted}",
            "Check the profile's settings.",
        )
    return (REFUSED, f"{where} sent an answer TuneDeck cannot read.", "Check the address.")


def _mentions_api_version(exc: Any, said: str | None) -> bool:
    import openai

    code = str(getattr(exc, "code", "") or "").lower()
    text = (said or "").lower()
    return isinstance(exc, openai.APIStatusError) and (
        "apiversion" in code.replace("_", "") or "api version" in text or "api-version" in text
    )
