"""Builders shared by the engine tests: profiles, check-ins, and a runner who follows the coach."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from engine import (
    Action,
    CheckIn,
    Day,
    Decision,
    EngineState,
    Event,
    Profile,
    Session,
    SessionDone,
    step,
)

D0 = date(2026, 10, 1)
SEEN: set[str] = set()
"""Every reason identifier any Runner has seen in a decision (read by the rule-coverage test)."""

OK = CheckIn(0, 0, 0, False, False, False, False, 7.5, 2)
READY = (Event.READINESS_CONFIRMED,)


def profile(
    site: str = "metatarsal_shaft",
    cleared: date | None = D0,
    weekly: int = 200,
    runs: int = 4,
    reds: int = 0,
) -> Profile:
    return Profile(site, date(2026, 8, 20), cleared, weekly, runs, reds)


def ci(**changes: object) -> CheckIn:
    return replace(OK, **changes)  # type: ignore[arg-type]


def clean(decision: Decision) -> Session | None:
    """Do exactly what was prescribed, pain-free; nothing on non-run days."""
    if decision.action is Action.RUN_WALK:
        return Session(SessionDone.AS_PRESCRIBED, decision.run_minutes, 0, 0, 3)
    return None


def pain(during: int, after: int) -> Callable[[Decision], Session | None]:
    def session(decision: Decision) -> Session | None:
        if decision.action is Action.RUN_WALK:
            return Session(SessionDone.AS_PRESCRIBED, decision.run_minutes, during, after, 4)
        return None

    return session


def done(kind: SessionDone, minutes: float | None = None) -> Callable[[Decision], Session | None]:
    def session(decision: Decision) -> Session | None:
        if decision.action is Action.RUN_WALK:
            return Session(kind, minutes, 0, 0, 3)
        return None

    return session


SessionPlan = Callable[[Decision], Session | None] | Session | None


@dataclass
class Runner:
    """Lives day by day: decides with the session unknown, then reports the session; checks that the
    decision does not depend on the day's own session."""

    profile: Profile = field(default_factory=profile)
    date: date = D0
    state: EngineState = field(default_factory=EngineState)
    days: list[Day] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def day(
        self,
        checkin: CheckIn | None = OK,
        session: SessionPlan = clean,
        events: Iterable[Event] = (),
    ) -> Decision:
        ev = tuple(events)
        decision, _ = step(self.profile, self.state, Day(self.date, checkin, None, ev))
        actual = session(decision) if callable(session) else session
        today = Day(self.date, checkin, actual, ev)
        again, self.state = step(self.profile, self.state, today)
        assert again == decision, "a day's decision must not use that day's session"
        self.days.append(today)
        self.decisions.append(decision)
        SEEN.update(decision.reasons)
        self.date += timedelta(days=1)
        return decision

    def skip(self, n: int) -> None:
        """n calendar days the runner never reports (not listed in the history)."""
        self.date += timedelta(days=n)

    def idle(self, n: int) -> None:
        """n calendar days listed without a check-in or a session (each decided: rest)."""
        for _ in range(n):
            self.day(None, None)

    def days_clean(self, n: int, checkin: CheckIn | None = OK) -> list[Decision]:
        return [self.day(checkin) for _ in range(n)]

    def until(self, predicate: Callable[[Decision], bool], limit: int = 200) -> Decision:
        """Follow the plan pain-free until a decision matches."""
        for _ in range(limit):
            decision = self.day()
            if predicate(decision):
                return decision
        raise AssertionError("predicate never met")

    def to_run_at(self, level: int, limit: int = 200) -> Decision:
        return self.until(lambda d: d.action is Action.RUN_WALK and d.level == level, limit)

    def next_run(self, limit: int = 30) -> Decision:
        return self.until(lambda d: d.action is Action.RUN_WALK, limit)


def started(site: str = "metatarsal_shaft", **kw: object) -> Runner:
    """A runner cleared and ready on D0, who runs level 1 that day."""
    runner = Runner(profile(site, **kw))  # type: ignore[arg-type]
    first = runner.day(events=READY)
    assert first.action is Action.RUN_WALK and first.level == 1
    return runner
