"""Azure OpenAI's data plane: the api-version it demands and the deployments it answers by.

`AzureOpenAI(azure_endpoint=URL, api_version=V)` sends every request to `URL/openai/...`
with `?api-version=V`, and chat and completions to
`URL/openai/deployments/{deployment}/chat/completions` and `.../completions`, where the
deployment is the `model` the caller passed. Azure answers a request without an api-version
with a bare 404 "Resource not found" (MicrosoftDocs/azure-docs#114602) and one with a version
it does not serve with 400 "API version not supported".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tunedeck.core.sandbox.deployments_api import provisioning_state
from tunedeck.core.sandbox.errors import azure_error
from tunedeck.core.sandbox.protocol import Request

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService

DATA_PLANE_VERSIONS = frozenset(
    {
        "2023-05-15", "2023-06-01-preview", "2023-07-01-preview", "2023-08-01-preview",
        "2023-09-01-preview", "2023-10-01-preview", "2023-12-01-preview", "2024-02-01",
        "2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview", "2024-05-01-preview",
        "2024-06-01", "2024-07-01-preview", "2024-08-01-preview", "2024-09-01-preview",
        "2024-10-01-preview", "2024-10-21", "2024-12-01-preview", "2025-01-01-preview",
        "2025-02-01-preview", "2025-03-01-preview", "2025-04-01-preview", "preview", "latest",
    }
)  # fmt: skip

DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment "
    "within the last 5 minutes, please wait a moment and try again."
)


def check_version(request: Request) -> None:
    """Refuse a data-plane request whose api-version is missing or not served, as Azure does.

    Raises:
        ApiError: 404 for a missing version, 400 for an unknown one.
    """
    version = request.param("api-version")
    if version is None:
        raise azure_error(404, "404", "Resource not found")
    if version not in DATA_PLANE_VERSIONS:
        raise azure_error(400, "BadRequest", "API version not supported")


def deployed_model(service: SandboxService, request: Request) -> str:
    """The model behind the deployment a chat or completions request names.

    Raises:
        ApiError: Azure's 404 DeploymentNotFound when no deployment of that name has finished
            provisioning.
    """
    for record in service.state.deployments.values():
        succeeded = provisioning_state(record, request.now) == "Succeeded"
        if record["name"] == request.deployment and succeeded:
            return record["model"]["name"]
    raise azure_error(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND)
