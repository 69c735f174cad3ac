"""`memory`: peak RSS of the running bot as the number of scheduled runners grows.

Each size runs in a fresh bot process (peak RSS = VmHWM from /proc/self/status, read by the bot process
itself): the bot starts, polls, sends the morning prompts of the runners due now (10% of them, capped;
the others are scheduled for later) with no rate limit, answers "what's today?" for a few runners, and
stops. The baseline is a bare python-telegram-bot echo bot that handled the same number of messages.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import Child, chat_of, database_url, register_chats, seed
from emulator.server import BotAPIEmulator

DUE_SHARE = 0.1
DUE_CAP = 5_000
QUESTIONS = 50


async def _ask(emulator: BotAPIEmulator, chats: list[int], text: str) -> None:
    for chat in chats:
        emulator.user_sends(chat, text)
        await emulator.wait_for_message(chat, timeout=60)


async def _one_size(workdir: Path, runners: int) -> dict[str, Any]:
    db = workdir / f"memory-{runners}.db"
    due = min(DUE_CAP, max(1, int(runners * DUE_SHARE)))
    seed_s = await asyncio.to_thread(seed, db, runners, due=due)
    emulator = BotAPIEmulator(token="123456:BENCH-TOKEN")
    async with emulator:
        register_chats(emulator, due)
        child = await Child.start("serve", "--api", emulator.base_url, "--db", database_url(db), "--morning-round")
        ready = await child.read()
        await _ask(emulator, [chat_of(i) for i in range(min(QUESTIONS, due))], "what's today?")
        last = await child.stop()
    size_mb = db.stat().st_size / 1e6
    db.unlink()
    return {
        "runners": runners,
        "due_now": due,
        "prompted": ready.get("prompted"),
        "peak_rss_mb": last["peak_rss_mb"],
        "database_mb": round(size_mb, 1),
        "seed_seconds": round(seed_s, 1),
    }


async def _echo(messages: int) -> float:
    emulator = BotAPIEmulator(token="123456:BENCH-TOKEN")
    async with emulator:
        child = await Child.start("echo", "--api", emulator.base_url)
        await child.read()
        await _ask(emulator, [chat_of(i) for i in range(messages)], "hello")
        last = await child.stop()
    return float(last["peak_rss_mb"])


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    sizes = {"tiny": (20, 200), "quick": (200, 2_000)}.get(size, (1_000, 10_000, 100_000))
    rows = []
    with tempfile.TemporaryDirectory(prefix="runback-bench-") as tmp:
        where = workdir or Path(tmp)
        for runners in sizes:
            rows.append(await _one_size(where, runners))
        echo_mb = await _echo(min(QUESTIONS, rows[0]["due_now"]))
    by_size = {str(r["runners"]): r for r in rows}
    reference = next((r for r in rows if r["runners"] == 10_000), rows[-1])
    first, last = rows[0], rows[-1]
    growth = last["peak_rss_mb"] / first["peak_rss_mb"]
    return [
        {
            "name": "memory",
            "parameters": {"runners": list(sizes), "due_share": DUE_SHARE, "due_cap": DUE_CAP},
            "figures": {
                "by_runners": by_size,
                "rss_growth": f"x{growth:.2f} for x{last['runners'] // first['runners']} runners",
            },
            "baseline": {"name": "python-telegram-bot echo bot", "peak_rss_mb": echo_mb},
            "ratio": round(reference["peak_rss_mb"] / echo_mb, 2),
            "targets": {f"{reference['runners']}.peak_rss_mb": "< 150", "growth": "sub-linear"},
        }
    ]
