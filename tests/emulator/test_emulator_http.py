"""The emulator over plain HTTP: encodings, long polling, Telegram-like errors, faults, limits."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import httpx
import pytest

from emulator import BotAPIEmulator, validate_object

Params = dict[str, Any]


async def call(emu: BotAPIEmulator, method: str, params: Params | None = None, **kw: Any) -> httpx.Response:
    """POST form-encoded like PTB does: strings raw, everything else JSON-encoded."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (params or {}).items()}
    async with httpx.AsyncClient(timeout=kw.pop("timeout", 5.0)) as client:
        return await client.post(f"{emu.base_url}{emu.token}/{method}", data=data, **kw)


async def ok(emu: BotAPIEmulator, method: str, params: Params | None = None) -> Any:
    response = await call(emu, method, params)
    body = response.json()
    assert response.status_code == 200 and body["ok"], body
    return body["result"]


async def error(emu: BotAPIEmulator, method: str, params: Params | None = None) -> tuple[int, str]:
    response = await call(emu, method, params)
    body = response.json()
    assert body["ok"] is False and body["error_code"] == response.status_code
    return response.status_code, body["description"]


async def test_unknown_token_is_unauthorized(emu: BotAPIEmulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert emu.requests == []


async def test_get_me_json_body_and_query_string(emu: BotAPIEmulator) -> None:
    me = await ok(emu, "getMe")
    assert me["is_bot"] is True and me["username"] == "runback_test_bot" and me["id"] == 123456
    assert validate_object("User", me) == []
    emu.user_sends(42, "hi")
    async with httpx.AsyncClient() as client:
        url = f"{emu.base_url}{emu.token}"
        by_json = await client.post(f"{url}/sendMessage", json={"chat_id": 42, "text": "json body"})
        by_get = await client.get(f"{url}/sendmessage", params={"chat_id": "42", "text": "query string"})
    assert by_json.json()["ok"] and by_get.json()["ok"], (by_json.text, by_get.text)
    assert [m.text for m in emu.messages(42)] == ["json body", "query string"]
    assert emu.requests[-1].method == "sendMessage"  # canonical name recorded


async def test_number_like_text_stays_a_string(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    result = await ok(emu, "sendMessage", {"chat_id": 42, "text": "42"})
    assert result["text"] == "42" and emu.last_message(42) is not None
    assert emu.last_message(42).text == "42"  # type: ignore[union-attr]


async def test_invalid_request_is_a_400_and_recorded(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    status, description = await error(emu, "sendMessage", {"chat_id": 42, "text": "x", "colour": "red"})
    assert status == 400
    assert description == "Bad Request: unknown parameter 'colour' for method sendMessage"
    assert emu.validation_errors == ["sendMessage: unknown parameter 'colour' for method sendMessage"]
    assert emu.messages(42) == []
    emu.validation_errors.clear()


async def test_unknown_method_is_404_and_recorded(emu: BotAPIEmulator) -> None:
    status, description = await error(emu, "sendTelepathy", {"chat_id": 42})
    assert (status, description) == (404, "Not Found")
    assert emu.validation_errors == ["unknown method 'sendTelepathy'"]
    emu.validation_errors.clear()


async def test_non_strict_mode_serves_invalid_requests() -> None:
    async with BotAPIEmulator(strict=False) as emu:
        emu.user_sends(42, "hi")
        await ok(emu, "sendMessage", {"chat_id": 42, "text": "x", "colour": "red"})
        assert emu.validation_errors == []
        assert emu.validation_warnings == ["sendMessage: unknown parameter 'colour' for method sendMessage"]


async def test_get_updates_offset_limit_and_confirmation(emu: BotAPIEmulator) -> None:
    for i in range(3):
        emu.user_sends(42, f"msg {i}")
    first = await ok(emu, "getUpdates", {"limit": 2})
    assert [u["message"]["text"] for u in first] == ["msg 0", "msg 1"]
    again = await ok(emu, "getUpdates", {})  # nothing confirmed yet: delivered again
    assert [u["update_id"] for u in again] == [1, 2, 3]
    rest = await ok(emu, "getUpdates", {"offset": first[-1]["update_id"] + 1})
    assert [u["message"]["text"] for u in rest] == ["msg 2"]
    assert len(emu.pending_updates) == 1
    assert await ok(emu, "getUpdates", {"offset": 4}) == []
    assert emu.pending_updates == []
    for update in first + rest:
        assert validate_object("Update", update) == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(emu: BotAPIEmulator) -> None:
    started = time.monotonic()
    assert await ok(emu, "getUpdates", {"timeout": 0}) == []
    poll = asyncio.create_task(ok(emu, "getUpdates", {"timeout": 10}))
    await asyncio.sleep(0.1)
    assert not poll.done()
    emu.user_sends(42, "wake up")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0]["message"]["text"] == "wake up"
    assert time.monotonic() - started < 2

    started = time.monotonic()
    assert await ok(emu, "getUpdates", {"offset": 2, "timeout": 1}) == []
    assert 0.9 < time.monotonic() - started < 2


async def test_second_long_poll_terminates_the_first(emu: BotAPIEmulator) -> None:
    first = asyncio.create_task(call(emu, "getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(call(emu, "getUpdates", {"timeout": 0}))
    response = await asyncio.wait_for(first, 2)
    assert response.status_code == 409 and "terminated by other getUpdates" in response.json()["description"]
    assert (await second).status_code == 200


async def test_allowed_updates_filter(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    await ok(
        emu,
        "sendMessage",
        {"chat_id": 42, "text": "pick", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}},
    )
    emu.user_presses(42, 2, "a")
    updates = await ok(emu, "getUpdates", {"allowed_updates": ["callback_query"]})
    assert [next(k for k in u if k != "update_id") for u in updates] == ["callback_query"]


async def test_semantic_errors_are_telegram_like(emu: BotAPIEmulator) -> None:
    assert await error(emu, "sendMessage", {"chat_id": 7, "text": "hi"}) == (400, "Bad Request: chat not found")
    emu.user_sends(42, "hi")
    sent = await ok(emu, "sendMessage", {"chat_id": 42, "text": "plan"})
    mid = sent["message_id"]
    assert await error(emu, "editMessageText", {"chat_id": 42, "message_id": 99, "text": "x"}) == (
        400,
        "Bad Request: message to edit not found",
    )
    status, description = await error(emu, "editMessageText", {"chat_id": 42, "message_id": mid, "text": "plan"})
    assert status == 400 and description.startswith("Bad Request: message is not modified")
    assert await error(emu, "editMessageText", {"chat_id": 42, "message_id": 1, "text": "x"}) == (
        400,
        "Bad Request: message can't be edited",
    )
    assert await error(emu, "answerCallbackQuery", {"callback_query_id": "123"}) == (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    assert await ok(emu, "deleteMessage", {"chat_id": 42, "message_id": mid}) is True
    assert await error(emu, "deleteMessage", {"chat_id": 42, "message_id": mid}) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert emu.validation_errors == []


async def test_edit_keeps_history_and_drops_keyboard_when_omitted(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    keyboard = {"inline_keyboard": [[{"text": "Done", "callback_data": "done"}]]}
    sent = await ok(emu, "sendMessage", {"chat_id": 42, "text": "Run 5 km", "reply_markup": keyboard})
    assert sent["reply_markup"] == keyboard
    edited = await ok(emu, "editMessageText", {"chat_id": 42, "message_id": sent["message_id"], "text": "Done!"})
    assert "reply_markup" not in edited and "edit_date" in edited
    msg = emu.last_message(42)
    assert msg is not None and msg.text == "Done!" and msg.reply_markup is None
    assert [(v.text, v.reply_markup) for v in msg.edits] == [("Run 5 km", keyboard)]
    assert validate_object("Message", edited) == []


async def test_callback_query_lifecycle(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    sent = await ok(emu, "sendMessage", {"chat_id": 42, "text": "Pain today?", "reply_markup": keyboard})
    with pytest.raises(LookupError, match="no button"):
        emu.user_presses(42, sent["message_id"], "no")
    update = emu.user_presses(42, sent["message_id"], "yes")
    assert validate_object("Update", update) == []
    assert update["callback_query"]["message"]["text"] == "Pain today?"
    qid = update["callback_query"]["id"]
    assert await ok(emu, "answerCallbackQuery", {"callback_query_id": qid, "text": "Noted"}) is True
    assert emu.callback_answers[0].text == "Noted" and emu.callback_answers[0].data == "yes"
    status, _ = await error(emu, "answerCallbackQuery", {"callback_query_id": qid})  # answered twice
    assert status == 400


async def test_user_side_updates_match_the_spec(emu: BotAPIEmulator) -> None:
    updates = [
        emu.user_sends(42, "/start@runback_test_bot now"),
        emu.user_sends(-100, "hello group", chat_type="group", user_id=7),
        emu.user_sends(-1001, "/plan", chat_type="supergroup"),
        emu.user_sends_sticker(42),
        emu.user_sends_photo(42, caption="my run"),
        emu.user_edits_message(42, 1, "/start again"),
        emu.channel_post(-1002, "news"),
        emu.queue_update({"message": {"message_id": 99, "date": 0, "chat": {"id": 5, "type": "private"}}}),
    ]
    emu.block(42)
    updates.append(emu.pending_updates[-1])
    for update in updates:
        assert validate_object("Update", update) == [], update
    assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert [u["update_id"] for u in updates] == list(range(1, 10))
    assert updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_rate_limits_use_the_injected_clock() -> None:
    now = [1000.0]
    async with BotAPIEmulator(rate_limit_per_s=3, per_chat_limit_per_s=2, clock=lambda: now[0]) as emu:
        emu.user_sends(1, "hi")
        emu.user_sends(2, "hi")
        for _ in range(2):
            await ok(emu, "sendMessage", {"chat_id": 1, "text": "x"})
        status, description = await error(emu, "sendMessage", {"chat_id": 1, "text": "x"})
        assert (status, description) == (429, "Too Many Requests: retry after 1")
        await ok(emu, "sendMessage", {"chat_id": 2, "text": "x"})
        assert (await error(emu, "sendMessage", {"chat_id": 2, "text": "x"}))[0] == 429  # overall limit
        assert await ok(emu, "sendChatAction", {"chat_id": 2, "action": "typing"}) is True  # not a send
        now[0] += 1.01
        await ok(emu, "sendMessage", {"chat_id": 1, "text": "x"})
        assert emu.sent_count(1) == 3 and emu.sent_count(2) == 1


async def test_fail_next_kinds(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    emu.user_sends(43, "hi")
    emu.fail_next("sendMessage", "429", retry_after=7)
    response = await call(emu, "sendMessage", {"chat_id": 42, "text": "x"})
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    emu.fail_next("*", "500", times=2)
    assert (await error(emu, "getMe"))[0] == 500
    assert (await error(emu, "sendMessage", {"chat_id": 42, "text": "x"}))[0] == 500
    emu.fail_next("sendMessage", "403", chat_id=43)
    await ok(emu, "sendMessage", {"chat_id": 42, "text": "to 42"})  # other chat unaffected
    assert await error(emu, "sendMessage", {"chat_id": 43, "text": "x"}) == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    emu.fail_next("sendMessage", "502")
    assert await error(emu, "sendMessage", {"chat_id": 42, "text": "x"}) == (502, "Bad Gateway")
    emu.fail_next("sendMessage", "400", description="Bad Request: custom")
    assert await error(emu, "sendMessage", {"chat_id": 42, "text": "x"}) == (400, "Bad Request: custom")
    assert [m.text for m in emu.messages(42)] == ["to 42"]


async def test_timeout_fault_does_not_block_other_requests(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    emu.fail_next("sendMessage", "timeout", delay=5)
    with pytest.raises(httpx.ReadTimeout):
        await asyncio.gather(
            call(emu, "sendMessage", {"chat_id": 42, "text": "slow"}, timeout=0.3),
            ok(emu, "getMe"),  # served while the other request is held
        )
    assert emu.messages(42) == []
    assert [r.method for r in emu.requests if r.status == 200] == ["getMe"]


async def test_block_and_unblock(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    emu.block(42, notify=False)
    assert (await error(emu, "sendMessage", {"chat_id": 42, "text": "x"}))[0] == 403
    assert (await error(emu, "sendChatAction", {"chat_id": 42, "action": "typing"}))[0] == 403
    emu.unblock(42, notify=False)
    await ok(emu, "sendMessage", {"chat_id": 42, "text": "back"})


async def test_unreachable_modes(emu: BotAPIEmulator) -> None:
    emu.set_unreachable(True)
    with pytest.raises(httpx.RemoteProtocolError):
        await call(emu, "getMe")
    emu.set_unreachable(True, mode="502")
    assert (await error(emu, "getMe"))[0] == 502
    emu.set_unreachable(False)
    await ok(emu, "getMe")
    assert [r.status for r in emu.requests] == [0, 502, 200]


async def test_uploads_and_downloads(emu: BotAPIEmulator) -> None:
    emu.user_sends(42, "hi")
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{emu.base_url}{emu.token}/sendDocument",
            data={"chat_id": "42", "caption": "Your plan"},
            files={"document": ("plan.csv", b"week,km\n1,10\n", "text/csv")},
        )
        result = response.json()["result"]
        assert result["document"]["file_name"] == "plan.csv" and result["caption"] == "Your plan"
        stored = emu.last_message(42).document  # type: ignore[union-attr]
        assert stored is not None and stored.content == b"week,km\n1,10\n" and stored.mime_type == "text/csv"
        file = await ok(emu, "getFile", {"file_id": result["document"]["file_id"]})
        download = await client.get(f"{emu.base_file_url}{emu.token}/{file['file_path']}")
        assert download.content == b"week,km\n1,10\n"
        bad = await client.get(f"{emu.base_file_url}WRONG/{file['file_path']}")
        assert bad.status_code == 401
    resent = await ok(emu, "sendDocument", {"chat_id": 42, "document": result["document"]["file_id"]})
    assert resent["document"]["file_id"] == result["document"]["file_id"]
    assert await error(emu, "sendDocument", {"chat_id": 42, "document": "nope"}) == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )


async def test_listeners_see_what_the_user_would_see(emu: BotAPIEmulator) -> None:
    events: list[tuple[str, int | None]] = []
    emu.add_listener(lambda event: events.append((event.kind, event.chat_id)))
    emu.user_sends(42, "hi")
    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    await ok(emu, "sendChatAction", {"chat_id": 42, "action": "typing"})
    sent = await ok(emu, "sendMessage", {"chat_id": 42, "text": "Ready?", "reply_markup": keyboard})
    qid = emu.user_presses(42, sent["message_id"], "yes")["callback_query"]["id"]
    await ok(emu, "answerCallbackQuery", {"callback_query_id": qid})
    await ok(emu, "editMessageReplyMarkup", {"chat_id": 42, "message_id": sent["message_id"]})
    await ok(emu, "deleteMessage", {"chat_id": 42, "message_id": sent["message_id"]})
    assert events == [
        ("chat_action", 42),
        ("message", 42),
        ("callback_answer", 42),
        ("edit", 42),
        ("delete", 42),
    ]
    assert [m.message_id for m in emu.messages(42, include_user=True, include_deleted=True)] == [1, 2]


async def test_logs_carry_neither_token_nor_text(emu: BotAPIEmulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    emu.user_sends(42, "my shin hurts")
    await ok(emu, "sendMessage", {"chat_id": 42, "text": "sorry about your shin"})
    emu.fail_next("sendMessage", "500")
    await error(emu, "sendMessage", {"chat_id": 42, "text": "sorry about your shin"})
    await error(emu, "sendMessage", {"chat_id": 42, "text": "x", "colour": "red"})
    emulator_logs = [r.getMessage() for r in caplog.records if r.name.startswith(("runback", "aiohttp"))]
    assert any("sendMessage" in line for line in emulator_logs)
    for line in emulator_logs:
        assert emu.token not in line and "shin" not in line
    emu.validation_errors.clear()
