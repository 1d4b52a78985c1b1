"""The dataset settings dialog: what it shows, what it returns, and what it refuses."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import open_session
from tunedeck.core.session import CurationSession
from tunedeck.ui.dialogs.dataset_settings import DatasetSettingsDialog

pytestmark = pytest.mark.gui

CLASS_RULES = {"class-token", "class-imbalance"}


@pytest.fixture
def open_dialog(qtbot):
    def make(session: CurationSession) -> DatasetSettingsDialog:
        dialog = DatasetSettingsDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


@pytest.fixture
def labelled_session(tmp_path):
    """Chat examples that keep their class beside the messages, as exported tickets often do."""
    source = tmp_path / "labelled.jsonl"
    lines = [
        {
            "messages": [
                {"role": "user", "content": f"Ticket {n}"},
                {"role": "assistant", "content": "Thanks, we are on it."},
            ],
            "label": ["billing", "technical"][n % 2],
            "meta": {"intent": "refund", "priority": n, "tags": ["a", "b"]},
            "tools": [],
            "parallel_tool_calls": False,  # part of the chat format, not a class
        }
        for n in range(12)
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    session = open_session(tmp_path / "labelled.tunedeck", sample=source, model=None)
    yield session
    session.project.close()


def test_it_opens_showing_the_stored_settings(open_dialog, sample_session):
    stored = replace(
        sample_session.info.settings,
        separator="\n\n###\n\n",
        stop="\n",
        token_limit=1000,
        classification=False,
        class_field="label",
        min_examples=50,
    )
    sample_session.apply_settings(stored)
    dialog = open_dialog(sample_session)
    assert dialog.model.currentText() == "davinci-002"
    assert dialog.separator.text() == "\\n\\n###\\n\\n"
    assert dialog.stop.text() == "\\n"
    assert dialog.token_limit.text() == "1,000 tokens"
    assert dialog.classification.currentText() == "Off"
    assert dialog.class_field.currentText() == "label"
    assert dialog.settings() == replace(stored, suppressed={})


def test_blank_fields_show_what_the_data_suggests(open_dialog, session):
    dialog = open_dialog(session)
    assert dialog.model.currentText() == "Infer from the data"
    assert dialog.model_hint.text() == "Inferred: davinci-002 (2,048-token limit)"
    assert dialog.separator.placeholderText() == "inferred: \\n\\n###\\n\\n"
    assert dialog.stop.placeholderText() == "inferred: \\n"
    assert dialog.token_limit.text() == "Model's limit (2,048)"
    assert dialog.classification_hint.text() == "Inferred: on"
    dialog.model.setCurrentText("gpt-4o")
    assert dialog.token_limit.text() == "Model's limit (65,536)"
    assert dialog.settings().model == "gpt-4o"


def test_inferred_values_stay_visible_when_settings_are_configured(open_dialog, sample_session):
    sample_session.apply_settings(replace(sample_session.info.settings, separator="@@"))
    dialog = open_dialog(sample_session)
    assert dialog.separator.placeholderText() == "inferred: \\n\\n###\\n\\n"
    dialog.model.setCurrentIndex(0)
    assert dialog.model_hint.text() == "Inferred: davinci-002 (2,048-token limit)"
    assert dialog.settings().model is None


def test_separator_is_typed_with_visible_escapes(qtbot, open_dialog, session):
    dialog = open_dialog(session)
    qtbot.keyClicks(dialog.separator, "\\n\\n###\\n\\n")
    assert dialog.settings().separator == "\n\n###\n\n"
    dialog.separator.clear()
    assert dialog.settings().separator is None


def test_a_broken_escape_disables_ok_and_says_why(qtbot, open_dialog, session):
    dialog = open_dialog(session)
    qtbot.keyClicks(dialog.stop, "END\\")
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("Stop sequence:")
    qtbot.keyClicks(dialog.stop, "\\")
    assert dialog.ok_button.isEnabled()
    assert dialog.settings().stop == "END\\"


def test_token_limit_zero_means_the_models_own(open_dialog, session):
    dialog = open_dialog(session)
    dialog.token_limit.setValue(4096)
    assert dialog.settings().token_limit == 4096
    dialog.token_limit.setValue(0)
    assert dialog.settings().token_limit is None


@pytest.mark.parametrize(
    ("choice", "value"), [("Infer from the data", None), ("On", True), ("Off", False)]
)
def test_classification_choices(open_dialog, sample_session, choice, value):
    sample_session.apply_settings(replace(sample_session.info.settings, classification=True))
    dialog = open_dialog(sample_session)
    dialog.classification.setCurrentText(choice)
    assert dialog.settings().classification is value


def test_class_fields_are_offered_from_the_data(open_dialog, labelled_session):
    dialog = open_dialog(labelled_session)
    offered = [dialog.class_field.itemText(i) for i in range(dialog.class_field.count())]
    assert offered == ["The answer itself", "label", "meta.intent", "meta.priority"]
    assert dialog.settings().class_field is None
    dialog.class_field.setCurrentText("meta.intent")
    assert dialog.settings().class_field == "meta.intent"
    assert dialog.classification_hint.text() == "On, because a class field is named"


def test_an_invalid_class_field_disables_ok_and_says_why(open_dialog, labelled_session):
    dialog = open_dialog(labelled_session)
    dialog.class_field.setEditText("meta..intent")
    assert not dialog.ok_button.isEnabled()
    assert "'meta..intent' is not a field path" in dialog.error_label.text()
    with pytest.raises(ValueError, match="not a field path"):
        dialog.settings()
    dialog.class_field.setEditText("meta.intent")
    assert dialog.ok_button.isEnabled()
    assert not dialog.error_label.isVisible()


def test_an_unknown_model_disables_ok_but_fine_tuned_ids_are_fine(open_dialog, session):
    dialog = open_dialog(session)
    dialog.model.setEditText("gpt-5-ultra")
    assert not dialog.ok_button.isEnabled()
    assert "'gpt-5-ultra' is not a model TuneDeck knows" in dialog.error_label.text()
    assert dialog.token_limit.text() == "Model's limit"
    dialog.model.setEditText("ft:gpt-4o-mini-2024-07-18:acme::abc123")
    assert dialog.ok_button.isEnabled()
    assert dialog.model_hint.text() == "65,536-token limit, o200k_base encoding"


def test_row_suppressions_are_not_carried(open_dialog, session):
    session.info.settings.suppressed[1] = {"pii"}
    assert open_dialog(session).settings().suppressed == {}


def test_every_field_has_a_label_with_a_shortcut(open_dialog, session):
    dialog = open_dialog(session)
    fields = [
        dialog.model,
        dialog.separator,
        dialog.stop,
        dialog.token_limit,
        dialog.classification,
        dialog.class_field,
    ]
    buddies = {label.buddy(): label.text() for label in dialog.findChildren(QLabel)}
    assert all("&" in buddies.get(field, "") for field in fields)
    mnemonics = [buddies[field].split("&")[1][0].lower() for field in fields]
    assert len(set(mnemonics)) == len(fields)


def test_switching_classification_off_drops_the_class_findings(qtbot, open_dialog, sample_session):
    found = {d.rule for d in sample_session.linter.diagnostics()}
    assert found >= CLASS_RULES
    dialog = open_dialog(sample_session)
    dialog.classification.setCurrentText("Off")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == DatasetSettingsDialog.DialogCode.Accepted
    sample_session.apply_settings(dialog.settings())
    sample_session.lint_all()
    after = {d.rule for d in sample_session.linter.diagnostics()}
    assert not CLASS_RULES & after
    assert after == found - CLASS_RULES - {"too-few-examples"}
    assert sample_session.info.settings.classification is False
