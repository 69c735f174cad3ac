"""The session log is one message: each tap edits it into the next question, the answers so far above it, and
what is stored is what the runner tapped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot import texts
from bot.storage import models
from tests.e2e.conftest import RUNNER, Harness

DAY1 = date(2026, 10, 1)
CODE = DAY1.strftime("%Y%m%d")


def _shown(field: str, value: str) -> str:
    return texts.CHECKIN_ANSWER_SHOWN.format(label=texts.SESSION_LABELS[field], value=value)


async def test_the_log_is_one_message_edited_per_tap(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/checkin")
    await h.checkin(DAY1)
    await h.send("/log")
    log_message = h.emulator.last_message(RUNNER)
    assert log_message is not None and log_message.text == texts.ASK_LOG_DAY
    taps = (
        f"ld:{CODE}",
        f"l:{CODE}:done:partial",
        f"l:{CODE}:run_minutes:12",
        f"l:{CODE}:pain_during:1",
        f"l:{CODE}:pain_after:1",
    )
    for data in taps:
        assert await h.tap(data) == []  # no new message: the same one, edited
        edited = h.emulator.last_message(RUNNER)
        assert edited is not None and edited.message_id == log_message.message_id
    text = h.last_text()
    assert texts.SESSION_LOG_HEADER.format(day=texts.TODAY_WORD) in text
    for line in (
        _shown("done", texts.SESSION_DONE_LABELS["partial"]),
        _shown("run_minutes", "12"),
        _shown("pain_after", "1"),
    ):
        assert line in text
    assert text.endswith(texts.SESSION_QUESTIONS["rpe"])

    replies = await h.tap(f"l:{CODE}:rpe:5")
    assert [r.text for r in replies] == [
        f"{texts.SESSION_LOGGED.format(day=texts.TODAY_WORD)}\n\n{texts.SESSION_PAIN_NOTE}"
    ]
    whole = h.emulator.messages(RUNNER)
    kept = next(m for m in whole if m.message_id == log_message.message_id)
    assert _shown("rpe", "5") in (kept.text or "") and kept.buttons == []  # the whole log, its buttons gone
    async with h.coach_app.sessions() as session:
        row = (await session.execute(select(models.SessionLog))).scalar_one()
    assert (row.done, row.run_minutes, row.pain_during, row.pain_after, row.rpe) == ("partial", 12.0, 1, 1, 5.0)


async def test_typed_minutes_go_on_in_a_new_message(harness: Harness) -> None:
    h = harness
    await h.onboard()
    await h.send("/log")
    await h.tap(f"ld:{CODE}")
    await h.tap(f"l:{CODE}:done:more")
    replies = await h.send("17")
    assert len(replies) == 1
    assert _shown("run_minutes", "17") in (replies[0].text or "")
    assert (replies[0].text or "").endswith(texts.SESSION_QUESTIONS["pain_during"])
    await h.tap(f"l:{CODE}:pain_during:0")
    assert h.emulator.last_message(RUNNER).message_id == replies[0].message_id  # type: ignore[union-attr]
