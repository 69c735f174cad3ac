"""Under a flood of updates the bot takes them from Telegram in batches (bot/telegram/updates.py, `Backlog`), not one
poll per update, and answers every one."""

from __future__ import annotations

from pathlib import Path

from emulator.models import EmulatorEvent
from tests.e2e.conftest import UnpacedHarness, running_harness

PEOPLE = range(2001, 2041)
MESSAGES_EACH = 8


async def test_a_flood_is_polled_in_batches_and_every_update_is_answered(tmp_path: Path) -> None:
    async with running_harness(f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}", UnpacedHarness) as h:
        sent = dict.fromkeys(PEOPLE, 0)
        answered = dict.fromkeys(PEOPLE, 0)

        def next_message(person: int) -> None:
            sent[person] += 1
            h.emulator.user_sends(person, "/help", user_id=person)

        def on_event(event: EmulatorEvent) -> None:  # each person writes again as soon as the bot answers
            person = event.chat_id
            if event.kind == "message" and person in answered:
                answered[person] += 1
                if sent[person] < MESSAGES_EACH:
                    next_message(person)

        h.emulator.add_listener(on_event)
        polls_before = len(h.emulator.calls("getUpdates"))
        for person in PEOPLE:
            next_message(person)
        total = len(PEOPLE) * MESSAGES_EACH
        await h.coach_app.wait_until_handled(total, timeout=120)
        polls = h.emulator.calls("getUpdates")[polls_before:]
        h.emulator.remove_listener(on_event)
    assert answered == dict.fromkeys(PEOPLE, MESSAGES_EACH)
    # until an update is handled, every poll gets it again (the offset does not confirm it): count the new ones
    seen: set[int] = set()
    taken = []
    for poll in polls:
        new = {u["update_id"] for u in (poll.response or {}).get("result") or []} - seen
        seen |= new
        if new:
            taken.append(len(new))
    print(f"\nflood: {len(polls)} polls, {len(taken)} with new updates, {sum(taken)} updates")
    assert sum(taken) == total
    # measured: 13 polls with the backlog; 281 without it (a poll per update or two)
    assert len(taken) <= total // 4, f"{len(taken)} polls for {total} updates"
