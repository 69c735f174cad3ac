"""`runback run` as an operator meets it: no token, a bad setting, and a stop while Telegram is unreachable."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _runback(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RUNBACK_"))} | env
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_without_a_token_points_to_the_demo(tmp_path: Path) -> None:
    process = _runback(["run"], {"RUNBACK_DATA_DIR": str(tmp_path)})
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in err and "make demo" in err


def test_a_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    process = _runback(["migrate"], {"RUNBACK_LOG_LEVEL": "LOUD", "RUNBACK_DATA_DIR": str(tmp_path)})
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert err.strip().count("\n") == 0 and "RUNBACK_LOG_LEVEL" in err


def test_sigterm_stops_the_bot_while_telegram_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as closed:  # a port with nobody listening: Telegram is unreachable
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    secret = "123456:SECRET-never-logged"
    process = _runback(
        ["run"],
        {
            "TELEGRAM_BOT_TOKEN": secret,
            "RUNBACK_TELEGRAM_API_URL": f"http://127.0.0.1:{port}/bot",
            "RUNBACK_DATA_DIR": str(tmp_path),
        },
    )
    deadline = time.monotonic() + 30
    while not (tmp_path / "runback.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # let it try Telegram and fail at least once
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "unreachable" in err and "RunBack stopped" in err
    assert "SECRET" not in err
