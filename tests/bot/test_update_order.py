"""Updates of different people overlap; one person's run one at a time, in the order they came."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User
from telegram._utils.datetime import from_timestamp

from bot.updates import PerPersonUpdateProcessor


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
