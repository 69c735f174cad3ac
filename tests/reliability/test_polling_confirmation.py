"""Polling confirms an update to Telegram (a later getUpdates' offset passes it) only once it and every
earlier update are handled, so a crash at any moment loses none of them; different people's updates are
still handled at the same time (bot/telegram/updates.py, `Backlog`)."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from benchmarks.common import CHECKIN_SCRIPT, NOW, chat_of, database_url, day_code, register_chats, seed
from bot.clock import FakeClock
from bot.telegram.transport import UpdatesRequest
from bot.telegram.updates import Backlog, PerPersonUpdateProcessor
from emulator.server import BotAPIEmulator
from tests.e2e.conftest import UnpacedHarness, running_harness

TOKEN = "123456:TEST-TOKEN"
SLOW, OTHERS = 1, (2, 3, 4)
RUNNERS = 8
TAPS_EACH = 5
ANSWERS = dict(CHECKIN_SCRIPT)


def _returned(emulator: BotAPIEmulator) -> set[int]:
    """The ids of the updates getUpdates returned to the bot."""
    return {u["update_id"] for r in emulator.calls("getUpdates") for u in (r.response or {}).get("result") or []}


def confirmed_at(emulator: BotAPIEmulator, update_id: int) -> float:
    """When the bot confirmed the update: the first getUpdates whose offset passed it (inf: never)."""
    return min(
        (r.time for r in emulator.calls("getUpdates") if int(r.params.get("offset") or 0) > update_id),
        default=math.inf,
    )


async def test_the_offset_never_passes_an_update_in_hand_while_later_ones_of_others_are_handled() -> None:
    backlog = Backlog()
    handled: list[tuple[int, int]] = []  # (person, update id) in the order handled
    holding, release = asyncio.Event(), asyncio.Event()

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_user is not None
        person = update.effective_user.id
        if person == SLOW and not holding.is_set():
            holding.set()
            await release.wait()  # the first update of SLOW is handled only when the test says so
        handled.append((person, update.update_id))

    async with BotAPIEmulator(token=TOKEN) as emulator:
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(emulator.base_url)
            .concurrent_updates(PerPersonUpdateProcessor(backlog=backlog))
            .get_updates_request(UpdatesRequest(backlog=backlog))
            .build()
        )
        application.add_handler(TypeHandler(Update, handle))
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            held = emulator.user_sends(SLOW, "first")["update_id"]
            await asyncio.wait_for(holding.wait(), 5)
            hold_began = emulator.clock()
            later = [emulator.user_sends(person, "hi")["update_id"] for person in OTHERS]
            later.append(emulator.user_sends(SLOW, "second")["update_id"])  # waits its turn behind the first
            await emulator.wait_for(lambda: len(handled) == len(OTHERS), 5)
            polls_then = len(emulator.calls("getUpdates"))
            await emulator.wait_for(lambda: len(emulator.calls("getUpdates")) >= polls_then + 3, 5)  # polling goes on
            polls_held = emulator.calls("getUpdates")
            held_for = emulator.clock() - hold_began
            assert [u["update_id"] for u in emulator.pending_updates] == [held, *later]  # none of them confirmed
            release.set()
            await emulator.wait_for(lambda: not emulator.pending_updates, 5)  # then all are
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()

    assert max(int(r.params.get("offset") or 0) for r in polls_held) == held
    assert [u for _, u in handled] == [*later[:-1], held, later[-1]]  # each once, though Telegram sent it again
    assert sum(1 for r in polls_held for u in (r.response or {}).get("result", []) if u["update_id"] == held) > 1
    # a poll with updates in hand comes back at once; polling waits for one to be handled or a gap in between
    assert len([r for r in polls_held if r.time >= hold_began]) <= held_for / backlog.poll_gap_s + 4


def _asked(emulator: BotAPIEmulator, chat: int) -> tuple[int, str] | None:
    """The check-in question on screen: (message id, field), or None."""
    prefix = f"c:{day_code(NOW.date())}:"
    asked = [
        (message.message_id, data.split(":")[2])
        for message in emulator.messages(chat)
        for _, data in message.buttons
        if data is not None and data.startswith(prefix)
    ]
    return asked[-1] if asked else None


async def _tap_through(emulator: BotAPIEmulator, chat: int) -> list[int]:
    """Answer the next `TAPS_EACH` check-in questions, each as soon as it is asked; the updates' ids."""
    update_ids = []
    for _ in range(TAPS_EACH):
        asked = _asked(emulator, chat)
        assert asked is not None
        message_id, field = asked
        update = emulator.user_presses(chat, message_id, f"c:{day_code(NOW.date())}:{field}:{ANSWERS[field]}")
        update_ids.append(update["update_id"])
        query = update["callback_query"]["id"]

        def answered_and_asked_next(query: str = query, asked: tuple[int, str] = asked) -> bool:
            return (
                any(a.callback_query_id == query for a in emulator.callback_answers) and _asked(emulator, chat) != asked
            )

        await emulator.wait_for(answered_and_asked_next, 10)
    return update_ids


async def test_polling_confirms_no_tap_before_it_is_handled(tmp_path: Path) -> None:
    database = tmp_path / "runback.db"
    await asyncio.to_thread(seed, database, RUNNERS)
    handled_at: dict[int, float] = {}
    async with BotAPIEmulator() as emulator:
        register_chats(emulator, RUNNERS)
        harness = UnpacedHarness(emulator, database_url(database), FakeClock(NOW))
        await harness.start()
        try:

            async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
                if isinstance(update, Update):  # after every other handler: its replies are sent
                    handled_at[update.update_id] = emulator.clock()

            harness.coach_app.application.add_handler(TypeHandler(object, record), group=100)
            assert await harness.morning_round() == RUNNERS
            runners = await asyncio.gather(*(_tap_through(emulator, chat_of(i)) for i in range(RUNNERS)))
            await emulator.wait_for(lambda: not emulator.pending_updates, 10)  # the last one is confirmed too
        finally:
            await harness.stop()
        taps = [update_id for update_ids in runners for update_id in update_ids]
        early = [u for u in taps if confirmed_at(emulator, u) < handled_at.get(u, math.inf)]
    print(f"\npolling: {len(early)} of {len(taps)} taps confirmed before they were handled")
    assert len(taps) == RUNNERS * TAPS_EACH and set(taps) <= set(handled_at)
    assert early == []  # 40 of 40 before the offset was held back


async def test_a_clean_stop_confirms_the_updates_handled_while_it_waited_for_them(tmp_path: Path) -> None:
    people = (2001, 2002, 2003)
    async with running_harness(database_url(tmp_path / "runback.db"), UnpacedHarness) as harness:
        runback, emulator = harness.coach_app, harness.emulator
        assert runback.application.updater is not None
        release = asyncio.Event()

        async def hold(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            await release.wait()

        runback.application.add_handler(TypeHandler(Update, hold), group=-1)  # before the bot's own handlers
        last = [emulator.user_sends(person, "/help", user_id=person)["update_id"] for person in people][-1]
        await emulator.wait_for(lambda: last in _returned(emulator), 5)
        stopping = asyncio.create_task(harness.stop())
        await emulator.wait_for(lambda: not runback.application.updater.running, 5)  # type: ignore[union-attr]
        assert len(emulator.pending_updates) == len(people)  # polling stopped with them in hand: not confirmed
        release.set()
        await stopping
        assert emulator.pending_updates == []  # handled, then confirmed: the next start does not get them again
        assert all(emulator.messages(person) for person in people)
