"""ActivityWorker: the parse runs in a worker process, bounded in time and memory, off the event loop."""

from __future__ import annotations

import asyncio
import time
from zoneinfo import ZoneInfo

from bot.activity import ActivityLimits, ActivityRejected, ActivitySummary, ActivityWorker, RejectReason, parse_activity
from tests.activity.conftest import CONTINUOUS, RUN_WALK, Files

TZ = ZoneInfo("Pacific/Auckland")


async def test_the_worker_answers_what_parse_activity_answers(files: Files) -> None:
    data = files.get("fit", RUN_WALK)
    async with ActivityWorker() as worker:
        first = await worker.parse(data, "run.fit", TZ)
        pid = worker.pid
        again = await worker.parse(files.get("gpx", RUN_WALK), "run.gpx", TZ)
        assert worker.pid == pid is not None  # one worker serves file after file
    assert worker.pid is None
    assert first == parse_activity(data, "run.fit", TZ)
    assert isinstance(again, ActivitySummary) and again.run_minutes == 6


async def test_the_event_loop_keeps_running_during_a_parse(files: Files) -> None:
    data = files.get("tcx", CONTINUOUS)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async with ActivityWorker() as worker:
        ticker = asyncio.create_task(tick())
        started = time.perf_counter()
        result = await worker.parse(data, "run.tcx", TZ)
        elapsed = time.perf_counter() - started
        ticker.cancel()
    assert isinstance(result, ActivitySummary)
    assert ticks >= elapsed / 0.005 / 4  # the loop ran on while the worker parsed


async def test_a_parse_over_the_time_bound_is_too_slow_and_its_worker_killed(files: Files) -> None:
    data = files.get("gpx", CONTINUOUS)
    async with ActivityWorker(ActivityLimits(timeout_s=0.001)) as slow:
        result = await slow.parse(data, "run.gpx", TZ)
        assert isinstance(result, ActivityRejected) and result.reason == RejectReason.TOO_SLOW
        assert slow.pid is None
    async with ActivityWorker() as worker:  # the bound, not the file: with time it parses
        assert isinstance(await worker.parse(data, "run.gpx", TZ), ActivitySummary)


async def test_a_parse_over_the_memory_bound_is_too_complex() -> None:
    long_name = b"<gpx><trk><name>" + b"a" * 8_000_000 + b"</name><trkseg/></trk></gpx>"
    async with ActivityWorker(ActivityLimits(max_memory_bytes=4 * 1024 * 1024)) as tight:
        result = await tight.parse(long_name, "run.gpx", TZ)
        assert isinstance(result, ActivityRejected) and result.reason == RejectReason.TOO_COMPLEX, result
        assert tight.pid is None  # replaced at the next file
    async with ActivityWorker() as worker:  # the bound, not the file: with memory it is read (and has no points)
        result = await worker.parse(long_name, "run.gpx", TZ)
        assert isinstance(result, ActivityRejected) and result.reason == RejectReason.NOT_ACTIVITY


async def test_size_and_name_are_judged_without_a_worker() -> None:
    async with ActivityWorker() as worker:
        for data, name, reason in [
            (b"", "run.gpx", RejectReason.EMPTY),
            (b"<gpx/>", "run.docx", RejectReason.UNKNOWN_EXTENSION),
            (bytes(21 * 1024 * 1024), "run.fit", RejectReason.TOO_LARGE),
        ]:
            result = await worker.parse(data, name, TZ)
            assert isinstance(result, ActivityRejected) and result.reason == reason
        assert worker.pid is None
