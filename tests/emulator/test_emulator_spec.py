"""The request validator and the form decoding, without a server."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import UploadedFile, load_spec, validate
from emulator.formatting import EntityParseError, parse_text
from emulator.spec import decode_params

KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}, {"text": "No", "callback_data": "no"}]]}


def send(**extra: Any) -> dict[str, Any]:
    return {"chat_id": 42, "text": "hello", **extra}


def test_spec_loads_from_package_copy() -> None:
    spec = load_spec()
    assert spec.version.startswith("Bot API")
    assert "sendMessage" in spec.methods and "InlineKeyboardMarkup" in spec.types


def test_valid_send_message_with_inline_keyboard() -> None:
    assert validate("sendMessage", send(reply_markup=KEYBOARD)) == []


@pytest.mark.parametrize(
    "markup",
    [
        {"keyboard": [[{"text": "5 km"}, {"text": "10 km"}]], "resize_keyboard": True},
        {"remove_keyboard": True},
        {"force_reply": True, "input_field_placeholder": "How far?"},
    ],
)
def test_other_markup_types_are_accepted(markup: dict[str, Any]) -> None:
    assert validate("sendMessage", send(reply_markup=markup)) == []


def test_method_names_are_case_insensitive() -> None:
    assert validate("sendmessage", send()) == []
    assert validate("SENDMESSAGE", send()) == []


def test_unknown_method() -> None:
    assert validate("sendTelepathy", {}) == ["unknown method 'sendTelepathy'"]


def test_unknown_parameter() -> None:
    problems = validate("sendMessage", send(colour="red"))
    assert problems == ["unknown parameter 'colour' for method sendMessage"]


def test_missing_required_parameter() -> None:
    assert validate("sendMessage", {"chat_id": 42}) == ["missing required parameter 'text' for method sendMessage"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (send(chat_id=True), "chat_id: expected Integer or String, got a Boolean"),
        (send(chat_id=4.5), "chat_id: expected Integer or String, got a Float"),
        (send(text=5), "text: expected String, got an Integer"),
        (send(disable_notification="yes"), "disable_notification: expected Boolean, got a String"),
        (send(entities={"type": "bold"}), "entities: expected Array of MessageEntity"),
    ],
)
def test_wrong_types(params: dict[str, Any], fragment: str) -> None:
    problems = validate("sendMessage", params)
    assert any(fragment in p for p in problems), problems


def test_chat_id_union_accepts_username() -> None:
    assert validate("sendMessage", send(chat_id="@runback_channel")) == []


def test_text_length_limits() -> None:
    assert validate("sendMessage", send(text="x" * 4096)) == []
    assert any("message is too long" in p for p in validate("sendMessage", send(text="x" * 4097)))
    assert validate("sendMessage", send(text="")) == ["message text is empty"]


def test_text_length_is_counted_after_entity_parsing() -> None:
    assert validate("sendMessage", send(text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")) == []


def test_callback_data_byte_limit() -> None:
    ok = {"inline_keyboard": [[{"text": "a", "callback_data": "é" * 32}]]}  # 64 bytes
    assert validate("sendMessage", send(reply_markup=ok)) == []
    too_long = {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}
    problems = validate("sendMessage", send(reply_markup=too_long))
    assert len(problems) == 1 and "BUTTON_DATA_INVALID" in problems[0], problems
    assert "callback_data must be 1-64 bytes, got 65" in problems[0]


@pytest.mark.parametrize(
    "markup",
    [
        {"inline_keyboard": [{"text": "a", "callback_data": "a"}]},  # not an array of arrays
        {"inline_keyboard": [[{"callback_data": "a"}]]},  # button without text
        {"inline_keyboard": [[{"text": "a", "callback_date": "a"}]]},  # typo
        {"inline_keyboard": [[{"text": "a"}]]},  # button without an action
        {"inline_keyboard": [[{"text": "a", "callback_data": 7}]]},  # wrong nested type
        {"keyboard": [["plain strings"]]},  # KeyboardButton objects expected
        {"buttons": []},  # no markup type at all
        [[{"text": "a", "callback_data": "a"}]],  # an array, not an object
        "yes",
    ],
)
def test_malformed_reply_markup(markup: Any) -> None:
    problems = validate("sendMessage", send(reply_markup=markup))
    assert problems, markup
    assert all(p.startswith(("reply_markup", "can't parse inline keyboard button")) for p in problems), problems


def test_nested_objects_are_checked_recursively() -> None:
    problems = validate("sendMessage", send(reply_parameters={"message_id": "7"}))
    assert problems == ["reply_parameters.message_id: expected Integer, got a String"]
    entities = [{"type": "bold", "offset": 0, "length": 2, "user": {"id": 1}}]
    problems = validate("sendMessage", send(entities=entities))
    assert any("entities[0].user: missing required field 'is_bot' of User" in p for p in problems), problems


def test_bot_commands_and_scopes() -> None:
    commands = [{"command": "start", "description": "Begin"}, {"command": "plan", "description": "Plan"}]
    assert validate("setMyCommands", {"commands": commands}) == []
    assert validate("setMyCommands", {"commands": commands, "scope": {"type": "chat", "chat_id": 42}}) == []
    problems = validate("setMyCommands", {"commands": commands, "scope": {"type": "chat"}})
    assert problems == ["scope: missing required field 'chat_id' of BotCommandScopeChat"]
    problems = validate("setMyCommands", {"commands": commands, "scope": {"type": "everyone"}})
    assert problems and "unknown BotCommandScope type 'everyone'" in problems[0]
    problems = validate("setMyCommands", {"commands": [{"command": "Start", "description": "x"}]})
    assert problems and "BOT_COMMAND_INVALID" in problems[0]


def test_input_file_parameters() -> None:
    upload = UploadedFile("document", "plan.csv", b"week,km\n1,10\n", "text/csv")
    assert validate("sendDocument", {"chat_id": 42, "document": upload}) == []
    assert validate("sendDocument", {"chat_id": 42, "document": "EMUDOC000001-123456"}) == []
    problems = validate("sendDocument", {"chat_id": 42, "document": 12})
    assert problems == ["document: expected InputFile or String, got an Integer"]
    problems = validate("setWebhook", {"url": "https://x", "certificate": "not a file"})
    assert problems == ["certificate: expected InputFile, got a String"]


def test_parse_mode_errors_are_reported() -> None:
    assert validate("sendMessage", send(text="a <b>bold", parse_mode="HTML")) == [
        "can't parse entities: can't find end tag corresponding to start tag \"b\" (in text)"
    ]
    assert validate("sendMessage", send(text="3 < 5", parse_mode="HTML"))
    assert validate("sendMessage", send(text="Done.", parse_mode="MarkdownV2"))
    assert validate("sendMessage", send(text="Done\\.", parse_mode="MarkdownV2")) == []
    assert validate("sendMessage", send(parse_mode="Textile")) == ["unsupported parse_mode 'Textile'"]


def test_edit_needs_a_target() -> None:
    assert validate("editMessageText", {"chat_id": 1, "message_id": 2, "text": "x"}) == []
    assert validate("editMessageText", {"text": "x"}) == [
        "editMessageText needs chat_id and message_id, or inline_message_id"
    ]


def test_decode_form_values_using_the_spec() -> None:
    raw = {
        "chat_id": "42",
        "text": "42",
        "disable_notification": "true",
        "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "1"}]]}',
    }
    params = decode_params("sendMessage", raw)
    assert params["chat_id"] == 42
    assert params["text"] == "42"  # a String field stays a string even if it looks like JSON
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1"
    assert decode_params("sendMessage", {"chat_id": "@chan", "text": "true"}) == {
        "chat_id": "@chan",
        "text": "true",
    }
    assert decode_params("sendDocument", {"chat_id": "1", "document": "attach://file"})["document"] == ("attach://file")


def test_html_parsing() -> None:
    parsed = parse_text('<b>Run</b> 5&lt;6 <a href="https://x.org">km</a>', "HTML")
    assert parsed.text == "Run 5<6 km"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "text_link", "offset": 8, "length": 2, "url": "https://x.org"},
    ]
    with pytest.raises(EntityParseError, match="unsupported start tag"):
        parse_text("<blink>x</blink>", "HTML")


def test_entity_offsets_are_utf16() -> None:
    parsed = parse_text("🏃 <i>go</i>", "HTML")
    assert parsed.entities == [{"type": "italic", "offset": 3, "length": 2}]


def test_markdown_v2_parsing() -> None:
    parsed = parse_text("*Week 1* \\- _easy_ [plan](https://x.org)", "MarkdownV2")
    assert parsed.text == "Week 1 - easy plan"
    assert [e["type"] for e in parsed.entities] == ["bold", "italic", "text_link"]
    with pytest.raises(EntityParseError, match="can't find end of Bold entity"):
        parse_text("*unclosed", "MarkdownV2")
