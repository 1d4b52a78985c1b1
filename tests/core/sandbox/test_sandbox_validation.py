"""Bad requests fail as the real service fails them: the same status, exception and param."""

from __future__ import annotations

from pathlib import Path

import pytest
from openai import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OpenAI,
    PermissionDeniedError,
)

from tests.core.sandbox.conftest import (
    CLIPPY,
    DBPEDIA,
    TOY_CHAT,
    azure_client,
    finished,
    openai_client,
    upload,
    wait_for,
)
from tunedeck.core.sandbox import Sandbox

GOOD = (
    '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}'
)


@pytest.mark.parametrize(
    ("third_line", "reason"),
    [
        ('{"messages": [{"role": "user", "content": "Hi"}', "Line 3 is not valid JSON"),
        ("[1, 2]", "Line 3 must be a JSON object"),
        ('{"messages": [{"role": "user", "content": "Hi"}]}', "Line 3 has no assistant message"),
        (
            '{"messages": [{"role": "robot", "content": "Hi"}]}',
            "Line 3, message 1 has role 'robot'",
        ),
        ('{"prompt": "Hi", "completion": "Hello"}', "Line 3 is in the prompt/completion format"),
        ('{"text": "Hi"}', 'Line 3 has neither "messages"'),
        ("", "Line 3 is empty"),
    ],
)
def test_a_malformed_training_file_is_refused_naming_the_line(
    client: OpenAI, third_line: str, reason: str
) -> None:
    content = f"{GOOD}\n{GOOD}\n{third_line}\n{GOOD}\n".encode()
    with pytest.raises(BadRequestError) as refused:
        upload(client, Path("data.jsonl"), content)
    assert reason in refused.value.message
    assert refused.value.param == "file"


def test_only_jsonl_files_are_taken_for_fine_tuning(client: OpenAI) -> None:
    with pytest.raises(BadRequestError, match=r"Must be \.jsonl"):
        upload(client, Path("data.csv"), f"{GOOD}\n".encode())


def test_too_few_examples_fail_the_job_while_validating_files(client: OpenAI) -> None:
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=upload(client, TOY_CHAT).id
    )
    failed = wait_for(client, job.id, finished)
    assert failed.status == "failed" and failed.fine_tuned_model is None
    assert (failed.error.code, failed.error.param) == ("invalid_training_file", "training_file")
    assert "has 5 example(s), but must have at least 10" in failed.error.message
    newest = next(iter(client.fine_tuning.jobs.list_events(job.id)))
    assert newest.level == "error" and newest.message == failed.error.message
    assert list(client.fine_tuning.jobs.checkpoints.list(job.id)) == []


@pytest.mark.parametrize("model", ["gpt-5-imaginary", "gpt-4-turbo-2024-04-09"])
def test_a_model_that_cannot_be_fine_tuned_is_refused(client: OpenAI, model: str) -> None:
    training = upload(client, CLIPPY)
    with pytest.raises(BadRequestError, match="not available for fine-tuning") as refused:
        client.fine_tuning.jobs.create(model=model, training_file=training.id)
    assert refused.value.param == "model"


@pytest.mark.parametrize(
    ("settings", "param", "code"),
    [
        ({"n_epochs": 0}, "n_epochs", "integer_below_min_value"),
        ({"n_epochs": 51}, "n_epochs", "integer_above_max_value"),
        ({"n_epochs": "three"}, "n_epochs", "invalid_type"),
        ({"batch_size": 0}, "batch_size", "integer_below_min_value"),
        ({"batch_size": 257}, "batch_size", "integer_above_max_value"),
        ({"learning_rate_multiplier": 0}, "learning_rate_multiplier", "decimal_below_min_value"),
        ({"learning_rate_multiplier": -1.5}, "learning_rate_multiplier", "decimal_below_min_value"),
        ({"warmup": 3}, "warmup", "unknown_parameter"),
    ],
)
@pytest.mark.parametrize("form", ["legacy", "method"])
def test_bad_hyperparameters_are_refused_in_either_form(
    client: OpenAI, settings: dict, param: str, code: str, form: str
) -> None:
    training = upload(client, CLIPPY)
    if form == "legacy":
        extra, prefix = {"hyperparameters": settings}, "hyperparameters"
    else:
        method = {"type": "supervised", "supervised": {"hyperparameters": settings}}
        extra, prefix = {"method": method}, "method.supervised.hyperparameters"
    with pytest.raises(BadRequestError) as refused:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=training.id, **extra)
    assert (refused.value.param, refused.value.code) == (f"{prefix}.{param}", code)


def test_in_range_hyperparameters_are_taken_as_given(client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    settings = {"n_epochs": 1, "batch_size": 2, "learning_rate_multiplier": 0.5}
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=training.id, hyperparameters=settings
    )
    done = wait_for(client, job.id, finished)
    assert done.hyperparameters.model_dump() == settings
    assert [c.step_number for c in client.fine_tuning.jobs.checkpoints.list(job.id)] == [5]


def test_a_long_suffix_and_missing_or_misused_files_are_refused(client: OpenAI) -> None:
    training = upload(client, CLIPPY)
    with pytest.raises(BadRequestError, match="string too long") as long_suffix:
        client.fine_tuning.jobs.create(
            model="gpt-4o-mini", training_file=training.id, suffix="s" * 65
        )
    assert long_suffix.value.param == "suffix"
    with pytest.raises(BadRequestError, match="invalid training_file: file-missing") as missing:
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-missing")
    assert missing.value.param == "training_file"
    batch = client.files.create(file=("batch.jsonl", b"{}\n"), purpose="batch")
    with pytest.raises(BadRequestError, match="purpose 'batch'"):
        client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file=batch.id)


@pytest.mark.parametrize(
    ("model", "sample"), [("babbage-002", CLIPPY), ("gpt-4o-mini", DBPEDIA)], ids=["chat", "legacy"]
)
def test_a_file_in_the_other_format_is_refused_for_the_model(
    client: OpenAI, model: str, sample: Path
) -> None:
    training = upload(client, sample)
    with pytest.raises(BadRequestError, match=f"{model}.* is trained on the") as refused:
        client.fine_tuning.jobs.create(model=model, training_file=training.id)
    assert refused.value.param == "training_file"


def test_unknown_objects_are_not_found(client: OpenAI) -> None:
    with pytest.raises(NotFoundError, match="Could not find fine-tuning job"):
        client.fine_tuning.jobs.retrieve("ftjob-nothing")
    with pytest.raises(NotFoundError, match="No such File object: file-nothing"):
        client.files.retrieve("file-nothing")
    with pytest.raises(NotFoundError) as no_model:
        client.chat.completions.create(
            model="ft:gpt-4o-mini:x::y", messages=[{"role": "user", "content": "?"}]
        )
    assert no_model.value.code == "model_not_found"
    with pytest.raises(PermissionDeniedError):
        client.models.delete("gpt-4o-mini-2024-07-18")


def test_a_deleted_model_stops_answering(client: OpenAI) -> None:
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=upload(client, CLIPPY).id
    )
    model = wait_for(client, job.id, finished).fine_tuned_model
    assert client.models.delete(model).deleted
    with pytest.raises(NotFoundError):
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "?"}])


def test_with_a_key_set_other_keys_are_refused_and_never_echoed(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "state", api_key="right-key") as sandbox:
        with (
            openai_client(sandbox, api_key="wrong-key") as wrong,
            pytest.raises(AuthenticationError) as refused,
        ):
            wrong.models.list()
        assert refused.value.code == "invalid_api_key"
        assert "wrong-key" not in str(refused.value) and "right-key" not in str(refused.value)
        with openai_client(sandbox, api_key="right-key") as right:
            assert right.models.list().data
        with azure_client(sandbox, api_key="right-key") as azure:  # sent as the api-key header
            assert azure.models.list().data


def test_azure_refuses_a_missing_or_unknown_api_version(sandbox: Sandbox) -> None:
    # Without api-version: Azure's bare 404.
    bare = OpenAI(base_url=sandbox.url + "/openai", api_key="k", max_retries=0)
    with bare, pytest.raises(NotFoundError, match="Resource not found"):
        bare.models.list()
    future = azure_client(sandbox, api_version="2099-01-01")
    with future, pytest.raises(BadRequestError, match="API version not supported"):
        future.models.list()


def test_a_training_file_with_a_byte_order_mark_trains_as_azure_requires(client: OpenAI) -> None:
    content = b"\xef\xbb\xbf" + "".join(f"{GOOD}\n" for _ in range(10)).encode()
    job = client.fine_tuning.jobs.create(
        model="gpt-4o-mini", training_file=upload(client, Path("azure.jsonl"), content).id
    )
    assert wait_for(client, job.id, finished).status == "succeeded"
