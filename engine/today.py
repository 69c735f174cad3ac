"""The day being decided: its inputs, the reasons collected so far, and the decision built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from engine import messages
from engine.messages import Facts
from engine.model import Action, CheckIn, CrossTraining, Decision, Event, Profile
from engine.protocol import PROTOCOL_VERSION, RULES, Protocol, Site
from engine.schedule import days_without_rest
from engine.state import EngineState

_RULE_ORDER = {rule_id: i for i, rule_id in enumerate(RULES)}


class Reasons:
    """An ordered set of rule identifiers; the decision lists them in protocol order."""

    __slots__ = ("items",)

    def __init__(self, initial: Sequence[str] = ()) -> None:
        self.items: dict[str, None] = dict.fromkeys(initial)

    def add(self, *rule_ids: str) -> None:
        for rule_id in rule_ids:
            self.items[rule_id] = None

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.items

    def sorted(self) -> tuple[str, ...]:
        return tuple(sorted(self.items, key=_RULE_ORDER.__getitem__))


@dataclass(slots=True)
class Today:
    """The day being decided and everything its rules read."""

    protocol: Protocol
    profile: Profile
    site: Site
    state: EngineState
    date: date
    checkin: CheckIn | None
    events: frozenset[Event]
    reasons: Reasons
    facts: Facts


def make_decision(
    today: Today,
    action: Action,
    level: int | None,
    run: tuple[float, float, int, int, int],
    paused: bool,
    cross: tuple[CrossTraining, ...] = (),
    strength: tuple[str, ...] = (),
) -> Decision:
    """The decision with its reasons in protocol order and, unless replaying quietly, its message.
    `run` is (run minutes, walk minutes, reps, run interval s, walk interval s)."""
    ordered = today.reasons.sorted()
    facts, state = today.facts, today.state
    if not facts.quiet:
        facts.today, facts.level_now, facts.plan = today.date, state.level, state.plan
        facts.pain_note, facts.no_run_until = state.pain_note, state.no_run_until
        facts.days_without_rest = days_without_rest(today.protocol, state, today.date)
        if state.build is not None:
            facts.strides_ok = state.build.clean_weeks_75 >= today.protocol.strides_clean_weeks
            facts.tempo_ok = state.build.reached_full
    message = "" if facts.quiet else messages.compose(action, level, run, ordered, cross, strength, facts)
    run_minutes, walk_minutes, reps, run_s, walk_s = run
    return Decision(
        date=today.date, action=action, level=level, run_minutes=run_minutes, walk_minutes=walk_minutes,
        reps=reps, run_interval_s=run_s, walk_interval_s=walk_s, paused=paused, reasons=ordered,
        message=message, protocol_version=PROTOCOL_VERSION, cross_training=cross, strength=strength,
        facts=None if facts.quiet else facts,
    )
