"""Progress charts and the PDF report render for any history length, at a fixed size, with pauses shaded."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.charts import PAUSE_COLOUR, DayPoint, progress_png, report_pdf

START = date(2026, 1, 1)


def history(days: int, paused: range = range(0)) -> list[DayPoint]:
    return [
        DayPoint(
            day=START + timedelta(days=i),
            run_minutes=0.0 if i in paused else float((i % 2) * (6 + i // 20)),
            level=1 + i // 40,
            bone_pain=2 if i % 13 == 5 else None,
            paused=i in paused,
            weekly_cap=140.0 if i > 300 else None,
        )
        for i in range(days)
    ]


@pytest.mark.parametrize("days", [0, 1, 120, 365])
def test_any_history_length_renders_an_800_by_400_png(days: int) -> None:
    png = progress_png(history(days))
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, 400)
    assert 5_000 < len(png) < 200_000


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def test_a_pause_is_shaded() -> None:
    # 30 days, x axis from day -1 to day 30 over the axes' 640 pixels (left 10 %, right 90 % of 800):
    # day 15 sits at 80 + 16/31 × 640 ≈ 410 px; the axes span rows 40–328, so row 184 is mid-height.
    with Image.open(io.BytesIO(progress_png(history(30, paused=range(10, 20))))) as image:
        paused_pixel = image.convert("RGB").getpixel((410, 184))
    with Image.open(io.BytesIO(progress_png(history(30)))) as image:
        unpaused_pixel = image.convert("RGB").getpixel((410, 184))
    assert paused_pixel == _rgb(PAUSE_COLOUR)
    assert unpaused_pixel != _rgb(PAUSE_COLOUR)


def test_the_report_is_a_pdf_of_two_pages() -> None:
    pdf = report_pdf(history(28), "RunBack report", ["line one", "line two"], "date  plan\n01 Jan rest")
    assert pdf.startswith(b"%PDF-")
    assert b"/Count 2" in pdf  # the page tree holds two pages: summary and table, then the chart
