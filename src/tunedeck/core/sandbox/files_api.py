"""/v1/files: upload, list, retrieve, content and delete.

A fine-tune upload is checked line by line at once (uploads.py). A job's results file is
added here when the job succeeds (see SandboxService.settle). On OpenAI's paths its content
is base64-encoded CSV, as OpenAI serves it; on Azure's paths it is the plain CSV.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from tunedeck.core.sandbox.errors import invalid, missing, no_such
from tunedeck.core.sandbox.ids import new_id
from tunedeck.core.sandbox.paging import page
from tunedeck.core.sandbox.protocol import Request, Response
from tunedeck.core.sandbox.uploads import check_training_file, parse_form

if TYPE_CHECKING:
    from tunedeck.core.sandbox.service import SandboxService

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
RESULTS_PURPOSE = "fine-tune-results"
_PUBLIC = ("id", "object", "bytes", "created_at", "filename", "purpose", "status",
           "expires_at", "status_details")  # fmt: skip


def upload(service: SandboxService, request: Request) -> Response:
    form = parse_form(request.headers.get("Content-Type", ""), request.body)
    if "file" not in form:
        raise missing("file")
    if "purpose" not in form:
        raise missing("purpose")
    purpose = form["purpose"].value.decode("utf-8", "replace")
    if purpose not in PURPOSES:
        listed = ", ".join(f"'{name}'" for name in PURPOSES)
        raise invalid(f"'{purpose}' is not one of [{listed}] - 'purpose'", "purpose")
    part = form["file"]
    filename = part.filename or "upload"
    record = {"format": None, "examples": 0, "tokens": 0}
    if purpose == "fine-tune":
        summary = check_training_file(filename, part.value)
        record = {"format": summary.format, "examples": summary.examples, "tokens": summary.tokens}
    file_id = new_id("file-", 22)
    record.update(
        id=file_id,
        object="file",
        bytes=len(part.value),
        created_at=int(request.now),
        filename=filename,
        purpose=purpose,
        status="processed",
        expires_at=None,
        status_details=None,
    )
    service.state.write_blob(file_id, part.value)
    service.state.files[file_id] = record
    service.state.save("files")
    return Response(body=file_object(record))


def list_files(service: SandboxService, request: Request) -> Response:
    purpose = request.param("purpose")
    files = [f for f in service.state.files.values() if purpose in (None, f["purpose"])]
    if request.param("order") != "asc":
        files.reverse()  # newest first unless asked otherwise, as OpenAI lists
    return Response(body=page([file_object(f) for f in files], request, 10_000, 10_000))


def retrieve(service: SandboxService, request: Request, file_id: str) -> Response:
    return Response(body=file_object(find(service, file_id)))


def content(service: SandboxService, request: Request, file_id: str) -> Response:
    record = find(service, file_id)
    data = service.state.read_blob(file_id)
    if record["purpose"] == RESULTS_PURPOSE and not request.azure:
        data = base64.b64encode(data)
    return Response(body=data, content_type="application/octet-stream")


def delete(service: SandboxService, request: Request, file_id: str) -> Response:
    find(service, file_id)
    del service.state.files[file_id]
    # A fine-tuned model answers from its training data, so that data outlives the file.
    if not any(
        file_id in (j["training_file"], j["validation_file"]) for j in service.state.jobs.values()
    ):
        service.state.drop_blob(file_id)
    service.state.save("files")
    return Response(body={"id": file_id, "object": "file", "deleted": True})


def find(service: SandboxService, file_id: str) -> dict:
    """The stored file record, or OpenAI's 404."""
    record = service.state.files.get(file_id)
    if record is None:
        raise no_such("File", file_id)
    return record


def file_object(record: dict) -> dict:
    """The File object for a stored record (without the sandbox's own bookkeeping)."""
    return {key: record[key] for key in _PUBLIC}


def add_results_file(service: SandboxService, job: dict, csv: bytes, created: float) -> None:
    """Store a succeeded job's results file under the identifier the job reports."""
    file_id = job["result_file"]
    service.state.write_blob(file_id, csv)
    service.state.files[file_id] = {
        "id": file_id,
        "object": "file",
        "bytes": len(csv),
        "created_at": int(created),
        "filename": "step_metrics.csv",
        "purpose": RESULTS_PURPOSE,
        "status": "processed",
        "expires_at": None,
        "status_details": None,
        "format": None,
        "examples": 0,
        "tokens": 0,
    }
