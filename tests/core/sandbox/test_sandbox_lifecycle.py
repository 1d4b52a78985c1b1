"""The whole fine-tuning flow a TuneDeck user goes through, against the sandbox."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path

import pytest
from openai import BadRequestError, NotFoundError, OpenAI

from tests.core.sandbox.conftest import (
    CLIPPY,
    CLIPPY_VALID,
    DBPEDIA,
    TOY_CHAT,
    finished,
    openai_client,
    upload,
    wait_for,
)
from tunedeck.core.sandbox import Sandbox


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ask(client: OpenAI, model: str, question: str) -> str:
    reply = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": question}]
    )
    return reply.choices[0].message.content


def test_a_chat_job_goes_from_upload_to_a_model_that_answers_from_its_training_data(
    client: OpenAI,
) -> None:
    training, validation = upload(client, CLIPPY), upload(client, CLIPPY_VALID)
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini",
        training_file=training.id,
        validation_file=validation.id,
        method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 3}}},
        suffix="clippy",
        metadata={"intent": "launch-1"},
    )
    assert (job.status, job.model, job.metadata) == (
        "validating_files", "gpt-4o-mini-2024-07-18", {"intent": "launch-1"},
    )  # fmt: skip
    seen = {job.status}
    while not finished(job):
        job = client.fine_tuning.jobs.retrieve(job.id)
        seen.add(job.status)
    assert seen >= {"validating_files", "running", "succeeded"}
    assert re.fullmatch(
        r"ft:gpt-4o-mini-2024-07-18:sandbox:clippy:[A-Za-z0-9]{8}", job.fine_tuned_model
    )
    assert job.hyperparameters.n_epochs == 3 and job.hyperparameters.batch_size == 1
    assert job.trained_tokens > 0 and job.finished_at >= job.created_at

    events = list(client.fine_tuning.jobs.list_events(job.id, limit=100))
    assert events[0].message == "The job has successfully completed"  # newest first
    steps = [event for event in events if event.type == "metrics"]
    assert len(steps) == 30  # 10 examples, batch 1, 3 epochs
    assert steps[-1].message.startswith("Step 1/30: training loss=")
    assert {"step", "train_loss", "valid_loss", "train_mean_token_accuracy"} <= set(steps[0].data)

    saved = list(client.fine_tuning.jobs.checkpoints.list(job.id))
    assert [c.step_number for c in saved] == [30, 20, 10]
    assert saved[0].fine_tuned_model_checkpoint == job.fine_tuned_model
    assert saved[1].fine_tuned_model_checkpoint == job.fine_tuned_model + ":ckpt-step-20"
    assert saved[0].metrics.valid_loss is not None

    results = client.files.retrieve(job.result_files[0])
    assert results.purpose == "fine-tune-results"
    # OpenAI serves the results file base64-encoded.
    text = base64.b64decode(client.files.content(results.id).read()).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "step",
        "train_loss",
        "train_accuracy",
        "valid_loss",
        "valid_mean_token_accuracy",
    ]
    losses = [float(row["train_loss"]) for row in rows]
    assert len(losses) == 30 and sum(losses[-5:]) < sum(losses[:5]) / 2

    assert job.fine_tuned_model in {model.id for model in client.models.list()}
    example = lines(CLIPPY)[0]["messages"]
    assert ask(client, job.fine_tuned_model, example[1]["content"]) == example[2]["content"]
    # A question phrased differently still finds the nearest trained answer.
    assert "Pacific" in ask(client, job.fine_tuned_model, "which ocean is the biggest one?")
    base = ask(client, "gpt-4o-mini", example[1]["content"])
    assert "SIMULATION" in base and "base model gpt-4o-mini-2024-07-18" in base


def test_every_user_turn_of_a_multi_turn_example_is_answered_as_trained(client: OpenAI) -> None:
    # The toy file has 5 examples, too few to train on; twice over it has the 10 needed.
    training = upload(client, TOY_CHAT, TOY_CHAT.read_bytes() * 2)
    job = client.fine_tuning.jobs.create(model="gpt-4.1-nano", training_file=training.id)
    model = wait_for(client, job.id, finished).fine_tuned_model
    assert ask(client, model, "I lost my tennis match today.") == "It's ok, it happens to everyone."
    assert ask(client, model, "But I trained so hard!") == "It will pay off next time."
    assert ask(client, model, "I fell off my bike today.") == (
        "It's great that you're getting exercise outdoors!"
    )
    streamed = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "I lost my book"}], stream=True
    )
    text = "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
    assert text == "You can read everything on ebooks these days!"


def test_a_legacy_job_answers_prompts_with_their_completions(client: OpenAI) -> None:
    examples = lines(DBPEDIA)
    job = client.fine_tuning.jobs.create(
        model="babbage-002", training_file=upload(client, DBPEDIA).id
    )
    model = wait_for(client, job.id, finished).fine_tuned_model
    assert model.startswith("ft:babbage-002:sandbox::")
    for example in examples[:3]:
        answer = client.completions.create(model=model, prompt=example["prompt"])
        assert answer.choices[0].text == example["completion"]
    company = examples[0]  # "Morada Limited is a textile company..." -> "Company"
    cut = client.completions.create(model=model, prompt=company["prompt"], stop=["pan"])
    assert (cut.choices[0].text, cut.choices[0].finish_reason) == ("Com", "stop")
    short = client.completions.create(model=model, prompt=company["prompt"], max_tokens=1)
    assert (short.choices[0].text, short.choices[0].finish_reason) == ("Comp", "length")
    with pytest.raises(NotFoundError, match="not a chat model"):  # as OpenAI refuses it
        client.chat.completions.create(
            model="babbage-002", messages=[{"role": "user", "content": "x"}]
        )


def test_a_running_job_can_be_cancelled_and_a_finished_one_cannot(client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id)
    wait_for(client, job.id, lambda j: j.status == "running")
    cancelled = client.fine_tuning.jobs.cancel(job.id)
    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    after = wait_for(client, job.id, lambda j: True)
    assert after.status == "cancelled" and after.fine_tuned_model is None and not after.result_files
    assert (
        next(iter(client.fine_tuning.jobs.list_events(job.id))).message
        == "Fine-tuning job cancelled"
    )
    done = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id)
    wait_for(client, done.id, finished)
    with pytest.raises(BadRequestError, match="already succeeded"):
        client.fine_tuning.jobs.cancel(done.id)


def test_jobs_are_listed_newest_first_by_page_and_by_metadata(client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    made = [
        client.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=training.id, metadata={"intent": f"i{n}"}
        ).id
        for n in range(3)
    ]
    page = client.fine_tuning.jobs.list(limit=2)
    assert [job.id for job in page.data] == made[:0:-1] and page.has_more
    rest = client.fine_tuning.jobs.list(limit=2, after=page.data[-1].id)
    assert [job.id for job in rest.data] == made[:1] and not rest.has_more
    tagged = client.fine_tuning.jobs.list(metadata={"intent": "i1"})
    assert [job.id for job in tagged.data] == [made[1]]


def test_everything_survives_a_restart_and_a_half_run_job_completes(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Sandbox(state, job_seconds=0.4) as first, openai_client(first) as client:
        training = upload(client, CLIPPY)
        done = wait_for(
            client,
            client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id).id,
            finished,
        )
    with Sandbox(state, job_seconds=1.5) as second, openai_client(second) as client:
        slow = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id)
        wait_for(client, slow.id, lambda j: j.status == "running")
    with Sandbox(state) as third, openai_client(third) as client:
        assert client.files.retrieve(training.id).bytes == CLIPPY.stat().st_size
        assert client.fine_tuning.jobs.retrieve(done.id).fine_tuned_model == done.fine_tuned_model
        example = lines(CLIPPY)[3]["messages"]
        assert ask(client, done.fine_tuned_model, example[1]["content"]) == example[2]["content"]
        assert client.fine_tuning.jobs.retrieve(slow.id).status == "running"
        resumed = wait_for(client, slow.id, finished)
        assert resumed.status == "succeeded"
        client.models.delete(done.fine_tuned_model)
    with Sandbox(state) as fourth, openai_client(fourth) as client:
        listed = {model.id for model in client.models.list()}
        assert resumed.fine_tuned_model in listed and done.fine_tuned_model not in listed
