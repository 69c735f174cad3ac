"""`fanout`: N runners due in the same minute, the emulator enforcing Telegram's limits with 429s.

Two runs, each with a fresh database and a fresh emulator, the bot in its own process:
- limited: the emulator accepts `rate` sends per second overall and 1 per second per chat; figures: time
  from the start of the round to the last prompt delivered vs the bound N / rate, prompts lost, prompts
  sent twice, 429s. The full run scales Telegram's 30/s to 300/s so 10,000 prompts take ~33 s instead of
  ~5.5 min (the bot's limiter is told the same rate); the ratio to the bound is what carries over.
- ceiling: no limit anywhere; prompts per second the bot builds, stores and sends (target >= 10x 30/s).
"""

from __future__ import annotations

import asyncio
import collections
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import CHAT_BASE, Child, database_url, register_chats, seed
from emulator.models import EmulatorEvent
from emulator.server import BotAPIEmulator

TELEGRAM_RATE = 30.0


async def _one_run(workdir: Path, runners: int, rate: float | None) -> dict[str, Any]:
    db = workdir / f"fanout-{runners}-{rate or 'unlimited'}.db"
    seed_s = await asyncio.to_thread(seed, db, runners)
    emulator = BotAPIEmulator(
        token="123456:BENCH-TOKEN", rate_limit_per_s=rate, per_chat_limit_per_s=1 if rate else None
    )
    deliveries: list[float] = []

    def on_event(event: EmulatorEvent) -> None:
        if event.kind == "message":
            deliveries.append(emulator.clock())

    emulator.add_listener(on_event)
    async with emulator:
        register_chats(emulator, runners)
        args = ["round", "--api", emulator.base_url, "--db", database_url(db), "--repeat"]
        if rate:
            args += ["--overall", str(rate), "--per-chat", "1"]
        parent_cpu = time.process_time()
        child = await Child.start(*args)
        result = await child.finish()
        parent_cpu = time.process_time() - parent_cpu
    delivered = emulator.delivered
    got = [delivered.get(CHAT_BASE + i, 0) for i in range(runners)]
    lost = sum(1 for n in got if n == 0)
    twice = sum(n - 1 for n in got if n > 1)
    too_many = sum(1 for r in emulator.requests if r.status == 429)
    per_method = collections.Counter(r.method for r in emulator.requests)
    elapsed = (max(deliveries) - result["started"]) if deliveries else None
    figures: dict[str, Any] = {
        "delivered": len(deliveries),
        "lost": lost,
        "sent_twice": twice,
        "http_429": too_many,
        "send_requests": per_method.get("sendMessage", 0),
        "seconds_to_last_delivery": round(elapsed, 3) if elapsed is not None else None,
        "bot_peak_rss_mb": result["peak_rss_mb"],
        "bot_cpu_seconds": round(result["cpu_s"], 2),
        "emulator_cpu_seconds": round(parent_cpu, 2),
        "seed_seconds": round(seed_s, 2),
    }
    if elapsed:
        figures["prompts_per_s"] = round(len(deliveries) / elapsed, 1)
    return figures


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    quick = size != "full"
    runners = {"tiny": 60, "quick": 600}.get(size, 10_000)
    rate = 300.0  # scaled clock: 10x Telegram's 30/s
    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="runback-bench-") as tmp:
        where = workdir or Path(tmp)
        limited = await _one_run(where, runners, rate)
        bound = runners / rate
        seconds = limited["seconds_to_last_delivery"]
        out.append(
            {
                "name": "fanout",
                "parameters": {
                    "runners": runners,
                    "emulator_limit_per_s": rate,
                    "per_chat_limit_per_s": 1,
                    "scale": f"{rate / TELEGRAM_RATE:g}x Telegram's {TELEGRAM_RATE:g}/s (scaled clock)",
                },
                "figures": {**limited, "bound_seconds": round(bound, 3)},
                "baseline": {"name": "bound N/rate", "seconds": round(bound, 3)},
                "ratio": round(seconds / bound, 3) if seconds else None,
                "targets": {"ratio": "<= 1.05", "lost": 0, "sent_twice": 0},
            }
        )
        if not quick:
            small = 1_000
            real = await _one_run(where, small, TELEGRAM_RATE)
            bound_real = small / TELEGRAM_RATE
            out.append(
                {
                    "name": "fanout_real_rate",
                    "parameters": {"runners": small, "emulator_limit_per_s": TELEGRAM_RATE, "per_chat_limit_per_s": 1},
                    "figures": {**real, "bound_seconds": round(bound_real, 3)},
                    "baseline": {"name": "bound N/rate", "seconds": round(bound_real, 3)},
                    "ratio": round(real["seconds_to_last_delivery"] / bound_real, 3)
                    if real["seconds_to_last_delivery"]
                    else None,
                    "targets": {"ratio": "<= 1.05", "lost": 0, "sent_twice": 0},
                }
            )
        ceiling = await _one_run(where, runners, None)
        per_s = ceiling.get("prompts_per_s")
        out.append(
            {
                "name": "fanout_ceiling",
                "parameters": {"runners": runners, "emulator_limit_per_s": None},
                "figures": ceiling,
                "baseline": {"name": "Telegram's limit", "prompts_per_s": TELEGRAM_RATE},
                "ratio": round(per_s / TELEGRAM_RATE, 2) if per_s else None,
                "targets": {"ratio": ">= 10", "lost": 0, "sent_twice": 0},
            }
        )
    return out
