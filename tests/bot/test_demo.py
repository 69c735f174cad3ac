"""`runback demo` with its input piped: the walk-through of docs/demo.md (docs/demo-script.txt) runs as shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _demo(stdin: str, tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RUNBACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--data-dir", str(tmp_path), *options],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_the_scripted_walk_through(tmp_path: Path) -> None:
    result = _demo((ROOT / "docs" / "demo-script.txt").read_text(), tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "All set! Your check-in will arrive every morning at 07:00 (Europe/Berlin)" in out
    assert "Level 1 today. Run 1 min, walk 4 min, 6 times (30 min)." in out
    assert "Logged your session for today." in out
    assert "(the clock is now Fri 2026-10-02 07:00 your time)" in out
    assert out.count("Good morning, Demo!") == 2  # /checkin on day 1, the morning prompt on day 2
    assert "⏸ Your plan is paused." in out and "I can't resume the plan yet." in out
    assert out.rstrip().endswith("Demo ended.")
    assert (tmp_path / "runback.db").exists()


def test_start_then_quit_and_bad_demo_commands(tmp_path: Path) -> None:
    result = _demo("/start\n:time 25:99\n:bogus\n42\n:quit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Do you agree?" in result.stdout
    assert "(use :time HH:MM" in result.stdout
    assert "(unknown demo command" in result.stdout
    assert "(no button 42" in result.stdout


def test_the_sample_watch_file_is_sent_and_logged(tmp_path: Path) -> None:
    onboarding = (ROOT / "docs" / "demo-script.txt").read_text().splitlines()[:19]  # up to the check-in time
    script = [
        *onboarding,
        "/checkin",
        "1",
        "5",
        "3",
        f":send {ROOT / 'docs' / 'sample-run.gpx'}",
        "1",
        "1",
        "4",
        ":send nowhere",
        ":quit",
    ]
    result = _demo("\n".join(script) + "\n", tmp_path, "--start", "2026-09-14")  # the sample's day
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "you: [file sample-run.gpx]" in out
    assert "You ran 6 of the 6 prescribed minutes: that counts as done as planned." in out
    assert "GPX file, 40 min: 6 running and 34 walking" in out
    assert "Logged your session for today." in out
    assert "(use :send PATH" in out
