"""Azure's management plane for deployments, shaped like Azure Resource Manager.

On Azure a fine-tuned model answers only once deployed, through
`PUT https://management.azure.com/subscriptions/{sub}/resourceGroups/{rg}/providers/
Microsoft.CognitiveServices/accounts/{account}/deployments/{name}?api-version=2023-05-01`.
The sandbox serves the same paths under its own URL. A deployment is "Creating" for the
sandbox's job duration, then "Succeeded"; from then on its name works as the `model` of
AzureOpenAI chat and completions calls. The subscription, group and account are kept as
given but not checked: the sandbox is one account.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tunedeck.core.sandbox import models_api
from tunedeck.core.sandbox.errors import ApiError, azure_error
from tunedeck.core.sandbox.ids import stable_id
from tunedeck.core.sandbox.protocol import Request, Response

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService

ARM_VERSIONS = ("2023-05-01", "2023-10-01-preview", "2024-04-01-preview", "2024-06-01-preview",
                "2024-10-01", "2025-04-01-preview", "2025-06-01")  # fmt: skip
RESOURCE_TYPE = "Microsoft.CognitiveServices/accounts/deployments"


def provisioning_state(record: dict, now: float) -> str:
    """ "Creating" until the deployment's provisioning time has passed, then "Succeeded"."""
    return "Succeeded" if now >= record["created_at"] + record["duration"] else "Creating"


def put(service: SandboxService, request: Request, **path: str) -> Response:
    _check_version(request)
    body = request.json()
    model = (body.get("properties") or {}).get("model") or {}
    sku = body.get("sku") or {}
    if not isinstance(model, dict) or not model.get("name") or not isinstance(sku, dict):
        raise _invalid("properties.model.name and sku are required.")
    if model.get("format", "OpenAI") != "OpenAI":
        raise _invalid(f"The model format '{model.get('format')}' is not supported; use OpenAI.")
    try:
        models_api.resolve(service, model["name"], request.now)
    except ApiError:
        raise azure_error(
            400,
            "DeploymentModelNotSupported",
            f"The model '{model['name']}' is not available to deploy: deploy a base model or "
            "a fine-tuned model whose job has succeeded.",
        ) from None
    key = _key(request)
    existed = key in service.state.deployments
    service.state.deployments[key] = {
        "id": request.raw_path,
        "name": path["name"],
        "sku": {"name": sku.get("name", "standard"), "capacity": sku.get("capacity", 1)},
        "model": {"format": "OpenAI", "name": model["name"], "version": model.get("version", "1")},
        "created_at": request.now,
        "duration": service.job_seconds,
    }
    service.state.save("deployments")
    record = service.state.deployments[key]
    return Response(200 if existed else 201, _resource(record, request.now))


def get(service: SandboxService, request: Request, **path: str) -> Response:
    _check_version(request)
    return Response(body=_resource(_find(service, request, path), request.now))


def delete(service: SandboxService, request: Request, **path: str) -> Response:
    _check_version(request)
    if service.state.deployments.pop(_key(request), None) is None:
        return Response(204)
    service.state.save("deployments")
    return Response(200)


def list_deployments(service: SandboxService, request: Request, **path: str) -> Response:
    _check_version(request)
    prefix = _key(request) + "/"
    found = [
        _resource(record, request.now)
        for key, record in service.state.deployments.items()
        if key.startswith(prefix)
    ]
    return Response(body={"value": found})


def _find(service: SandboxService, request: Request, path: dict) -> dict:
    record = service.state.deployments.get(_key(request))
    if record is None:
        raise azure_error(
            404,
            "ResourceNotFound",
            f"The Resource 'Microsoft.CognitiveServices/accounts/{path['account']}/deployments/"
            f"{path['name']}' under resource group '{path['group']}' was not found.",
        )
    return record


def _resource(record: dict, now: float) -> dict:
    stamp = dt.datetime.fromtimestamp(record["created_at"], dt.UTC).isoformat()
    return {
        "id": record["id"],
        "type": RESOURCE_TYPE,
        "name": record["name"],
        "sku": record["sku"],
        "properties": {
            "model": record["model"],
            "provisioningState": provisioning_state(record, now),
            "capabilities": {"chatCompletion": "true", "completion": "true"},
        },
        "systemData": {"createdAt": stamp, "lastModifiedAt": stamp},
        "etag": f'"{stable_id("", record["id"], record["created_at"], length=16)}"',
    }


def _key(request: Request) -> str:
    # Resource Manager paths are case-insensitive.
    return request.raw_path.rstrip("/").lower()


def _check_version(request: Request) -> None:
    version = request.param("api-version")
    if version is None:
        raise azure_error(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    if version not in ARM_VERSIONS:
        raise azure_error(
            400,
            "InvalidApiVersionParameter",
            f"The api-version '{version}' is invalid. The supported versions are "
            f"'{','.join(ARM_VERSIONS)}'.",
        )


def _invalid(message: str) -> ApiError:
    return azure_error(400, "InvalidResourceProperties", message)
