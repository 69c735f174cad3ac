"""Updates of different people overlap; one person's run one at a time, in the order they came."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import Bot, Chat, Message, Update, User
from telegram._utils.datetime import from_timestamp

from bot.telegram.transport import UpdatesRequest
from bot.telegram.updates import Backlog, PerPersonUpdateProcessor
from emulator.server import BotAPIEmulator

TOKEN = "123456:TEST-TOKEN"


def _update(update_id: int, person: int) -> Update:
    message = Message(
        update_id, from_timestamp(0), Chat(person, "private"), from_user=User(person, "R", False), text="x"
    )
    return Update(update_id, message=message)


async def test_one_persons_updates_in_order_and_never_overlapping_others_at_once() -> None:
    processor = PerPersonUpdateProcessor(max_concurrent_updates=8)
    running: dict[int, int] = {1: 0, 2: 0}
    most_at_once = 0
    finished: list[tuple[int, int]] = []

    async def handle(update_id: int, person: int, seconds: float) -> None:
        nonlocal most_at_once
        running[person] += 1
        assert running[person] == 1, "two updates of one person at once"
        most_at_once = max(most_at_once, sum(running.values()))
        await asyncio.sleep(seconds)
        running[person] -= 1
        finished.append((person, update_id))

    # person 1's first update is the slowest: their later ones must still wait for it
    plan = [(1, 1, 0.05), (2, 2, 0.01), (3, 1, 0.0), (4, 2, 0.0), (5, 1, 0.01)]
    await asyncio.gather(*(processor.process_update(_update(i, p), handle(i, p, s)) for i, p, s in plan))
    assert [u for p, u in finished if p == 1] == [1, 3, 5]
    assert [u for p, u in finished if p == 2] == [2, 4]
    assert most_at_once == 2  # the two people were handled at the same time
    assert finished.index((2, 4)) < finished.index((1, 3))  # person 2 did not wait behind person 1
    assert processor._turns == {}  # nothing kept once a person has no update in hand


async def test_the_processor_reports_every_update_handled_to_the_backlog_even_a_failing_one() -> None:
    backlog = Backlog(limit=3)
    processor = PerPersonUpdateProcessor(max_concurrent_updates=2, backlog=backlog)
    backlog.fresh([{"update_id": 1}, {"update_id": 2}, {"update_id": 3}])
    assert backlog.in_hand == 3

    async def fails() -> None:
        raise RuntimeError("a handler bug")

    await processor.process_update(_update(1, 1), asyncio.sleep(0))
    await processor.process_update(_update(2, 2), asyncio.sleep(0))
    with contextlib.suppress(RuntimeError):
        await processor.process_update(_update(3, 3), fails())
    assert backlog.in_hand == 0


async def test_polling_waits_while_the_backlog_is_full_and_goes_once_there_is_room() -> None:
    async with BotAPIEmulator(token=TOKEN) as emulator:
        for person in (7, 8, 9):
            emulator.user_sends(person, "hello", user_id=person)  # updates 1, 2, 3
        backlog = Backlog(limit=2)
        request = UpdatesRequest(backlog=backlog)
        await request.initialize()
        bot = Bot(TOKEN, base_url=emulator.base_url, get_updates_request=request)
        try:
            backlog.fresh([{"update_id": 1}, {"update_id": 2}])  # taken by an earlier poll, none handled yet
            poll = asyncio.create_task(bot.get_updates(offset=3, timeout=0))
            for _ in range(20):
                await asyncio.sleep(0.005)
            assert not poll.done() and emulator.calls("getUpdates") == []
            backlog.handled(1)  # one fewer than the limit in hand: the poll goes out
            updates = await asyncio.wait_for(poll, 5)
        finally:
            await request.shutdown()
    # it confirmed update 1 only, and update 2, still in hand, came again but was left out
    assert [r.params["offset"] for r in emulator.calls("getUpdates")] == [2]
    assert [u.update_id for u in updates] == [3] and backlog.in_hand == 2


async def test_an_update_never_reported_handled_does_not_stop_polling_nor_is_confirmed() -> None:
    backlog = Backlog(limit=1, patience_s=0.05, poll_gap_s=0.05)
    backlog.fresh([{"update_id": 1}])
    await asyncio.wait_for(backlog.before_poll(), 2)  # waits its patience and a gap, then lets the poll go
    assert backlog.in_hand == 1 and backlog.offset(2) == 1
    backlog.handled(5)  # an update polling never took (e.g. webhook mode): nothing to do
    assert backlog.in_hand == 1
    backlog.handled(1)
    assert backlog.in_hand == 0 and backlog.offset(2) == 2
    await asyncio.wait_for(backlog.before_poll(), 0.01)


async def test_an_update_stuck_for_minutes_is_given_up_so_later_ones_still_come() -> None:
    backlog = Backlog(give_up_after_s=0.0)
    backlog.fresh([{"update_id": 1}, {"update_id": 2}])
    assert backlog.offset(3) == 3 and backlog.in_hand == 0


async def test_updates_polling_took_before_are_left_out_when_telegram_sends_them_again() -> None:
    backlog = Backlog()
    assert [u["update_id"] for u in backlog.fresh([{"update_id": 4}, {"update_id": 5}])] == [4, 5]
    backlog.handled(5)
    assert [u["update_id"] for u in backlog.fresh([{"update_id": 4}, {"update_id": 5}, {"update_id": 6}])] == [6]
    assert backlog.offset(7) == 4 and backlog.next_offset == 4
    backlog.handled(4)
    assert backlog.next_offset == 6
