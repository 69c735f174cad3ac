"""`history`: "what's today?" for runners with 365 days of history, as the database grows.

For each size, a fresh SQLite file is seeded with bulk inserts (every runner a year of complete check-ins
and a run every other day), then the coach answers "what's today?" for a sample of runners spread over
the database: the whole use case in one transaction (load the history, run the engine, store the
decision, commit with synchronous=FULL), timed in this process. The figures that count are "today, with
yesterday's cached engine state" (what happens every morning); the first decision with no cache (after
the upgrade that adds it) and a repeat with a current cache are reported too. The baseline is the smallest database:
the ratio of p99 at the largest size to p99 at the smallest shows whether the lookups stay flat (indexes).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import NOW, TODAY, chat_of, database_url, ms, percentile, seed
from bot.app import settle_heap
from bot.clock import FakeClock
from bot.storage.db import create_engine
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram.router import Router
from bot.usecases import plan
from engine.decide import simulate

DAYS = 365


async def _pass(coach: Router, picked: list[int], first_update_id: int) -> list[float]:
    latencies: list[float] = []
    for n, i in enumerate(picked):
        started = time.perf_counter()
        outcome = await coach.on_text(chat_of(i), chat_of(i), f"Runner{i}", "what's today?", first_update_id + n)
        latencies.append(time.perf_counter() - started)
        assert outcome.replies, "no answer to what's today?"
    return latencies


def _summary(latencies: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": ms(percentile(latencies, 50)),
        "p99_ms": ms(percentile(latencies, 99)),
        "mean_ms": ms(sum(latencies) / len(latencies)),
    }


async def _measure(db: Path, runners: int, samples: int) -> dict[str, Any]:
    """Three passes over the same sample of runners: yesterday with no cached engine state (the first
    decision after an upgrade), today with yesterday's cached state (every morning: the figure that
    counts), and today again (the cache is current)."""
    engine = create_engine(database_url(db))
    uow = UnitOfWork(engine)
    sessions = uow.sessions
    picked = random.Random(6).sample(range(runners), min(samples, runners))
    settle_heap()  # as the bot does once started (bot/app.py)
    cold = await _pass(Router(uow, FakeClock(NOW - timedelta(days=1))), picked, 1)
    daily = await _pass(Router(uow, FakeClock(NOW)), picked, 1_000_000)
    again = await _pass(Router(uow, FakeClock(NOW)), picked, 2_000_000)
    # where the time goes without the cache, for one runner: loading a year of rows, replaying it
    async with sessions() as session:
        started = time.perf_counter()
        history = await plan.load_history(session, picked[0] + 1, TODAY)
        load_s = time.perf_counter() - started
    assert history is not None
    started = time.perf_counter()
    simulate(history.profile, history.days)
    replay_s = time.perf_counter() - started
    await engine.dispose()
    return {
        "samples": len(picked),
        **_summary(daily),
        "cold": _summary(cold),
        "cache_current": _summary(again),
        "full_load_history_ms": ms(load_s),
        "full_engine_replay_ms": ms(replay_s),
        "days_in_history": len(history.days),
    }


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    sizes = {"tiny": (5, 20), "quick": (50, 500)}.get(size, (1_000, 10_000))
    samples = {"tiny": 10, "quick": 40}.get(size, 300)
    by_size: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="runback-bench-") as tmp:
        where = workdir or Path(tmp)
        for runners in sizes:
            db = where / f"history-{runners}.db"
            seed_s = await asyncio.to_thread(seed, db, runners, due=0, history_days=DAYS, history_runners=runners)
            figures = await _measure(db, runners, samples)
            figures["seed_seconds"] = round(seed_s, 1)
            figures["database_mb"] = round(db.stat().st_size / 1e6, 1)
            by_size[runners] = figures
            db.unlink()
    small, large = by_size[sizes[0]], by_size[sizes[-1]]
    return [
        {
            "name": "history",
            "parameters": {"runners": list(sizes), "history_days": DAYS, "every_runner_has_history": True},
            "figures": {str(n): figures for n, figures in by_size.items()},
            "baseline": {"name": f"the same at {sizes[0]} runners", "p99_ms": small["p99_ms"]},
            "ratio": round(large["p99_ms"] / small["p99_ms"], 3) if small["p99_ms"] else None,
            "targets": {f"{sizes[-1]}.p99_ms": "< 20", "ratio": "~1 (flat)"},
        }
    ]
