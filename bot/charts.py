"""Progress pictures: a PNG chart and a PDF report, drawn with matplotlib's Agg and PDF backends."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.i18n import texts_for

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bot.report_page import FirstPage


def _matplotlib() -> tuple[Any, Any, Any]:
    """matplotlib's dates, pyplot and PdfPages, imported at the first chart: matplotlib is ~60 MB of the
    bot's memory and most runners never ask for a chart (see the memory benchmark)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: render to memory
    from matplotlib import dates, pyplot
    from matplotlib.backends.backend_pdf import PdfPages

    return dates, pyplot, PdfPages


CHART_SIZE_IN = (8.0, 4.0)
CHART_DPI = 100  # 800 × 400 pixels
PAUSE_COLOUR = "#f4b6b6"
RUN_COLOUR = "#2f7ed8"
LEVEL_COLOUR = "#222222"
PAIN_COLOUR = "#d62728"
CAP_COLOUR = "#7f7f7f"


@dataclass(frozen=True)
class DayPoint:
    day: date
    run_minutes: float = 0.0
    level: int | None = None
    bone_pain: int | None = None  # the worst of the day's session and check-in pain scores
    paused: bool = False
    weekly_cap: float | None = None  # build phase: the week's target minutes


def _day_number(day: date) -> float:
    """matplotlib's number for a day (one unit a day), so that the x axis can be formatted as dates."""
    mdates, _, _ = _matplotlib()
    return float(mdates.date2num(day))


def _figure(points: Sequence[DayPoint], title: str, language: str) -> Figure:
    texts = texts_for(language)  # the chart's words in the reader's language
    _, plt, _ = _matplotlib()
    figure: Figure
    figure, minutes_axis = plt.subplots(figsize=CHART_SIZE_IN, dpi=CHART_DPI)
    if not points:
        minutes_axis.text(0.5, 0.5, texts.CHART_EMPTY, ha="center", va="center", transform=minutes_axis.transAxes)
        minutes_axis.set_axis_off()
        figure.suptitle(title)
        return figure
    x = [_day_number(p.day) for p in points]
    # pauses first, so that bars and lines are drawn over the shading
    start: float | None = None
    for point in [*points, DayPoint(points[-1].day + timedelta(days=1))]:
        day_number = _day_number(point.day)
        if point.paused and start is None:
            start = day_number
        elif not point.paused and start is not None:
            minutes_axis.axvspan(start - 0.5, day_number - 0.5, color=PAUSE_COLOUR, lw=0)
            start = None
    # vlines draws one collection instead of one rectangle per day: several times faster for a year
    minutes_axis.vlines(
        x,
        0,
        [p.run_minutes for p in points],
        color=RUN_COLOUR,
        lw=max(1.0, 400 / len(points)),
        label=texts.CHART_RUN_MINUTES,
    )
    caps = [(xi, p.weekly_cap / 7) for xi, p in zip(x, points, strict=True) if p.weekly_cap]
    if caps:
        minutes_axis.plot(
            [d for d, _ in caps], [c for _, c in caps], color=CAP_COLOUR, ls="--", label=texts.CHART_WEEKLY_CAP
        )
    minutes_axis.set_ylabel(texts.CHART_RUN_MINUTES)
    minutes_axis.set_ylim(bottom=0, top=max(10.0, *(p.run_minutes for p in points)) * 1.2)
    level_axis = minutes_axis.twinx()
    level_axis.step(
        x,
        [p.level if p.level is not None else float("nan") for p in points],
        where="mid",
        color=LEVEL_COLOUR,
        label=texts.CHART_LEVEL,
    )
    pains = [(xi, p.bone_pain) for xi, p in zip(x, points, strict=True) if p.bone_pain]
    if pains:
        level_axis.scatter(
            [d for d, _ in pains],
            [v for _, v in pains],
            color=PAIN_COLOUR,
            marker="x",
            zorder=5,
            label=texts.CHART_BONE_PAIN,
        )
    level_axis.set_ylim(0, 11)
    level_axis.set_ylabel(texts.CHART_LEVEL_AND_PAIN)
    minutes_axis.set_xlim(x[0] - 1, x[-1] + 1)
    minutes_axis.xaxis_date()
    figure.autofmt_xdate()
    figure.suptitle(title)
    handles = minutes_axis.get_legend_handles_labels()[0] + level_axis.get_legend_handles_labels()[0]
    minutes_axis.legend(handles=handles, loc="upper left", fontsize="small")
    figure.subplots_adjust(left=0.1, right=0.9, top=0.9, bottom=0.18)
    return figure


def progress_png(points: Sequence[DayPoint], title: str = texts.CHART_DEFAULT_TITLE, language: str = "en") -> bytes:
    """An 800 × 400 PNG: run minutes as bars, level as a step line, bone pain as crosses, pauses shaded."""
    _, plt, _ = _matplotlib()
    figure = _figure(points, title, language)
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=CHART_DPI)
    finally:
        plt.close(figure)
    return buffer.getvalue()


def report_pdf(
    points: Sequence[DayPoint],
    title: str,
    summary_lines: Sequence[str],
    table: str,
    first: FirstPage | None = None,
    language: str = "en",
) -> bytes:
    """A PDF for the clinician: the first page that reads in a minute (when given), then a summary with the
    daily table, then the chart."""
    _, plt, PdfPages = _matplotlib()
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        if first is not None:
            from bot.report_page import first_page_figure

            opening = first_page_figure(first, language)
            try:
                pdf.savefig(opening)
            finally:
                plt.close(opening)
        page = plt.figure(figsize=(8.27, 11.69))  # A4
        try:
            page.text(0.06, 0.96, title, fontsize=16, va="top")
            page.text(0.06, 0.92, "\n".join(summary_lines), fontsize=10, va="top")
            page.text(0.06, 0.80, table, fontsize=7.5, va="top", family="monospace")
            pdf.savefig(page)
        finally:
            plt.close(page)
        chart = _figure(points, title, language)
        try:
            pdf.savefig(chart)
        finally:
            plt.close(chart)
    return buffer.getvalue()
