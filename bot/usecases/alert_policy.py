"""When the care team hears about a runner (issue 16): pure decisions, no Telegram, no SQL, no clock.

- Missed check-ins: after 2 days without a check-in the runner gets one gentle nudge; after the follower
  threshold (3 days by default, a clinician may set 2-7) each follower gets one alert, and one more when
  the runner checks in again.
- No alert storms: several alerts about one runner within 10 minutes reach a follower as one message.
  A pause alert is never held back (safety): it goes at once, carrying whatever was waiting. Other alerts
  wait up to 10 minutes and go as one message; one that comes within 10 minutes of a message already
  sent is added to that message (an edit, no second notification).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

NUDGE_AFTER_DAYS = 2
ALERT_AFTER_DAYS = 3
ALERT_AFTER_RANGE = (2, 7)
STORM_WINDOW = timedelta(minutes=10)


# ---- missed check-ins -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SilenceState:
    """What was already said about the runner's current silence (reset by their next check-in)."""

    nudged: bool = False
    followers_alerted: bool = False


@dataclass(frozen=True)
class SilenceActions:
    nudge_runner: bool = False
    alert_followers: bool = False  # "no check-in since <day>"
    back_alert: bool = False  # "checked in again after <n> days"
    state: SilenceState = SilenceState()


def silent_days(last_checkin: date | None, started_on: date, today: date) -> int:
    """Whole days since the last check-in (or since the start), today not counted."""
    reference = last_checkin if last_checkin is not None else started_on - timedelta(days=1)
    return max(0, (today - reference).days - 1)


def missed_checkins(
    last_checkin: date | None, started_on: date, today: date, state: SilenceState, alert_after: int = ALERT_AFTER_DAYS
) -> SilenceActions:
    """What the round does today for a runner without today's check-in yet."""
    low, high = ALERT_AFTER_RANGE
    alert_after = min(high, max(low, alert_after))
    silent = silent_days(last_checkin, started_on, today)
    nudge = silent >= NUDGE_AFTER_DAYS and not state.nudged
    alert = silent >= alert_after and not state.followers_alerted
    return SilenceActions(
        nudge_runner=nudge,
        alert_followers=alert,
        state=SilenceState(state.nudged or nudge, state.followers_alerted or alert),
    )


def checked_in(state: SilenceState) -> SilenceActions:
    """The runner checked in: the silence ends; followers who were alerted hear that they are back."""
    return SilenceActions(back_alert=state.followers_alerted, state=SilenceState())


# ---- alert storms ---------------------------------------------------------------------------------------


class AlertKind(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    DROP_BACK = "drop_back"
    MISSED_CHECKINS = "missed_checkins"
    BACK = "back"
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True)
class Sent:
    """The last alert message sent to this follower about this runner."""

    at: datetime
    message_id: int
    text: str


class Delivery(StrEnum):
    SEND = "send"  # a new message now
    EDIT = "edit"  # add to the message sent within the window
    HOLD = "hold"  # wait until `due`, then send everything held as one message


@dataclass(frozen=True)
class AlertPlan:
    delivery: Delivery
    lines: tuple[str, ...]  # the alert lines of the message to send or the whole edited text
    due: datetime | None = None
    message_id: int | None = None


def plan_alert(
    kind: AlertKind, line: str, now: datetime, last_sent: Sent | None, held: Sequence[str],
    first_held_at: datetime | None,
) -> AlertPlan:
    """How one new alert about a runner reaches one follower. Other alerts wait at most the window
    (so that a burst is one message), a pause never waits."""
    if kind is AlertKind.PAUSE:
        return AlertPlan(Delivery.SEND, (*held, line))
    if last_sent is not None and now - last_sent.at < STORM_WINDOW:
        return AlertPlan(Delivery.EDIT, (last_sent.text, line), message_id=last_sent.message_id)
    return AlertPlan(Delivery.HOLD, (*held, line), due=(first_held_at or now) + STORM_WINDOW)
