"""Red flags, pauses and resuming (protocol "Red flags -> pause" and "Resume after a pause")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from engine.model import CheckIn, Event
from engine.protocol import (
    PAUSE_LIMP,
    PAUSE_LINGERING_SYMPTOMS,
    PAUSE_NIGHT_PAIN,
    PAUSE_PERSISTENT_PAIN,
    PAUSE_REST_PAIN,
    PAUSE_SWELLING,
    PAUSE_TENDERNESS,
    PAUSE_WALKING_PAIN,
    RESUME_CLINICIAN_CLEARED,
    RESUME_REQUESTED,
    SERIOUS_PAUSES,
    Protocol,
    Site,
)
from engine.state import EngineState, PauseState


def red_flags(protocol: Protocol, checkin: CheckIn | None, prev_soreness: bool, prev_symptoms: bool) -> list[str]:
    if checkin is None:
        return []
    flags: list[str] = []
    if checkin.pain_rest >= protocol.pause_rest_pain:
        flags.append(PAUSE_REST_PAIN)
    if checkin.pain_walking >= protocol.pause_walking_pain:
        flags.append(PAUSE_WALKING_PAIN)
    # Next-day pain >= 3, or next-day pain >= 1 on today's and the previous check-in (48 h).
    if checkin.pain_next_day >= protocol.pause_next_day_pain or (checkin.pain_next_day >= 1 and prev_soreness):
        flags.append(PAUSE_PERSISTENT_PAIN)
    if checkin.night_pain:
        flags.append(PAUSE_NIGHT_PAIN)
    if checkin.limping:
        flags.append(PAUSE_LIMP)
    if checkin.tenderness:
        flags.append(PAUSE_TENDERNESS)
    if checkin.swelling:
        flags.append(PAUSE_SWELLING)
    if mild_symptoms(protocol, checkin) and prev_symptoms:
        flags.append(PAUSE_LINGERING_SYMPTOMS)
    return flags


def mild_symptoms(protocol: Protocol, checkin: CheckIn) -> bool:
    """Rest pain 1 or walking pain 1-2: below the pause thresholds, still no running today."""
    return (
        protocol.mild_rest_pain <= checkin.pain_rest < protocol.pause_rest_pain
        or protocol.mild_walking_pain <= checkin.pain_walking < protocol.pause_walking_pain
    )


def symptom_free(checkin: CheckIn | None) -> bool:
    """'No symptoms at all': every pain 0 and no tenderness, swelling, limp or night pain."""
    return (
        checkin is not None
        and checkin.pain_rest == 0
        and checkin.pain_walking == 0
        and checkin.pain_next_day == 0
        and not (checkin.tenderness or checkin.swelling or checkin.limping or checkin.night_pain)
    )


def needs_clinician(state: EngineState) -> tuple[bool, bool]:
    """(the pause needs a clinician's clearance, only because of a care-team adjustment)."""
    pause = state.pause
    assert pause is not None
    by_plan = state.plan is not None and state.plan.resume_needs_clinician
    return pause.needs_clinician or by_plan, by_plan and not pause.needs_clinician


def start_pause(
    protocol: Protocol, site: Site, state: EngineState, today: date, checkin: CheckIn | None, flags: list[str]
) -> None:
    second = (
        state.last_pause_end is not None
        and (today - state.last_pause_end).days <= protocol.second_pause_window_days
    )
    serious = any(f in SERIOUS_PAUSES for f in flags)
    state.pause = PauseState(
        start=today,
        reasons=tuple(flags),
        needs_clinician=serious or site.high_risk or second,
        second=second,
        pre_level=state.level,
        symptom_free_checkins=1 if symptom_free(checkin) else 0,  # today's check-in counts
        last_trigger=today,
    )
    state.pauses_total += 1
    state.clean_count = 0
    state.awaiting_clean = False
    state.pending = ()  # the resume rule supersedes level changes from before the pause


def update_pause(
    protocol: Protocol, state: EngineState, today: date, checkin: CheckIn | None, events: frozenset[Event],
    flags: list[str],
) -> str | None:
    """Fold today's check-in and events into the ongoing pause; the resume rule if it ends today."""
    pause = state.pause
    assert pause is not None
    count = pause.symptom_free_checkins + 1 if symptom_free(checkin) else 0
    pause = replace(
        pause,
        reasons=pause.reasons + tuple(f for f in flags if f not in pause.reasons),
        needs_clinician=pause.needs_clinician or any(f in SERIOUS_PAUSES for f in flags),
        symptom_free_checkins=count,
        last_trigger=today if flags else pause.last_trigger,
        cleared_on=today if Event.CLINICIAN_CLEARED in events else pause.cleared_on,
    )
    state.pause = pause
    if flags or not symptom_free(checkin):
        return None
    # Conservative reading: a clearance counts only if given after the last red flag of the pause (a
    # red flag on the same day wins, and a later one needs a new clearance).
    if pause.cleared_on is not None and pause.cleared_on > pause.last_trigger:
        return RESUME_CLINICIAN_CLEARED
    needs, _ = needs_clinician(state)
    if not needs and count >= protocol.resume_symptom_free_checkins and Event.RESUME_REQUESTED in events:
        return RESUME_REQUESTED
    return None


def resume_level(protocol: Protocol, state: EngineState, today: date) -> int | None:
    """One level below the level before the pause (two after 7+ days), never above the current level
    (which a gap may already have lowered)."""
    pause = state.pause
    assert pause is not None
    if pause.pre_level is None or state.level is None:
        return None
    down = 2 if (today - pause.start).days >= protocol.long_pause_days else 1
    return min(state.level, max(1, pause.pre_level - down))
