"""Azure OpenAI deployments through the Azure Resource Manager (ARM) management plane.

A fine-tuned model on Azure answers only once deployed, and deploying is not part of the
OpenAI API the SDK speaks: it is an ARM call (PUT/GET/DELETE on
.../accounts/{account}/deployments/{name}) authorised by an Azure bearer token, not the
resource's API key. This is the one hand-written HTTP client in TuneDeck, on urllib.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from tunedeck.core.errors import UserError
from tunedeck.core.remote import redact
from tunedeck.core.remote.profiles import AzureProfile
from tunedeck.core.remote.records import Deployment
from tunedeck.core.remote.secrets import ApiKey

log = logging.getLogger(__name__)

ARM_API_VERSION = "2023-05-01"
TokenProvider = Callable[[], ApiKey]
"""Returns a current Azure management token (they expire within hours)."""


class AzureDeployments:
    """Create, read, list and delete deployments of one Azure OpenAI resource.

    Args:
        profile: An Azure profile with subscription, resource group and account set.
        token: Gives the bearer token for management.azure.com (from `az account
            get-access-token`, or any Entra ID credential).
        timeout_seconds: Per request.
    """

    def __init__(
        self, profile: AzureProfile, token: TokenProvider, *, timeout_seconds: float = 30.0
    ) -> None:
        if not profile.can_deploy:
            raise UserError(
                f"To deploy models, the profile {profile.name!r} needs the Azure subscription "
                "id, resource group and resource (account) name; add them in its settings."
            )
        self.profile = profile
        self._token = token
        self._timeout = timeout_seconds
        self._base = (
            f"{profile.management_root.rstrip('/')}/subscriptions/"
            f"{quote(str(profile.subscription_id), safe='')}/resourceGroups/"
            f"{quote(str(profile.resource_group), safe='')}/providers/"
            f"Microsoft.CognitiveServices/accounts/{quote(str(profile.account), safe='')}"
            "/deployments"
        )

    def __repr__(self) -> str:
        return f"AzureDeployments({self.profile.account!r})"

    def create(
        self, name: str, model: str, *, sku: str = "standard", capacity: int = 1
    ) -> Deployment:
        """Start deploying a model under a name; Azure finishes it in the background.

        Args:
            name: The deployment name chat calls will use.
            model: The (fine-tuned) model to deploy.
            sku: "standard", "globalstandard", or "developertier" for a 24-hour test one.
            capacity: Throughput units.
        """
        body = {
            "sku": {"name": sku, "capacity": capacity},
            "properties": {"model": {"format": "OpenAI", "name": model, "version": "1"}},
        }
        return _deployment(self._call("PUT", name, body, doing=f"deploy {model} as {name!r}"))

    def get(self, name: str) -> Deployment | None:
        """The deployment, or None if there is none by that name."""
        try:
            return _deployment(self._call("GET", name, doing=f"read the deployment {name!r}"))
        except _NotFoundError:
            return None

    def list(self) -> list[Deployment]:
        """All deployments of the resource."""
        data = self._call("GET", None, doing="list the deployments")
        return [_deployment(item) for item in data.get("value", [])]

    def delete(self, name: str) -> None:
        """Remove a deployment (ending its hosting fee); a missing one is not an error."""
        try:
            self._call("DELETE", name, doing=f"delete the deployment {name!r}")
        except _NotFoundError:
            return

    def wait_until_ready(
        self, name: str, *, timeout_seconds: float = 1800.0, poll_seconds: float = 5.0
    ) -> Deployment:
        """Poll until the deployment has succeeded.

        Raises:
            UserError: It failed, vanished, or was not ready in time.
        """
        deadline = time.monotonic() + timeout_seconds
        while True:
            deployment = self.get(name)
            if deployment is None:
                raise UserError(f"The deployment {name!r} disappeared while it was being created.")
            if deployment.ready:
                return deployment
            if deployment.state in ("Failed", "Canceled"):
                raise UserError(
                    f"Azure could not deploy {deployment.model} as {name!r} (state "
                    f"{deployment.state}). Check the model and quota in the Azure portal."
                )
            if time.monotonic() >= deadline:
                raise UserError(
                    f"The deployment {name!r} was still {deployment.state} after "
                    f"{timeout_seconds:g} seconds; check it in the Azure portal."
                )
            time.sleep(poll_seconds)

    def _call(
        self, method: str, name: str | None, body: dict | None = None, *, doing: str
    ) -> dict[str, Any]:
        url = self._base + (f"/{quote(name, safe='')}" if name else "")
        url += f"?api-version={ARM_API_VERSION}"
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self._token().reveal()}")
        request.add_header("Content-Type", "application/json")
        log.info("%s deployment %s", method, name or "(list)")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, doing) from exc
        except TimeoutError as exc:
            raise UserError(
                f"Could not {doing}: Azure Resource Manager did not answer within "
                f"{self._timeout:g} seconds. Try again."
            ) from exc
        except urllib.error.URLError as exc:
            raise UserError(
                f"Could not {doing}: TuneDeck could not reach "
                f"{self.profile.management_root} ({exc.reason}). Check the network and the "
                "management address in the profile."
            ) from exc
        return json.loads(text) if text.strip() else {}


class _NotFoundError(UserError):
    pass


def _http_error(exc: urllib.error.HTTPError, doing: str) -> UserError:
    try:
        error = json.loads(exc.read().decode("utf-8")).get("error", {})
    except (ValueError, AttributeError, OSError):
        error = {}
    said = error.get("message") if isinstance(error, dict) else None
    quoted = f' Azure said: "{redact.scrub(str(said))}".' if said else ""
    if exc.code == 401:
        return UserError(
            f"Could not {doing}: Azure rejected the sign-in token (it may have expired). "
            "Sign in again (az login) and retry."
        )
    if exc.code == 403:
        return UserError(
            f"Could not {doing}: your Azure account may not manage deployments of this "
            f"resource.{quoted} It needs a role with deployments/write."
        )
    if exc.code == 404:
        return _NotFoundError(
            f"Could not {doing}: Azure found no such resource or deployment.{quoted} Check the "
            "subscription, resource group and resource name in the profile."
        )
    return UserError(f"Could not {doing}: Azure answered with an error ({exc.code}).{quoted}")


def _deployment(data: dict[str, Any]) -> Deployment:
    properties = data.get("properties") or {}
    model = properties.get("model") or {}
    sku = data.get("sku") or {}
    return Deployment(
        name=str(data.get("name", "")),
        model=str(model.get("name", "")),
        state=properties.get("provisioningState"),
        sku=sku.get("name"),
        capacity=sku.get("capacity"),
    )
