"""`updates`: runners answering a full check-in (nine taps, every tap an update), fed by the emulator.

The bot runs in its own process and polls the emulator, which runs here and plays the runners:
- throughput: every runner of cohort A taps its next answer as soon as the bot's next question arrives
  (closed loop, all runners at once): updates per second as fast as the emulator can feed them;
- latency: cohort B taps at a steady 30 per second (open loop: the most Telegram's 30 messages a second
  lets a bot answer for long): p50/p99 from queueing the update to the bot's reply (the check-in message
  edited into the next question, then the plan) arriving at the emulator.
The baseline is a bare python-telegram-bot echo bot (one reply per text message) on the same emulator
configuration in the same run, fed the same way. Neither bot is rate limited here (the emulator is not):
this measures what a bot can handle, not Telegram's limit (see `fanout`).
"""

from __future__ import annotations

import asyncio
import collections
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    CHECKIN_SCRIPT,
    TODAY,
    Child,
    chat_of,
    database_url,
    day_code,
    ms,
    no_collector_pauses,
    percentile,
    register_chats,
    seed,
)
from emulator.models import BotMessage, EmulatorEvent
from emulator.server import BotAPIEmulator

Fire = Callable[[BotAPIEmulator, int, int, BotMessage | None], None]  # emulator, chat, step, last message

STEPS = len(CHECKIN_SCRIPT)


def tap_checkin(emulator: BotAPIEmulator, chat: int, step: int, last: BotMessage | None) -> None:
    field, value = CHECKIN_SCRIPT[step]
    assert last is not None
    emulator.user_presses(chat, last.message_id, f"c:{day_code(TODAY)}:{field}:{value}")


def send_text(emulator: BotAPIEmulator, chat: int, step: int, last: BotMessage | None) -> None:
    emulator.user_sends(chat, f"answer {step + 1}")


class Runners:
    """The user side: which runner taps what next, and how long each reply took."""

    def __init__(self, emulator: BotAPIEmulator, chats: list[int], fire: Fire) -> None:
        self.emulator = emulator
        self.fire = fire
        self.step = dict.fromkeys(chats, 0)
        self.sent_at: dict[int, float] = {}
        self.last: dict[int, BotMessage | None] = {c: emulator.last_message(c) for c in chats}
        self.latencies: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.ready: collections.deque[int] = collections.deque(chats)  # may tap now
        self.remaining = len(chats)
        self.done = asyncio.Event()
        self.first_at: float | None = None
        self.last_reply_at: float | None = None
        self.on_ready: Callable[[int], None] = lambda chat: None
        emulator.add_listener(self._on_event)

    def close(self) -> None:
        self.emulator.remove_listener(self._on_event)

    def tap(self, chat: int) -> None:
        try:
            self.fire(self.emulator, chat, self.step[chat], self.last[chat])
        except (LookupError, AssertionError) as error:
            self.errors[type(error).__name__] += 1
            self._finish(chat)
            return
        now = time.monotonic()
        self.first_at = self.first_at if self.first_at is not None else now
        self.sent_at[chat] = now
        self.step[chat] += 1

    def _finish(self, chat: int) -> None:
        self.remaining -= 1
        if self.remaining == 0:
            self.done.set()

    def _on_event(self, event: EmulatorEvent) -> None:
        chat = event.chat_id
        if chat not in self.step:
            return
        # the reply to a tap: a new message (the echo, the plan), or the check-in message edited into the next
        # question (it has buttons again; the last answer's edit has none and the plan follows it)
        asks_next = event.kind == "edit" and event.message is not None and bool(event.message.buttons)
        if event.kind != "message" and not asks_next:
            return
        sent = self.sent_at.pop(chat, None)
        if sent is None:
            return
        now = time.monotonic()
        self.latencies.append(now - sent)
        self.last_reply_at = now
        self.last[chat] = event.message
        if self.step[chat] < STEPS:
            self.ready.append(chat)
            self.on_ready(chat)
        else:
            self._finish(chat)

    def figures(self) -> dict[str, Any]:
        elapsed = (self.last_reply_at or 0) - (self.first_at or 0)
        count = len(self.latencies)
        return {
            "updates": count,
            "seconds": round(elapsed, 3),
            "updates_per_s": round(count / elapsed, 1) if elapsed > 0 else None,
            "p50_ms": ms(percentile(self.latencies, 50)),
            "p99_ms": ms(percentile(self.latencies, 99)),
            "max_ms": ms(max(self.latencies, default=0.0)),
            "errors": dict(self.errors),
        }


async def closed_loop(emulator: BotAPIEmulator, chats: list[int], fire: Fire, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
    runners = Runners(emulator, chats, fire)
    runners.on_ready = runners.tap  # the next tap as soon as the reply is there
    for chat in chats:
        runners.tap(chat)
    await asyncio.wait_for(runners.done.wait(), timeout)
    runners.close()
    return runners.figures()


async def open_loop(
    emulator: BotAPIEmulator,
    chats: list[int],
    fire: Fire,
    rate: float,
    timeout: float,  # noqa: ASYNC109
) -> dict[str, Any]:
    runners = Runners(emulator, chats, fire)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + timeout
    taps = 0
    while not runners.done.is_set():
        if loop.time() > deadline:
            raise TimeoutError("open-loop feeding did not finish")
        due_at = started + taps / rate
        delay = due_at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if runners.ready:
            runners.tap(runners.ready.popleft())
            taps += 1
        else:
            await asyncio.sleep(0.001)
            started += 0.001  # no runner waiting for a question: the schedule moves on with time
    runners.close()
    figures = runners.figures()
    figures["offered_per_s"] = rate
    return figures


async def _bench_bot(
    workdir: Path,
    kind: str,
    throughput_n: int,
    latency_n: int,
    rate: float,
    timeout: float,  # noqa: ASYNC109
) -> dict[str, Any]:
    emulator = BotAPIEmulator(token="123456:BENCH-TOKEN")
    cohort_a = [chat_of(i) for i in range(throughput_n)]
    cohort_b = [chat_of(i) for i in range(throughput_n, throughput_n + latency_n)]
    async with emulator:
        if kind == "echo":
            child = await Child.start("echo", "--api", emulator.base_url)
            fire: Fire = send_text
        else:
            db = workdir / "updates.db"
            await asyncio.to_thread(seed, db, throughput_n + latency_n)
            register_chats(emulator, throughput_n + latency_n)
            child = await Child.start("serve", "--api", emulator.base_url, "--db", database_url(db), "--morning-round")
            fire = tap_checkin
        ready = await child.read(timeout)
        with no_collector_pauses():
            cpu_before = time.process_time()
            throughput = await closed_loop(emulator, cohort_a, fire, timeout)
            throughput["emulator_cpu_s"] = round(time.process_time() - cpu_before, 2)  # this process: emulator, runners
            latency = await open_loop(emulator, cohort_b, fire, rate, timeout)
        last = await child.stop()
    return {
        "throughput": throughput,
        "latency": latency,
        "prompted": ready.get("prompted"),
        "handled": last.get("handled"),
        "bot_cpu_seconds": last.get("cpu_s"),
        "peak_rss_mb": last.get("peak_rss_mb"),
    }


async def run(size: str, workdir: Path | None = None) -> list[dict[str, Any]]:
    throughput_n = {"tiny": 5, "quick": 60}.get(size, 1_000)
    latency_n = {"tiny": 3, "quick": 15}.get(size, 100)
    # Each tap is answered with a new message, and Telegram takes about 30 messages a second from a bot:
    # 30 taps a second is the most a bot can be asked to answer for long.
    rate = 30.0
    timeout = 600.0
    with tempfile.TemporaryDirectory(prefix="runback-bench-") as tmp:
        where = workdir or Path(tmp)
        echo = await _bench_bot(where, "echo", throughput_n, latency_n, rate, timeout)
        ours = await _bench_bot(where, "runback", throughput_n, latency_n, rate, timeout)
    ours_rate = ours["throughput"]["updates_per_s"]
    echo_rate = echo["throughput"]["updates_per_s"]
    return [
        {
            "name": "updates",
            "parameters": {
                "throughput_runners": throughput_n,
                "latency_runners": latency_n,
                "taps_per_checkin": STEPS,
                "latency_offered_per_s": rate,
                "rate_limits": None,
            },
            "figures": ours,
            "baseline": {"name": "python-telegram-bot echo bot", **echo},
            "ratio": round(ours_rate / echo_rate, 3) if ours_rate and echo_rate else None,
            "targets": {"ratio": ">= 0.5", "latency.p99_ms": "< 50"},
        }
    ]
