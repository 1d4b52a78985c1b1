"""Launch a fine-tuning job exactly once, whatever the network does.

The order is: upload (or reuse) the files, record the intent, send the create request
with the intent's id in the job's metadata, record the job. When the create request ends
without an answer (a dropped connection, a timeout, a 5xx) the job may exist anyway, so
before sending it again the provider's job list is searched for the intent's tag. The
SDK's own retries are off for this one request, because it would resend blindly.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tunedeck.core.errors import UserError
from tunedeck.core.remote.errors import QUOTA_CODES, UnknownOutcomeError
from tunedeck.core.remote.ledger import JobLedger, LaunchIntent
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import Job, JobSpec
from tunedeck.core.remote.uploads import CancelToken, fingerprint, sha256_of

log = logging.getLogger(__name__)

INTENT_TAG = "tunedeck_intent"
# Jobs created this long before the intent was recorded cannot be its job (clock skew).
_CLOCK_SLACK_SECONDS = 300
# How many of the newest jobs to read when the service ignores the metadata filter.
_LOOKUP_SCAN = 200
_MAX_RETRY_AFTER = 120.0

UploadProgress = Callable[[str, int, int], None]
"""Called with (which file: "training" or "validation", bytes sent, total bytes)."""


class Launcher:
    """Uploads and job creation for one provider, recorded in a ledger.

    Args:
        provider: The provider to launch on.
        ledger: Where intents, jobs and uploads are recorded.
        sleep: Waits between attempts (tests pass a recorder).
    """

    def __init__(
        self, provider: Provider, ledger: JobLedger, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.provider = provider
        self.ledger = ledger
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"Launcher({self.provider!r})"

    def upload_once(
        self,
        path: str | Path,
        *,
        label: str = "training",
        progress: UploadProgress | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """The file id of this content on the provider, uploading it only if needed."""
        path = Path(path)
        key = fingerprint(self.provider.profile.id, sha256_of(path), "fine-tune")
        known = self.ledger.uploaded(key)
        if known is not None and self.provider.get_file(known) is not None:
            log.info("reusing upload %s for %s", known, path.name)
            if progress is not None:
                size = path.stat().st_size
                progress(label, size, size)
            return known

        def report(sent: int, total: int) -> None:
            if progress is not None:
                progress(label, sent, total)

        uploaded = self.provider.upload(path, progress=report, cancel=cancel)
        self.ledger.record_upload(key, uploaded.id)
        return uploaded.id

    def launch(
        self,
        spec: JobSpec,
        training: str | Path,
        validation: str | Path | None = None,
        *,
        progress: UploadProgress | None = None,
        cancel: CancelToken | None = None,
    ) -> Job:
        """Upload what is needed and create the job, once.

        Raises:
            UnknownOutcomeError: The job may or may not exist and the lookup could not tell;
                the intent stays open and `resume_open` settles it later.
            UserError: Anything else that stopped the launch, in words the user can act on.
        """
        training_id = self.upload_once(training, progress=progress, cancel=cancel)
        validation_id = None
        if validation is not None:
            validation_id = self.upload_once(
                validation, label="validation", progress=progress, cancel=cancel
            )
        if cancel is not None:
            cancel.check("The launch")
        intent = LaunchIntent(
            id=uuid.uuid4().hex,
            profile_id=self.provider.profile.id,
            spec=spec,
            training_file=training_id,
            validation_file=validation_id,
            created_at=time.time(),
        )
        # Launching again after an unsettled attempt continues that attempt: a second intent
        # would let both end up with a job.
        for earlier in self.ledger.open_intents():
            if _same_request(earlier, intent):
                return self.settle(earlier)
        self.ledger.record_intent(intent)
        # Nothing can exist for a brand-new intent yet, so no lookup comes first.
        job = self._create(intent)
        self.ledger.record_job(intent.id, job.id)
        return job

    def resume_open(self) -> list[Job]:
        """Settle this profile's intents that never got a job (after a crash, say)."""
        return [
            self.settle(intent)
            for intent in self.ledger.open_intents()
            if intent.profile_id == self.provider.profile.id
        ]

    def settle(self, intent: LaunchIntent) -> Job:
        """The intent's job: found if it exists, else created; recorded either way."""
        job = self.find(intent)
        if job is None:
            job = self._create(intent)
        self.ledger.record_job(intent.id, job.id)
        return job

    def find(self, intent: LaunchIntent) -> Job | None:
        """The job the provider holds for this intent, if any."""
        tag = {INTENT_TAG: intent.id}
        for job in self.provider.list_jobs(limit=_LOOKUP_SCAN, metadata=tag):
            if _belongs(job, intent):
                return job
        return None

    def _create(self, intent: LaunchIntent) -> Job:
        import openai

        attempts = self.provider.profile.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                return self.provider.create_job(
                    intent.spec,
                    intent.training_file,
                    intent.validation_file,
                    extra_metadata={INTENT_TAG: intent.id},
                    retry=False,
                )
            except UnknownOutcomeError as exc:
                log.info("job creation for intent %s ended without an answer", intent.id)
                found = self._find_after_failure(intent, exc)
                if found is not None:
                    return found
                if last:
                    raise UnknownOutcomeError(
                        f"{exc} No job was found for this launch, so none was started. "
                        "Launching again continues this launch; it never starts a second job."
                    ) from exc.__cause__
                # A request that timed out may still be running on the service: wait as long
                # again before looking, or a second create could overtake it.
                wait = _backoff(attempt)
                if isinstance(exc.__cause__, openai.APITimeoutError):
                    wait = max(wait, self.provider.profile.timeout_seconds)
                self._sleep(wait)
                found = self._find_after_failure(intent, exc)
                if found is not None:
                    return found
            except UserError as exc:
                delay = _retry_delay(exc.__cause__, attempt)
                if delay is None or last:
                    raise
                self._sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _find_after_failure(self, intent: LaunchIntent, failure: UserError) -> Job | None:
        try:
            return self.find(intent)
        except UserError as exc:
            raise UnknownOutcomeError(
                f"{failure} TuneDeck could not check whether the job was created "
                f"({exc}). It will look again before launching anything else for this "
                "dataset, so nothing is started twice."
            ) from failure


def _same_request(a: LaunchIntent, b: LaunchIntent) -> bool:
    return (a.profile_id, a.spec, a.training_file, a.validation_file) == (
        b.profile_id,
        b.spec,
        b.training_file,
        b.validation_file,
    )


def _belongs(job: Job, intent: LaunchIntent) -> bool:
    tags = dict(job.metadata)
    if INTENT_TAG in tags:
        return tags[INTENT_TAG] == intent.id
    if tags:
        return False
    # A service that drops metadata: match on what the intent asked for instead.
    return (
        job.training_file == intent.training_file
        and job.validation_file == intent.validation_file
        and job.created_at.timestamp() >= intent.created_at - _CLOCK_SLACK_SECONDS
        and (job.base_model == intent.spec.base_model or intent.spec.base_model in job.base_model)
    )


def _backoff(attempt: int) -> float:
    return min(0.5 * 2**attempt, 8.0)


def _retry_delay(cause: BaseException | None, attempt: int) -> float | None:
    """How long to wait before resending after a refusal that created nothing; None = don't."""
    import openai

    if not isinstance(cause, openai.APIStatusError):
        return None
    if cause.status_code not in (408, 409, 429):
        return None
    if getattr(cause, "code", None) in QUOTA_CODES:
        return None
    headers = cause.response.headers
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            seconds = float(headers.get(name, "")) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds) and 0 <= seconds <= _MAX_RETRY_AFTER:
            return seconds
    return _backoff(attempt)
