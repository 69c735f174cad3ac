"""The 4-weekly report's first page: what a physio reads in a minute (issue 16).

Stage and level today, the care-team adjustment in force, adherence, one chart of bone pain (during,
after, next morning) against run minutes, and the red flags and pauses with their dates and rules. Drawn
with matplotlib (imported lazily, like bot/charts.py); the daily table follows on the next pages.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from bot.i18n import Texts, texts_for

if TYPE_CHECKING:
    from matplotlib.figure import Figure

A4_PORTRAIT_IN = (8.27, 11.69)
RUN_COLOUR = "#2f7ed8"
PAIN_COLOURS = {"during": "#d62728", "after": "#ff7f0e", "next morning": "#9467bd"}
PAUSE_COLOUR = "#f4b6b6"  # as in the progress chart
MAX_EVENTS_SHOWN = 12  # a page, not a log: the rest are in the daily table
EVENT_LINE_CHARS = 96  # what fits across the page in 9-point monospace; longer lines wrap under their text


@dataclass(frozen=True)
class PainDay:
    day: date
    run_minutes: float = 0.0
    pain_during: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    paused: bool = False  # shaded: why a run day has no run


@dataclass(frozen=True)
class FirstPage:
    title: str
    period: tuple[date, date]
    stage_today: str  # e.g. "Level 4: 6 x (3 min run / 2 min walk), alternate days"
    adjustment: str | None  # the adjustment in force in plain words, with who set it and when
    checkins_done: int
    checkins_expected: int
    sessions_done: int
    sessions_prescribed: int
    days: Sequence[PainDay]
    events: Sequence[tuple[date, str]]  # red flags and pauses: (date, "pause: ... [rule_id]")


def percent(done: int, expected: int) -> str:
    """Adherence as people read it; no expected days reads as a dash, never as 100 %."""
    if expected <= 0:
        return "-"
    return f"{round(100 * done / expected)} %"


def _matplotlib() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def _chart(figure: Figure, page: FirstPage, texts: Texts) -> None:
    axis = figure.add_axes((0.1, 0.45, 0.8, 0.27))
    if not page.days:
        axis.text(0.5, 0.5, texts.FIRST_PAGE_NO_DAYS, ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
        return
    x = list(range(len(page.days)))
    first_paused = _first_paused(page)
    for xi, day in zip(x, page.days, strict=True):
        if day.paused:
            label = texts.FIRST_PAGE_PAUSED if xi == first_paused else None
            axis.axvspan(xi - 0.5, xi + 0.5, color=PAUSE_COLOUR, lw=0, label=label)
    axis.bar(x, [d.run_minutes for d in page.days], color=RUN_COLOUR, label=texts.CHART_RUN_MINUTES)
    axis.set_ylabel(texts.CHART_RUN_MINUTES)
    axis.set_ylim(0, max(10.0, *(d.run_minutes for d in page.days)) * 1.2)
    pain_axis = axis.twinx()
    for label, values in (
        ("during", [d.pain_during for d in page.days]),
        ("after", [d.pain_after for d in page.days]),
        ("next morning", [d.pain_next_morning for d in page.days]),
    ):
        # only pain above 0 is marked, so a clean month is a clean chart (the caption says so)
        shown = [(xi, v) for xi, v in zip(x, values, strict=True) if v]
        if shown:
            pain_axis.scatter(
                [xi for xi, _ in shown], [v for _, v in shown], s=28, marker="o",
                color=PAIN_COLOURS[label], label=texts.FIRST_PAGE_PAIN_SERIES[label], zorder=5,
            )
    pain_axis.set_ylim(0, 10.5)
    pain_axis.set_ylabel(texts.FIRST_PAGE_PAIN_AXIS)
    step = max(1, len(x) // 7)
    ticks = [format_date(d.day, "dd MMM", locale=texts.language.code) for d in page.days]
    axis.set_xticks(x[::step], ticks[::step], fontsize=8)
    handles = axis.get_legend_handles_labels()[0] + pain_axis.get_legend_handles_labels()[0]
    axis.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=4, fontsize="small", frameon=False)
    axis.set_title(texts.FIRST_PAGE_CHART_TITLE, fontsize=11, pad=24)
    axis.text(0, -0.16, texts.FIRST_PAGE_CHART_NOTE, fontsize=8,
              transform=axis.transAxes)


def _first_paused(page: FirstPage) -> int | None:
    return next((i for i, day in enumerate(page.days) if day.paused), None)


def _event_lines(day: date, text: str) -> list[str]:
    """One event, its text wrapped under itself after the date."""
    head = f"{day.isoformat()}  "
    wrapped = textwrap.wrap(text, EVENT_LINE_CHARS - len(head), break_on_hyphens=False) or [""]
    return [head + wrapped[0], *(" " * len(head) + rest for rest in wrapped[1:])]


def first_page_figure(page: FirstPage, language: str = "en") -> Figure:
    texts = texts_for(language)  # the page's words in the reader's language
    plt = _matplotlib()
    figure: Figure = plt.figure(figsize=A4_PORTRAIT_IN)
    start, end = page.period
    figure.text(0.06, 0.96, page.title, fontsize=16, va="top")
    period = texts.FIRST_PAGE_PERIOD.format(first=start.isoformat(), last=end.isoformat())
    figure.text(0.06, 0.93, period, fontsize=10, va="top")
    facts = [
        texts.FIRST_PAGE_TODAY.format(stage=page.stage_today),
        texts.FIRST_PAGE_ADJUSTMENT.format(adjustment=page.adjustment or texts.FIRST_PAGE_NO_ADJUSTMENT),
        texts.FIRST_PAGE_CHECKINS.format(
            done=page.checkins_done, expected=page.checkins_expected,
            percent=percent(page.checkins_done, page.checkins_expected),
        ),
        texts.FIRST_PAGE_SESSIONS.format(
            done=page.sessions_done, expected=page.sessions_prescribed,
            percent=percent(page.sessions_done, page.sessions_prescribed),
        ),
    ]
    figure.text(0.06, 0.89, "\n".join(facts), fontsize=11, va="top", linespacing=1.6)
    _chart(figure, page, texts)
    shown = list(page.events[:MAX_EVENTS_SHOWN])
    lines = [line for day, text in shown for line in _event_lines(day, text)] or [texts.FIRST_PAGE_NO_EVENTS]
    if len(page.events) > len(shown):
        lines.append(texts.FIRST_PAGE_MORE_EVENTS.format(n=len(page.events) - len(shown)))
    figure.text(0.06, 0.38, texts.FIRST_PAGE_EVENTS, fontsize=12, va="top")
    figure.text(0.06, 0.355, "\n".join(lines), fontsize=9, va="top", family="monospace")
    return figure
