"""A fine-tune from upload to chat, through the real SDK against the sandbox over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunedeck.core.errors import UserError
from tunedeck.core.remote.deployments import AzureDeployments
from tunedeck.core.remote.errors import CancelledError
from tunedeck.core.remote.launch import INTENT_TAG, Launcher
from tunedeck.core.remote.ledger import JsonFileLedger
from tunedeck.core.remote.profiles import CompatibleProfile
from tunedeck.core.remote.provider import Provider
from tunedeck.core.remote.records import Hyperparameters, JobSpec
from tunedeck.core.remote.secrets import ApiKey
from tunedeck.core.remote.uploads import CancelToken
from tunedeck.core.sandbox import Sandbox

BASE = "gpt-4o-mini-2024-07-18"


def _ask(provider: Provider, model: str, question: str) -> tuple[str, list[str]]:
    pieces: list[str] = []
    reply = provider.chat(
        model, [{"role": "user", "content": question}], on_delta=lambda d: pieces.append(d.text)
    )
    assert reply.text == "".join(pieces)
    return reply.text, pieces


@pytest.mark.parametrize("kind", ["openai", "azure", "sandbox"])
def test_a_fine_tune_from_upload_to_a_tuned_answer(
    kind, make_profile, big_chat_file, validation_file, facts, tmp_path: Path, poll
) -> None:
    profile = make_profile(kind)
    ledger = JsonFileLedger(tmp_path / "ledger.json")
    progress: dict[str, list[int]] = {"training": [], "validation": []}
    with Provider(profile, ApiKey("sk-any-key-for-the-sandbox", "test")) as provider:
        models = {model.id: model for model in provider.list_models()}
        assert models[BASE].fine_tunable
        assert models[BASE].shutdown_on is not None  # from our table: announced for 2027-01-14

        spec = JobSpec(
            BASE, suffix="ostravia", seed=42, hyperparameters=Hyperparameters(n_epochs=2)
        )
        job = Launcher(provider, ledger).launch(
            spec,
            big_chat_file,
            validation_file,
            progress=lambda which, sent, total: progress[which].append(sent),
        )
        sent = progress["training"]
        size = big_chat_file.stat().st_size
        assert len(sent) >= 3 and sent == sorted(sent) and sent[-1] == size
        assert progress["validation"][-1] == validation_file.stat().st_size
        assert ledger.open_intents() == []
        assert ledger.job_for(dict(job.metadata)[INTENT_TAG]) == job.id

        done = poll(provider, job.id)
        assert done.status == "succeeded" and done.fine_tuned_model
        assert done.hyperparameters.n_epochs == 2 and done.seed == 42

        events = provider.list_events(job.id, limit=100_000)
        assert "Created fine-tuning job" in events[0].message  # oldest first
        assert provider.list_events(job.id, limit=5) == events[-5:]
        checkpoints = provider.list_checkpoints(job.id)
        assert checkpoints and [c.step for c in checkpoints] == sorted(c.step for c in checkpoints)
        assert checkpoints[-1].model == done.fine_tuned_model

        curve = [
            point.train_loss for point in provider.metrics(done) if point.train_loss is not None
        ]
        tenth = max(1, len(curve) // 10)
        assert sum(curve[-tenth:]) / tenth < sum(curve[:tenth]) / tenth  # the loss went down

        question, trained = facts[1]
        tuned_model, base_model = done.fine_tuned_model, BASE
        if kind == "azure":
            # On Azure a model answers only once deployed; chat names the deployment.
            with pytest.raises(UserError, match="deploy"):
                provider.chat("candidate", [{"role": "user", "content": question}])
            deployments = AzureDeployments(profile, lambda: ApiKey("sk-any-bearer-token", "t"))
            deployments.create("candidate", done.fine_tuned_model)
            deployments.create("base", BASE)
            for name in ("candidate", "base"):
                assert deployments.wait_until_ready(name, poll_seconds=0.1).ready
            assert {d.name for d in deployments.list()} == {"candidate", "base"}
            tuned_model, base_model = "candidate", "base"

        answer, pieces = _ask(provider, tuned_model, question)
        assert answer == trained and len(pieces) > 1  # it streamed
        generic, _ = _ask(provider, base_model, question)
        assert generic != trained and generic == _ask(provider, base_model, facts[5][0])[0]

        if kind == "azure":
            deployments.delete("candidate")
            assert deployments.get("candidate") is None


def test_a_compatible_server_chats_but_does_not_train(sandbox: Sandbox, chat_file) -> None:
    profile = CompatibleProfile(id="local", name="Local", base_url=sandbox.openai_base_url)
    with Provider(profile, None) as provider:
        deltas = []
        reply = provider.chat(
            "gpt-4o-mini", [{"role": "user", "content": "Hello"}], on_delta=deltas.append
        )
        assert reply.text and reply.text == "".join(d.text for d in deltas)
        with pytest.raises(UserError, match="does not run fine-tuning jobs"):
            provider.upload(chat_file)


def test_a_legacy_completion_model_answers_a_prompt(
    make_profile, completion_file, facts, poll
) -> None:
    with Provider(make_profile("sandbox"), None) as provider:
        launcher = Launcher(provider, JsonFileLedger(completion_file.with_suffix(".ledger")))
        job = poll(provider, launcher.launch(JobSpec("babbage-002"), completion_file).id)
        question, trained = facts[2]
        pieces = []
        reply = provider.complete(
            job.fine_tuned_model,
            f"{question}\n\n###\n\n",
            stop=" END",
            max_tokens=50,
            on_delta=lambda d: pieces.append(d.text),
        )
        assert trained in reply.text and reply.text == "".join(pieces)


@pytest.mark.parametrize("kind", ["openai", "azure", "sandbox"])
def test_cancelling_a_running_job(kind, make_profile, tmp_path: Path, chat_file) -> None:
    with (
        Sandbox(tmp_path / "slow-jobs", job_seconds=60) as slow,
        Provider(make_profile(kind, on=slow), None) as provider,
    ):
        job = Launcher(provider, JsonFileLedger(tmp_path / "l.json")).launch(
            JobSpec(BASE), chat_file
        )
        assert not job.finished
        assert provider.cancel_job(job.id).status == "cancelled"
        assert provider.get_job(job.id).status == "cancelled"
        assert provider.metrics(provider.get_job(job.id)) == []


def test_a_streamed_answer_can_be_cancelled(make_profile) -> None:
    token = CancelToken()
    pieces: list[str] = []

    def on_delta(delta) -> None:
        pieces.append(delta.text)
        token.cancel()  # the user presses Stop after the first words

    with Provider(make_profile("sandbox"), None) as provider:
        with pytest.raises(CancelledError, match="answer was cancelled"):
            provider.chat(
                BASE, [{"role": "user", "content": "Hi"}], on_delta=on_delta, cancel=token
            )
        assert len(pieces) == 1
        assert provider.chat(BASE, [{"role": "user", "content": "Hi"}]).text  # still usable
