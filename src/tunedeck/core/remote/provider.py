"""One provider behind one profile: the calls the launch panel, jobs view and chat tab make.

Every call goes through the official SDK client, carries an explicit timeout, and turns
SDK exceptions into UserErrors that say what to do. What comes back is TuneDeck's own
records (see `records`), never SDK objects. The methods block; the UI runs them on a
worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tunedeck.core.errors import UserError
from tunedeck.core.remote import catalog, chat, clients, convert
from tunedeck.core.remote.errors import user_error
from tunedeck.core.remote.metrics import parse_metrics
from tunedeck.core.remote.profiles import AzureProfile, CompatibleProfile, Profile
from tunedeck.core.remote.records import (
    ChatDelta,
    ChatReply,
    Checkpoint,
    Job,
    JobEvent,
    JobSpec,
    MetricsPoint,
    ModelInfo,
    RemoteFile,
)
from tunedeck.core.remote.secrets import ApiKey, KeyStore
from tunedeck.core.remote.uploads import CancelToken, Progress, ProgressReader, upload_timeout

log = logging.getLogger(__name__)


class Provider:
    """The operations of one profile's service, over the official SDK.

    Args:
        profile: Where the service is and how patient to be with it.
        key: Its API key (None for a server that needs none).
    """

    def __init__(self, profile: Profile, key: ApiKey | None) -> None:
        self.profile = profile
        self._key = key
        self._client: Any = None
        self._where = clients.describe(profile)
        self._api_version = profile.api_version if isinstance(profile, AzureProfile) else None

    @classmethod
    def open(cls, profile: Profile, keys: KeyStore) -> Provider:
        """A provider for the profile, with its key from the keychain or the environment.

        Raises:
            UserError: The profile needs a key and none is set.
        """
        return cls(profile, keys.require(profile))

    def __repr__(self) -> str:
        return f"Provider({self.profile.kind}, {self.profile.name!r})"

    def __enter__(self) -> Provider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def _sdk(self) -> Any:
        """The SDK client, built on first use (importing openai takes a while)."""
        if self._client is None:
            self._client = clients.make_client(self.profile, self._key)
        return self._client

    def timeout(self, seconds: float | None = None) -> Any:
        """The explicit timeout passed to each call."""
        return clients.timeout_for(self.profile, seconds)

    @contextmanager
    def _calling(self, doing: str) -> Iterator[None]:
        """Turn SDK exceptions raised inside into UserErrors about `doing`."""
        import openai

        try:
            yield
        except openai.OpenAIError as exc:
            log.info("%s failed: %s", doing, type(exc).__name__)
            raise user_error(exc, doing, where=self._where, api_version=self._api_version) from exc

    def _require_fine_tuning(self) -> None:
        if isinstance(self.profile, CompatibleProfile):
            raise UserError(
                f"{self._where[0].upper()}{self._where[1:]} is an OpenAI-compatible chat "
                "server; it does not run fine-tuning jobs. Choose an OpenAI, Azure OpenAI or "
                "sandbox profile."
            )

    # --- models --------------------------------------------------------------------------

    def list_models(self) -> list[ModelInfo]:
        """The models the key can use, with fine-tunability and announced shutdowns."""
        with self._calling("list the models"):
            page = self._sdk.models.list(timeout=self.timeout())
            return sorted((catalog.model_info(m) for m in page), key=lambda m: m.id)

    # --- files ---------------------------------------------------------------------------

    def upload(
        self,
        path: str | Path,
        *,
        purpose: str = "fine-tune",
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> RemoteFile:
        """Upload a file, reporting progress; a cancelled token stops it (CancelledError).

        Raises:
            UserError: The file cannot be read, or the service refused it (with its reason).
        """
        self._require_fine_tuning()
        path = Path(path)
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        with stream:
            size = path.stat().st_size
            reader = ProgressReader(stream, size, progress, cancel)
            timeout = self.timeout(upload_timeout(self.profile.timeout_seconds, size))
            with self._calling(f"upload {path.name}"):
                raw = self._sdk.files.create(
                    file=(path.name, reader), purpose=purpose, timeout=timeout
                )
        log.info("uploaded %s as %s", path.name, raw.id)
        return convert.remote_file(raw)

    def list_files(self, *, purpose: str = "fine-tune") -> list[RemoteFile]:
        """The files the service holds for this purpose."""
        with self._calling("list the uploaded files"):
            page = self._sdk.files.list(purpose=purpose, timeout=self.timeout())
            return [convert.remote_file(raw) for raw in page]

    def get_file(self, file_id: str) -> RemoteFile | None:
        """A file the service holds, or None if it no longer has it."""
        import openai

        try:
            with self._calling("look up an uploaded file"):
                return convert.remote_file(
                    self._sdk.files.retrieve(file_id, timeout=self.timeout())
                )
        except UserError as exc:
            if isinstance(exc.__cause__, openai.NotFoundError):
                return None
            raise

    def download(self, file_id: str) -> bytes:
        """The content of a file the service holds (a job's result file, say)."""
        with self._calling("download the job's result file"):
            return self._sdk.files.content(file_id, timeout=self.timeout()).content

    # --- jobs ----------------------------------------------------------------------------

    def create_job(
        self,
        spec: JobSpec,
        training_file: str,
        validation_file: str | None = None,
        *,
        extra_metadata: Mapping[str, str] | None = None,
        retry: bool = True,
    ) -> Job:
        """Send one create request for a supervised fine-tuning job.

        Prefer `launch.Launcher`, which makes the creation idempotent; this is its tool.

        Args:
            retry: Let the SDK retry; False when the caller handles unknown outcomes.
        """
        self._require_fine_tuning()
        options = convert.job_create_params(
            spec,
            training_file,
            validation_file,
            extra_metadata,
            top_level_hyperparameters=isinstance(self.profile, AzureProfile),
        )
        client = self._sdk if retry else self._sdk.with_options(max_retries=0)
        with self._calling("create the fine-tuning job"):
            raw = client.fine_tuning.jobs.create(**options, timeout=self.timeout())
        return convert.job(raw)

    def get_job(self, job_id: str) -> Job:
        """A job's current state."""
        with self._calling("read the job's status"):
            return convert.job(self._sdk.fine_tuning.jobs.retrieve(job_id, timeout=self.timeout()))

    def list_jobs(self, *, limit: int = 20, metadata: Mapping[str, str] | None = None) -> list[Job]:
        """The newest jobs, newest first; `metadata` asks the service to filter by it."""
        options: dict[str, Any] = {"limit": min(limit, 100), "timeout": self.timeout()}
        if metadata:
            options["metadata"] = dict(metadata)
        jobs = []
        with self._calling("list the fine-tuning jobs"):
            for raw in self._sdk.fine_tuning.jobs.list(**options):
                jobs.append(convert.job(raw))
                if len(jobs) >= limit:
                    break
        return jobs

    def list_events(self, job_id: str, *, limit: int = 100) -> list[JobEvent]:
        """The job's latest `limit` events, oldest first (as a log reads)."""
        events = []
        with self._calling("read the job's events"):
            pages = self._sdk.fine_tuning.jobs.list_events(
                job_id, limit=min(limit, 100), timeout=self.timeout()
            )
            for raw in pages:  # follows the pages, newest first
                events.append(convert.event(raw))
                if len(events) >= limit:
                    break
        # The service lists newest first; timestamps are whole seconds, so many tie and
        # sorting by them would scramble the order. Reversing keeps it.
        events.reverse()
        return events

    def list_checkpoints(self, job_id: str) -> list[Checkpoint]:
        """The job's saved checkpoints, in step order."""
        with self._calling("read the job's checkpoints"):
            page = self._sdk.fine_tuning.jobs.checkpoints.list(job_id, timeout=self.timeout())
            checkpoints = [convert.checkpoint(raw) for raw in page]
        return sorted(checkpoints, key=lambda checkpoint: checkpoint.step)

    def cancel_job(self, job_id: str) -> Job:
        """Ask the service to stop a job; returns its state after the request."""
        with self._calling("cancel the job"):
            return convert.job(self._sdk.fine_tuning.jobs.cancel(job_id, timeout=self.timeout()))

    def metrics(self, job: Job) -> list[MetricsPoint]:
        """The training curve from a finished job's result file (empty if it has none)."""
        if not job.result_files:
            return []
        return parse_metrics(self.download(job.result_files[0]))

    # --- asking models -------------------------------------------------------------------

    def chat(
        self,
        model: str,
        messages: Iterable[Mapping[str, str]],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        on_delta: Callable[[ChatDelta], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> ChatReply:
        """Ask a chat model (on Azure: a deployment name), streaming the answer to on_delta."""
        with self._calling(f"get an answer from {model}"):
            return chat.stream_chat(
                self._sdk,
                model,
                messages,
                timeout=self.timeout(),
                temperature=temperature,
                max_tokens=max_tokens,
                # Some compatible servers reject stream_options; usage is a nicety.
                include_usage=not isinstance(self.profile, CompatibleProfile),
                on_delta=on_delta,
                cancel=cancel,
            )

    def complete(
        self,
        model: str,
        prompt: str,
        *,
        stop: str | list[str] | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_delta: Callable[[ChatDelta], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> ChatReply:
        """Continue a prompt with a legacy completion model (davinci-002, babbage-002, …)."""
        with self._calling(f"get a completion from {model}"):
            return chat.stream_completion(
                self._sdk,
                model,
                prompt,
                timeout=self.timeout(),
                stop=stop,
                max_tokens=max_tokens,
                temperature=temperature,
                on_delta=on_delta,
                cancel=cancel,
            )
