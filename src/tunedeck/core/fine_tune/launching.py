"""The launch button's work, in one call: write the export, check it against the provider's
rules, upload and create the job once, and record it in the project.

The panel runs this in a worker thread. Everything it needs was decided before (the build
that the gate passed, the job settings), so what the user saw checked is what is uploaded,
and a second press after a failure continues the same launch instead of starting another.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tunedeck.core.errors import UserError
from tunedeck.core.export import ExportBuild, WrittenExport, write_export
from tunedeck.core.fine_tune.ledger import ProjectLedger
from tunedeck.core.fine_tune.snapshot import job_snapshot
from tunedeck.core.remote import rules
from tunedeck.core.remote.launch import Launcher, UploadProgress
from tunedeck.core.remote.profiles import Profile
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import Job, JobSpec
from tunedeck.core.remote.uploads import CancelToken
from tunedeck.core.storage.job_store import JobStore


@dataclass(frozen=True)
class Launched:
    profile_id: str
    written: WrittenExport
    job: Job
    findings: list[rules.Finding]  # the provider's notes on the files (none blocked it)


def provider_findings(
    profile: Profile, written: WrittenExport, *, today: date | None = None
) -> list[rules.Finding]:
    """The provider's rules applied to the written files (both of them)."""
    found = rules.check_export(
        profile, written.training.path, written.training.examples, today=today
    )
    if written.validation is not None:
        # The minimum count is the training file's rule; the validation file is held to
        # the rules about its bytes only (encoding, size).
        count = max(written.validation.examples, rules.MIN_EXAMPLES)
        found += [
            finding
            for finding in rules.check_export(profile, written.validation.path, count, today=today)
            if finding.severity == "error"
        ]
    return found


def check_build(
    profile: Profile, build: ExportBuild, *, today: date | None = None
) -> list[rules.Finding]:
    """The provider's rules applied to the bytes a build would write, before writing them.

    The build's own problems already say when there are too few examples, so that rule is
    left out here.
    """
    with tempfile.TemporaryDirectory(prefix="tunedeck-check-") as folder:
        path = Path(folder) / "training.jsonl"
        path.write_bytes(build.training.content(build.options.byte_order_mark))
        found = rules.check_export(profile, path, len(build.training), today=today)
    return [finding for finding in found if finding.code != "min-examples"]


def launch_export(
    build: ExportBuild,
    folder: str | Path,
    stem: str,
    provider: Provider,
    jobs: JobStore,
    spec: JobSpec,
    *,
    dataset_id: int | None = None,
    progress: UploadProgress | None = None,
    cancel: CancelToken | None = None,
    today: date | None = None,
) -> Launched:
    """Write, check, upload and create the job; the job is recorded in the project.

    Raises:
        UserError: The build has problems, a provider rule refuses the files, or the
            provider refused or could not be reached (the message says what to do).
        UnknownOutcomeError: The job may exist; launching again settles it, never twice.
    """
    written = write_export(build, folder, stem)
    findings = provider_findings(provider.profile, written, today=today)
    refused = [finding.message for finding in findings if finding.severity == "error"]
    if refused:
        raise UserError("Not launched: " + " ".join(refused))
    ledger = ProjectLedger(
        jobs,
        provider.profile.id,
        dataset_id=dataset_id,
        fingerprint=written.fingerprint,
        export=build.describe(),
    )
    validation = written.validation.path if written.validation is not None else None
    job = Launcher(provider, ledger).launch(
        spec, written.training.path, validation, progress=progress, cancel=cancel
    )
    jobs.save_job(provider.profile.id, job_snapshot(job))
    return Launched(provider.profile.id, written, job, findings)
