"""`runback demo` with its input piped: the walk-through of docs/demo.md (docs/demo-script.txt) runs as shown."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.config import load_settings
from bot.demo import DEFAULT_START, MediaFolder, opened_link, play
from bot.storage.migrate import upgrade
from emulator.models import StoredFile

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
    assert out.count("Good morning, Demo!") == 3  # /checkin on day 1, the morning prompts on days 2 and 3
    assert "⏸ Your plan is paused." in out and "I can't resume the plan yet." in out
    assert out.rstrip().endswith("Demo ended.")
    assert (tmp_path / "runback.db").exists()
    _the_clinicians_side(out, tmp_path)


def _saved(out: str, what: str) -> Path:
    match = re.search(rf"\[{re.escape(what)} saved: (\S+)\]", out)
    assert match, out
    return Path(match.group(1))


def _the_clinicians_side(out: str, tmp_path: Path) -> None:
    """The walk-through plays the clinician too, and keeps the pictures and files the bot sent."""
    # the clinician opens the runner's /share link, accepts, and the runner confirms them
    assert "(you are now Dr Jones, a clinician; :as runner to be the runner again)" in out
    assert re.search(r"you as Dr Jones: /start [A-Za-z0-9_-]{32} \(the link opens the chat with this\)", out)
    assert "bot → Demo: Dr Jones accepted your invitation as your clinician" in out
    assert "bot → Dr Jones: Demo confirmed you." in out
    # the runner's pause reaches the clinician at once; the clinician clears it from /runners the next day
    assert "bot → Dr Jones: ⏸ Demo's plan is paused (2026-10-02)." in out
    assert "you as Dr Jones tapped: Demo (clinician)" in out and "Demo: plan PAUSED." in out
    assert "bot → Demo: Dr Jones cleared you to resume running on 2026-10-03." in out
    # the resume alert to the care team waits out the 10-minute storm window (docs/care-team.md, Alerts);
    # the clinician who cleared it has the record of their own clearance at once
    assert "▶ Your plan is resumed." in out and "Recorded: you cleared Demo to resume on 2026-10-03." in out
    # the chart and both copies of the report are files in the demo's folder
    chart = _saved(out, "photo")
    assert chart.parent == tmp_path and chart.read_bytes().startswith(b"\x89PNG")
    runner_copy = _saved(out, "file runback-report-2026-10-03.pdf")
    assert runner_copy == tmp_path / "runback-report-2026-10-03.pdf" and runner_copy.read_bytes().startswith(b"%PDF-")
    assert "bot → Dr Jones: [file runback-report-2026-10-03.pdf saved: " in out
    assert (tmp_path / "runback-report-2026-10-03-2.pdf").read_bytes() == runner_copy.read_bytes()


def test_switching_people_and_opening_links_by_hand(tmp_path: Path) -> None:
    script = "\n".join(
        [":as", ":as physio", ":as coach", ":open", "https://t.me/someone_else_bot?start=abc", ":as runner", ":quit"]
    )
    out = _demo(script + "\n", tmp_path).stdout
    assert "(use :as runner or :as clinician or :as coach)" in out
    assert "(you are now Coach Kim, a coach; :as runner to be the runner again)" in out
    assert "(no link yet: as the runner, send /share and choose who to invite)" in out
    # a link to another bot is just text (no /start): the bot answers a stranger's text
    assert "you as Coach Kim: https://t.me/someone_else_bot?start=abc\n" in out
    assert "(you are the runner again)" in out


def test_a_link_opens_as_telegram_opens_it_and_pictures_get_their_own_names(tmp_path: Path) -> None:
    assert opened_link("https://t.me/runback_demo_bot?start=AbC_d-1", "runback_demo_bot") == "/start AbC_d-1"
    assert opened_link("https://t.me/other_bot?start=AbC", "runback_demo_bot") is None
    assert opened_link("see https://t.me/runback_demo_bot?start=AbC", "runback_demo_bot") is None
    folder = MediaFolder(tmp_path)

    def stored(kind: str, name: str | None, content: bytes | None) -> StoredFile:
        return StoredFile("id", "uid", kind, name, None, content)

    assert folder.save(stored("photo", None, b"\x89PNG1")) == tmp_path / "chart-1.png"
    assert folder.save(stored("photo", None, b"\x89PNG2")) == tmp_path / "chart-2.png"
    assert folder.save(stored("document", "../r.pdf", b"%PDF-1")) == tmp_path / "r.pdf"  # never outside the folder
    assert folder.save(stored("document", "r.pdf", b"%PDF-2")) == tmp_path / "r-2.pdf"
    assert folder.save(stored("document", "by-url.pdf", None)) is None
    assert (tmp_path / "chart-2.png").read_bytes() == b"\x89PNG2" and (tmp_path / "r.pdf").read_bytes() == b"%PDF-1"


def test_start_then_quit_and_bad_demo_commands(tmp_path: Path) -> None:
    result = _demo("/start\n:time 25:99\n:bogus\n42\n:quit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Do you agree?" in result.stdout
    assert "(use :time HH:MM" in result.stdout
    assert "(unknown demo command" in result.stdout
    assert "(no button 42" in result.stdout


def test_an_interactive_prompt_names_who_you_are(tmp_path: Path) -> None:
    settings = load_settings({"RUNBACK_DATA_DIR": str(tmp_path)})
    upgrade(settings.database_url)
    lines = iter([":as clinician\n", ":as runner\n", ":quit\n"])
    out = io.StringIO()
    assert asyncio.run(play(settings, DEFAULT_START, lambda: next(lines), out, prompt=True)) == 0
    text = out.getvalue()
    assert text.index("Demo (runner)> ") < text.index("Dr Jones (clinician)> ") < text.rindex("Demo (runner)> ")


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
