"""The questions of onboarding and settings, declared as one table: for each step its question, its keyboard,
how an answer is read, and what it changes. The order of the steps (what comes next) is in onboarding.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from bot import texts
from bot.dates_typed import parse_typed_date
from bot.i18n import Texts, texts_for
from bot.replies import Button, Keyboard, rows, yes_no_keyboard
from bot.storage import models
from bot.timezones import COMMON_ZONES, format_clock_time, parse_clock_time, parse_time_zone
from bot.usecases import buttons as b
from bot.usecases.context import site_label, whole_number
from bot.usecases.schedule import schedule_prompt
from engine.protocol import SITES

READY_STEPS = ("ready_walk", "ready_daily", "ready_press", "ready_hops")
REDS_STEPS = ("reds_periods", "reds_weight", "reds_eating", "reds_previous")
WEEKLY_MINUTE_CHOICES = (60, 90, 120, 150, 200, 300)
CHECKIN_TIME_CHOICES = (6 * 60, 6 * 60 + 30, 7 * 60, 7 * 60 + 30, 8 * 60, 9 * 60)


@dataclass(frozen=True)
class Refusal:
    """An answer that is not taken: what to say, and whether it ends the flow (consent declined)."""

    text: str
    ends_flow: bool = False


Parse = Callable[[str, date], Any]  # (answer, the runner's today) -> value, or a Refusal


@dataclass(frozen=True)
class Step:
    question: str
    keyboard: Callable[[str], Keyboard]  # of the step's name
    parse: Parse
    typed: bool = False  # a typed answer is read too (not only a button)
    apply_to_user: Callable[[models.User, Any, datetime], None] | None = None
    apply_to_profile: Callable[[models.Profile, Any], None] | None = None


# ------------------------------------------------------------------ keyboards


def _buttons(pairs: list[tuple[str, str]], per_row: int) -> Callable[[str], Keyboard]:
    def keyboard(step: str) -> Keyboard:
        buttons: list[Button] = [(label, b.StepAnswer(step, value)) for label, value in pairs]
        return rows(buttons, per_row)

    return keyboard


def _yes_no(texts: Texts) -> Callable[[str], Keyboard]:
    def keyboard(step: str) -> Keyboard:
        return yes_no_keyboard(lambda value: b.StepAnswer(step, value), with_na=step == "reds_periods", texts=texts)

    return keyboard


def _none(step: str) -> Keyboard:
    return ()


# ------------------------------------------------------------------ reading answers


def _consent(raw: str, today: date) -> bool | Refusal:
    return True if raw == "1" else Refusal(texts.CONSENT_DECLINED, ends_flow=True)


def _time_zone(raw: str, today: date) -> str | Refusal:
    return parse_time_zone(raw) or Refusal(texts.BAD_TIMEZONE)


def _site(raw: str, today: date) -> str | Refusal:
    return raw if raw in SITES else Refusal(texts.FORGED_BUTTON)


def _date(raw: str, today: date, past_only: bool = False) -> str | Refusal:
    parsed = parse_typed_date(raw, today)  # "today" (also the button), "3 weeks ago", "14.09.", ISO, ...
    if parsed is None:
        return Refusal(texts.BAD_DATE)
    if past_only and parsed > today:
        return Refusal(texts.FUTURE_DATE)
    return parsed.isoformat()


def _weekly_minutes(raw: str, today: date) -> int | Refusal:
    minutes = whole_number(raw.strip(), 10080)
    return minutes if minutes else Refusal(texts.BAD_MINUTES)  # 0 too: a runner ran before the injury


def _runs_per_week(raw: str, today: date) -> int | Refusal:
    return int(raw) if raw in {str(n) for n in range(1, 8)} else Refusal(texts.FORGED_BUTTON)


def _clock_time(raw: str, today: date) -> int | Refusal:
    minute = parse_clock_time(raw)
    return minute if minute is not None else Refusal(texts.BAD_TIME)


def _yes_no_answer(with_na: bool = False) -> Parse:
    def parse(raw: str, today: date) -> bool | Refusal:
        if raw in ("1", "0") or (with_na and raw == "na"):
            return raw == "1"
        return Refusal(texts.FORGED_BUTTON)

    return parse


# ------------------------------------------------------------------ what an answer changes


def _set_consent(user: models.User, value: bool, now: datetime) -> None:
    user.consented_at = now


def _set_time_zone(user: models.User, value: str, now: datetime) -> None:
    user.time_zone = value
    if user.onboarded_at is not None:
        schedule_prompt(user, now)


def _set_checkin_time(user: models.User, value: int, now: datetime) -> None:
    user.checkin_minute = value


def _profile_setter(
    attribute: str, convert: Callable[[Any], Any] = lambda v: v
) -> Callable[[models.Profile, Any], None]:
    def apply(profile: models.Profile, value: Any) -> None:
        setattr(profile, attribute, convert(value))

    return apply


def _set_cleared(profile: models.Profile, value: bool) -> None:
    if value is False:
        profile.cleared_to_run_on = None


def _reds_answer(step: str) -> Callable[[models.Profile, Any], None]:
    def apply(profile: models.Profile, value: bool) -> None:
        answers = dict(profile.reds_answers or {})
        answers[step.removeprefix("reds_")] = value
        profile.reds_answers = answers
        profile.reds_positive = sum(1 for v in answers.values() if v is True)

    return apply


# ------------------------------------------------------------------ the table


@cache
def steps_in(code: str) -> dict[str, Step]:
    """The table in one language (its questions and buttons; answers read the same in every language)."""
    texts = texts_for(code)
    not_yet = [(texts.YES, "1"), (texts.NOT_YET, "0")]
    yes_no = _yes_no(texts)

    return {
        "consent": Step(
            texts.WELCOME, _buttons([(texts.AGREE, "1"), (texts.DECLINE, "0")], 2), _consent, apply_to_user=_set_consent
        ),
        "timezone": Step(
            texts.ASK_TIMEZONE,
            _buttons([(z, z) for z in COMMON_ZONES], 2),
            _time_zone,
            typed=True,
            apply_to_user=_set_time_zone,
        ),
        "site": Step(
            texts.ASK_SITE,
            _buttons([(site_label(k, texts=texts), k) for k in SITES], 2),
            _site,
            apply_to_profile=_profile_setter("injury_site"),
        ),
        "diagnosed": Step(
            texts.ASK_DIAGNOSED,
            _none,
            lambda raw, today: _date(raw, today, past_only=True),
            typed=True,
            apply_to_profile=_profile_setter("diagnosed_on", date.fromisoformat),
        ),
        "cleared": Step(texts.ASK_CLEARED, _buttons(not_yet, 2), _yes_no_answer(), apply_to_profile=_set_cleared),
        "cleared_date": Step(
            texts.ASK_CLEARED_DATE,
            _buttons([(texts.TODAY_BUTTON, "today")], 1),
            _date,
            typed=True,
            apply_to_profile=_profile_setter("cleared_to_run_on", date.fromisoformat),
        ),
        "weekly_minutes": Step(
            texts.ASK_WEEKLY_MINUTES,
            _buttons([(str(m), str(m)) for m in WEEKLY_MINUTE_CHOICES], 3),
            _weekly_minutes,
            typed=True,
            apply_to_profile=_profile_setter("pre_injury_weekly_minutes"),
        ),
        "runs_per_week": Step(
            texts.ASK_RUNS_PER_WEEK,
            _buttons([(str(n), str(n)) for n in range(1, 8)], 7),
            _runs_per_week,
            apply_to_profile=_profile_setter("pre_injury_runs_per_week"),
        ),
        **{
            step: Step(
                (f"{texts.READINESS_INTRO}\n\n" if step == READY_STEPS[0] else "")
                + texts.READINESS_QUESTIONS[step.removeprefix("ready_")],
                yes_no,
                _yes_no_answer(),
            )
            for step in READY_STEPS
        },
        **{
            step: Step(
                (f"{texts.REDS_INTRO}\n\n" if step == REDS_STEPS[0] else "")
                + texts.REDS_QUESTIONS[step.removeprefix("reds_")],
                yes_no,
                _yes_no_answer(with_na=step == "reds_periods"),
                apply_to_profile=_reds_answer(step),
            )
            for step in REDS_STEPS
        },
        "reds_review": Step(texts.ASK_REDS_REVIEW, _buttons(not_yet, 2), _yes_no_answer()),
        "checkin_time": Step(
            texts.ASK_CHECKIN_TIME,
            _buttons([(format_clock_time(m), format_clock_time(m)) for m in CHECKIN_TIME_CHOICES], 3),
            _clock_time,
            typed=True,
            apply_to_user=_set_checkin_time,
        ),
    }


STEPS = steps_in("en")  # the steps' names and how answers are read (the same in every language)
TYPED_STEPS = frozenset(name for name, step in STEPS.items() if step.typed)
