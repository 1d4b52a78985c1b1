"""Fine-tuning providers over the official openai SDK: OpenAI, Azure OpenAI, compatible servers.

The UI's launch panel, jobs view and chat tab call this package; nothing here imports Qt,
and the SDK is imported only when a call is made, so the window opens fast.

    keys = KeyStore()
    with Provider.open(profile, keys) as provider:
        job = Launcher(provider, ledger).launch(JobSpec("gpt-4o-mini-2024-07-18"), "train.jsonl")
        reply = provider.chat(job.fine_tuned_model, [{"role": "user", "content": "Hi"}])

Modules: `profiles` (where), `secrets` (keys), `provider` (the calls), `launch` (idempotent
job creation), `ledger` (what was launched), `deployments` (Azure), `connection` (test
button), `catalog` (model facts), `rules` (provider rules), `cost` (estimates).
"""

from __future__ import annotations

from tunedeck.core.remote.errors import CancelledError, UnknownOutcomeError
from tunedeck.core.remote.launch import INTENT_TAG, Launcher
from tunedeck.core.remote.ledger import JobLedger, JsonFileLedger, LaunchIntent
from tunedeck.core.remote.profiles import (
    AzureProfile,
    CompatibleProfile,
    OpenAIProfile,
    Profile,
    ProfileStore,
    SandboxProfile,
    new_profile_id,
)
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import (
    ChatDelta,
    ChatReply,
    Checkpoint,
    Deployment,
    Hyperparameters,
    Job,
    JobError,
    JobEvent,
    JobSpec,
    MetricsPoint,
    ModelInfo,
    RemoteFile,
)
from tunedeck.core.remote.secrets import ApiKey, KeyStore
from tunedeck.core.remote.uploads import CancelToken

__all__ = [
    "INTENT_TAG",
    "ApiKey",
    "AzureProfile",
    "CancelToken",
    "CancelledError",
    "ChatDelta",
    "ChatReply",
    "Checkpoint",
    "CompatibleProfile",
    "Deployment",
    "Hyperparameters",
    "Job",
    "JobError",
    "JobEvent",
    "JobLedger",
    "JobSpec",
    "JsonFileLedger",
    "KeyStore",
    "LaunchIntent",
    "Launcher",
    "MetricsPoint",
    "ModelInfo",
    "OpenAIProfile",
    "Profile",
    "ProfileStore",
    "Provider",
    "RemoteFile",
    "SandboxProfile",
    "UnknownOutcomeError",
    "new_profile_id",
]
