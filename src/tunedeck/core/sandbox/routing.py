"""Which handler answers which method and path, for OpenAI's, Azure's and ARM's paths.

Azure's data-plane paths are rewritten to OpenAI's before matching (`/openai/files` is
`/v1/files`; `/openai/deployments/{name}/chat/completions` is `/v1/chat/completions` with the
deployment noted on the request), so one handler serves both services.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from tunedeck.core.sandbox import (
    azure,
    deployments_api,
    files_api,
    inference_api,
    jobs_api,
    models_api,
)
from tunedeck.core.sandbox.errors import ApiError, azure_error, openai_error
from tunedeck.core.sandbox.faults import canonical
from tunedeck.core.sandbox.protocol import Request

Handler = Callable[..., object]

_JOB = "/v1/fine_tuning/jobs/(?P<job_id>[^/]+)"
_ARM = (
    "/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    "Microsoft.CognitiveServices/accounts/(?P<account>[^/]+)/deployments"
)
_TABLE: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/models", models_api.list_models),
    ("GET", "/v1/models/(?P<model>[^/]+)", models_api.retrieve),
    ("DELETE", "/v1/models/(?P<model>[^/]+)", models_api.delete),
    ("POST", "/v1/files", files_api.upload),
    ("GET", "/v1/files", files_api.list_files),
    ("GET", "/v1/files/(?P<file_id>[^/]+)", files_api.retrieve),
    ("DELETE", "/v1/files/(?P<file_id>[^/]+)", files_api.delete),
    ("GET", "/v1/files/(?P<file_id>[^/]+)/content", files_api.content),
    ("POST", "/v1/fine_tuning/jobs", jobs_api.create),
    ("GET", "/v1/fine_tuning/jobs", jobs_api.list_jobs),
    ("GET", _JOB, jobs_api.retrieve),
    ("POST", _JOB + "/cancel", jobs_api.cancel),
    ("GET", _JOB + "/events", jobs_api.events),
    ("GET", _JOB + "/checkpoints", jobs_api.checkpoints),
    ("POST", "/v1/chat/completions", inference_api.chat),
    ("POST", "/v1/completions", inference_api.completions),
    ("GET", _ARM, deployments_api.list_deployments),
    ("PUT", _ARM + "/(?P<name>[^/]+)", deployments_api.put),
    ("GET", _ARM + "/(?P<name>[^/]+)", deployments_api.get),
    ("DELETE", _ARM + "/(?P<name>[^/]+)", deployments_api.delete),
]
# Resource Manager paths are case-insensitive; OpenAI's are not.
ROUTES = [
    (
        method,
        re.compile(pattern + "/?", re.IGNORECASE if pattern.startswith("/subscriptions/") else 0),
        handler,
    )
    for method, pattern, handler in _TABLE
]
_DEPLOYMENT = re.compile("/openai/deployments/(?P<name>[^/]+)/")


def prepare(request: Request) -> None:
    """Note whether a request came by Azure's paths, and rewrite those paths to OpenAI's.

    Raises:
        ApiError: Azure's refusal of a data-plane request without a served api-version.
    """
    if request.raw_path.startswith("/openai/"):
        request.azure = True
        azure.check_version(request)
        found = _DEPLOYMENT.match(request.raw_path)
        if found:
            request.deployment = unquote(found["name"])
        request.path = canonical(request.raw_path)
    elif request.raw_path.lower().startswith("/subscriptions/"):
        request.azure = True


def match(request: Request) -> tuple[Handler, dict[str, str]]:
    """The handler for a prepared request and the values of its path's placeholders.

    Raises:
        ApiError: 404 for a path no route serves, in the shape of the service it imitates.
    """
    for method, pattern, handler in ROUTES:
        found = pattern.fullmatch(request.path)
        if found and method == request.method:
            return handler, {name: unquote(value) for name, value in found.groupdict().items()}
    raise _unknown(request)


def _unknown(request: Request) -> ApiError:
    if request.azure:
        return azure_error(404, "404", "Resource not found")
    return openai_error(404, f"Invalid URL ({request.method} {request.raw_path})")
