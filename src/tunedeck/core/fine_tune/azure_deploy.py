"""What deploying a tuned model on Azure needs beyond the resource's key: a sign-in token for
the management plane, and a deployment name Azure accepts.

Deployments are made through Azure Resource Manager (`core.remote.deployments`), which takes
an Entra ID bearer token, not the resource's API key. TuneDeck does not sign users in
itself; it takes a token from the environment or from the Azure command-line tool, and says
plainly how to get one when neither is there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping

from tunedeck.core.errors import UserError
from tunedeck.core.loopback import is_loopback_url
from tunedeck.core.remote.deployments import TokenProvider
from tunedeck.core.remote.profiles import AzureProfile
from tunedeck.core.remote.secrets import ApiKey, KeyStore

TOKEN_VARIABLE = "AZURE_MANAGEMENT_TOKEN"
_RESOURCE = "https://management.azure.com/"
_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_LIMIT = 64

NO_SIGN_IN = (
    "TuneDeck needs an Azure sign-in to deploy models, and found none. Either install the "
    "Azure CLI and run “az login”, or set the {variable} environment variable to a token "
    "(az account get-access-token --resource https://management.azure.com/) before starting "
    "TuneDeck. You can also deploy by hand: in Azure AI Foundry, open Fine-tuning, choose the "
    "model and press Deploy."
)


def management_token(
    profile: AzureProfile,
    keys: KeyStore,
    *,
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> TokenProvider:
    """Where the bearer token for deploying on `profile` comes from.

    A management address on this computer (the sandbox) takes the resource's key; then the
    AZURE_MANAGEMENT_TOKEN variable; then the Azure CLI, asked on each call since its tokens
    expire within the hour.

    Raises:
        UserError: None of these is available; the message says how to sign in.
    """
    environ = os.environ if environ is None else environ
    if is_loopback_url(profile.management_root):
        return lambda: keys.require(profile) or ApiKey("sandbox", "the sandbox")
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return lambda: ApiKey(token, TOKEN_VARIABLE)
    az = which("az")
    if az is None:
        raise UserError(NO_SIGN_IN.format(variable=TOKEN_VARIABLE))
    return lambda: _from_cli(az)


def deployment_name(model: str, suffix: str | None = None) -> str:
    """A name Azure accepts (letters, digits, . _ -; at most 64), readable by a person."""
    base = suffix or model.split(".ft-")[0].removeprefix("ft:")
    name = _NAME_CHARACTERS.sub("-", base).strip("-.") or "tuned-model"
    return name[:_NAME_LIMIT]


def _from_cli(az: str) -> ApiKey:
    command = [az, "account", "get-access-token", "--resource", _RESOURCE]
    command += ["--query", "accessToken", "--output", "tsv"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(
            f"The Azure CLI did not give a sign-in token ({exc}). Run “az login” in a terminal "
            "and try again."
        ) from exc
    if done.returncode != 0 or not done.stdout.strip():
        raise UserError(
            "The Azure CLI is not signed in (or the sign-in expired). Run “az login” in a "
            "terminal, then press Deploy again."
        )
    return ApiKey(done.stdout.strip(), "the Azure CLI")
