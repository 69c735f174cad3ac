"""The report's first page: every fact a physio needs is on it, and it renders."""

from __future__ import annotations

import io
from datetime import date, timedelta

from bot.report_page import EVENT_LINE_CHARS, FirstPage, PainDay, first_page_figure, percent

D0 = date(2026, 10, 1)


def _page(days: int = 28, events: int = 2) -> FirstPage:
    return FirstPage(
        title="RunBack report: Ana",
        period=(D0, D0 + timedelta(days=days - 1)),
        stage_today="Level 4: 6 x (3 min run / 2 min walk), alternate days",
        adjustment="stay at level 4 or below (Dr Jones, clinician, 2026-10-20)",
        checkins_done=25,
        checkins_expected=28,
        sessions_done=9,
        sessions_prescribed=11,
        days=[
            PainDay(D0 + timedelta(days=i), 18.0 if i % 2 == 0 else 0.0, 0, 1 if i == 8 else 0, 2 if i == 9 else 0)
            for i in range(days)
        ],
        events=[
            (D0 + timedelta(days=9 + i), f"pause: pain when walking 4/10 [pause_walking_pain] #{i}")
            for i in range(events)
        ],
    )


def _texts(page: FirstPage) -> str:
    figure = first_page_figure(page)
    text = "\n".join(t.get_text() for t in figure.texts)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=40)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return text


def test_the_first_page_holds_stage_adjustment_adherence_and_events() -> None:
    text = _texts(_page())
    assert "Level 4" in text and "stay at level 4 or below (Dr Jones" in text
    assert "25 of 28 days (89 %)" in text and "9 of 11 (82 %)" in text
    assert "2026-10-10  pause: pain when walking 4/10 [pause_walking_pain]" in text


def test_a_long_period_lists_at_most_twelve_events_and_points_to_the_table() -> None:
    text = _texts(_page(events=20))
    assert "... and 8 more in the daily table" in text


def test_no_days_and_no_adjustment_read_plainly() -> None:
    empty = FirstPage("RunBack report", (D0, D0), "not running yet", None, 0, 0, 0, 0, [], [])
    text = _texts(empty)
    assert "none (the protocol as written)" in text and "none in this period" in text and "(-)" in text
    assert percent(0, 0) == "-" and percent(1, 3) == "33 %"


def test_a_long_event_wraps_under_its_text_and_paused_days_are_shaded() -> None:
    long = "pause: pain when walking 7/10 (the pause line is 3) [pause_walking_pain]; resumed 2026-10-16 " * 2
    page = FirstPage(
        "RunBack report", (D0, D0 + timedelta(days=1)), "Paused since 2026-10-01", None, 1, 2, 0, 0,
        [PainDay(D0, paused=True), PainDay(D0 + timedelta(days=1))], [(D0, long.strip())],
    )
    figure = first_page_figure(page)
    listing = next(t.get_text() for t in figure.texts if t.get_text().startswith("2026-10-01  pause:"))
    lines = listing.splitlines()
    assert len(lines) > 1 and all(len(line) <= EVENT_LINE_CHARS for line in lines)
    assert all(line.startswith(" " * len("2026-10-01  ")) for line in lines[1:])
    labels = [t.get_text() for axis in figure.axes if axis.get_legend() for t in axis.get_legend().get_texts()]
    assert "paused" in labels
