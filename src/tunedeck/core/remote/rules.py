"""What each provider demands and charges, as data the launch panel can show and check.

`rules_for` lists the provider's rules with their sources; `check_export` tests an
exported file against them and returns plain findings, so a launch that is bound to be
refused (a file without the byte-order mark Azure wants, too few examples, OpenAI's
closed door) is stopped before anything is uploaded.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tunedeck.core.remote.profiles import AzureProfile, OpenAIProfile, Profile

OPENAI_DEPRECATIONS = "https://developers.openai.com/api/docs/deprecations"
OPENAI_GUIDE = "https://developers.openai.com/api/docs/guides/supervised-fine-tuning"
AZURE_DATA = "https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tuning"
AZURE_DEPLOY = "https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tuning-deploy"
AZURE_TEST = "https://learn.microsoft.com/azure/ai-services/openai/how-to/fine-tune-test"

# OpenAI's wind-down of self-serve fine-tuning, announced 2026-05-07 (OPENAI_DEPRECATIONS):
# organizations that never fine-tuned lost job creation that day, those without inference
# on a fine-tuned model in the past 60 days on 2026-07-02, everyone on 2027-01-06.
OPENAI_JOB_CUTOFF = date(2027, 1, 6)
OPENAI_CUTOFF_NEVER_USED = date(2026, 5, 7)
OPENAI_CUTOFF_INACTIVE = date(2026, 7, 2)
MIN_EXAMPLES = 10
AZURE_MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ProviderRule:
    """One thing a provider requires or charges for, with where it is written down."""

    code: str
    title: str
    detail: str
    source: str


@dataclass(frozen=True)
class Finding:
    """The outcome of checking an export against one rule.

    `severity` is "error" (the provider will refuse it), "warning" (it will cost or fail
    later) or "info".
    """

    severity: str
    code: str
    message: str


_OPENAI_RULES = (
    ProviderRule(
        "openai-job-cutoff",
        "New fine-tuning jobs end on 2027-01-06",
        "OpenAI accepts no new fine-tuning jobs from 2027-01-06. Organizations that never "
        "ran fine-tuning lost access on 2026-05-07, and those with no inference on a "
        "fine-tuned model in the previous 60 days on 2026-07-02. Fine-tuned models keep "
        "answering until their base model shuts down.",
        OPENAI_DEPRECATIONS,
    ),
    ProviderRule(
        "min-examples",
        f"At least {MIN_EXAMPLES} training examples",
        f"A training file needs at least {MIN_EXAMPLES} examples.",
        OPENAI_GUIDE,
    ),
)

_AZURE_RULES = (
    ProviderRule(
        "azure-utf8-bom",
        "UTF-8 with a byte-order mark",
        "Training and validation files must be JSONL encoded as UTF-8 with a byte-order mark.",
        AZURE_DATA,
    ),
    ProviderRule(
        "min-examples",
        f"At least {MIN_EXAMPLES} training examples",
        f"A training file needs at least {MIN_EXAMPLES} examples.",
        AZURE_DATA,
    ),
    ProviderRule(
        "azure-max-size",
        "Files under 512 MB",
        "Each training or validation file must be smaller than 512 MB.",
        AZURE_DATA,
    ),
    ProviderRule(
        "azure-deploy-to-chat",
        "Deploy before chatting",
        "A fine-tuned model answers only once it is deployed; chat calls name the deployment.",
        AZURE_DEPLOY,
    ),
    ProviderRule(
        "azure-hosting-fee",
        "Hourly hosting fee while deployed",
        "A deployed fine-tuned model is billed per hour whether or not it is used; delete "
        "the deployment when you are done testing.",
        AZURE_DEPLOY,
    ),
    ProviderRule(
        "azure-developer-24h",
        "Test deployments last 24 hours",
        "A Developer (test) deployment has no hourly fee but is removed after 24 hours.",
        AZURE_TEST,
    ),
    ProviderRule(
        "azure-idle-15-days",
        "Idle deployments are deleted after 15 days",
        "A fine-tuned deployment with no calls for 15 days is deleted; the model itself "
        "stays and can be deployed again.",
        AZURE_DEPLOY,
    ),
)


def rules_for(profile: Profile) -> tuple[ProviderRule, ...]:
    """The provider's rules; a compatible server or the sandbox has none of its own."""
    if isinstance(profile, OpenAIProfile):
        return _OPENAI_RULES
    if isinstance(profile, AzureProfile):
        return _AZURE_RULES
    return ()


def check_export(
    profile: Profile, path: str | Path, example_count: int, *, today: date | None = None
) -> list[Finding]:
    """Check an exported training file against the profile's rules.

    Args:
        profile: Where it is going.
        path: The exported JSONL file.
        example_count: How many examples it holds.
        today: The date to judge deadlines by (today by default).
    """
    today = today or date.today()
    path = Path(path)
    findings: list[Finding] = []
    if isinstance(profile, OpenAIProfile | AzureProfile) and example_count < MIN_EXAMPLES:
        findings.append(
            Finding(
                "error",
                "min-examples",
                f"The file has {example_count} examples; the provider needs at least "
                f"{MIN_EXAMPLES}. Add {MIN_EXAMPLES - example_count} more.",
            )
        )
    if isinstance(profile, OpenAIProfile):
        findings.append(_openai_cutoff(today))
    if isinstance(profile, AzureProfile):
        findings.extend(_azure_file(path))
        findings.append(
            Finding(
                "info",
                "azure-deploy-to-chat",
                "After training, deploy the model to chat with it; a deployment is billed "
                "per hour until deleted (test deployments: no fee, removed after 24 hours; "
                "idle deployments are deleted after 15 days).",
            )
        )
    return findings


def _openai_cutoff(today: date) -> Finding:
    if today >= OPENAI_JOB_CUTOFF:
        return Finding(
            "error",
            "openai-job-cutoff",
            "OpenAI stopped accepting new fine-tuning jobs on 2027-01-06. Use Azure OpenAI "
            "or another provider to train.",
        )
    days = (OPENAI_JOB_CUTOFF - today).days
    return Finding(
        "warning",
        "openai-job-cutoff",
        f"OpenAI accepts new fine-tuning jobs only until 2027-01-06 ({days} days left), and "
        "already refuses them for organizations that never fine-tuned or have not used a "
        "fine-tuned model in the last 60 days.",
    )


def _azure_file(path: Path) -> list[Finding]:
    findings = []
    size = path.stat().st_size
    if size >= AZURE_MAX_FILE_BYTES:
        findings.append(
            Finding(
                "error",
                "azure-max-size",
                f"The file is {size / 1024 / 1024:.0f} MB; Azure takes files under 512 MB. "
                "Split the dataset or remove examples.",
            )
        )
    with path.open("rb") as stream:
        has_bom = stream.read(3) == codecs.BOM_UTF8
        if not has_bom:
            findings.append(
                Finding(
                    "error",
                    "azure-utf8-bom",
                    "The file does not start with a UTF-8 byte-order mark, which Azure "
                    "requires. Write it as UTF-8 with BOM and launch again.",
                )
            )
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            findings.append(
                Finding(
                    "error",
                    "azure-utf8-bom",
                    f"The file is not valid UTF-8 ({exc.reason}); Azure will refuse it.",
                )
            )
    return findings
