"""Fixed sentences and the small helpers that write numbers and lists as people do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from engine.model import CheckIn
from engine.protocol import (
    PAUSE_LIMP,
    PAUSE_LINGERING_SYMPTOMS,
    PAUSE_NIGHT_PAIN,
    PAUSE_PERSISTENT_PAIN,
    PAUSE_REQUESTED,
    PAUSE_REST_PAIN,
    PAUSE_SWELLING,
    PAUSE_TENDERNESS,
    PAUSE_WALKING_PAIN,
    PROTOCOL,
    SERIOUS_PAUSES,
)

EFFORT = (
    "Easy effort: 4 out of 10 or less, you can talk in full sentences. Flat, even ground; no hills, no "
    "speed work."
)
STOP_RULE_TEXT = (
    "Stop running at any bone pain at the injury site and get home without running (ask for a lift if "
    "walking hurts); report it in the session log."
)
FOLLOW_CLINICIAN = "Always follow your clinician's advice; I am a coaching aid, not a diagnosis."
REDS_ADVICE = (
    "Your screening answers (periods, weight loss, eating, past bone injuries) can be a sign of low energy "
    "availability, which weakens bone: please see your clinician or a sports dietitian."
)

STRENGTH_NAMES: dict[str, str] = {
    "calf_raises": "calf raises",
    "isometric_holds": "isometric holds",
    "hip_and_glute": "hip and glute work",
    "core": "core",
    "balance": "balance",
    "hopping_and_plyometrics": "gentle hops and plyometrics (stop if the bone hurts)",
}

CROSS_NAMES: dict[str, str] = {
    "pool_running": "deep-water (pool) running",
    "cycling": "cycling",
    "elliptical": "elliptical",
}

PAUSE_CAUSES: dict[str, str] = {
    PAUSE_REST_PAIN: "bone pain at rest",
    PAUSE_WALKING_PAIN: "pain when walking",
    PAUSE_PERSISTENT_PAIN: "bone pain lasting beyond 24 hours after running",
    PAUSE_NIGHT_PAIN: "pain at night",
    PAUSE_LIMP: "limping",
    PAUSE_TENDERNESS: "a tender spot when you press on the bone",
    PAUSE_SWELLING: "swelling",
    PAUSE_LINGERING_SYMPTOMS: "mild pain on two check-ins in a row",
    PAUSE_REQUESTED: "you asked to pause",
}
"""The cause of a pause in plain words (also used by the care team's alerts)."""

SERIOUS_NAMES: dict[str, str] = {
    PAUSE_REST_PAIN: "bone pain at rest",
    PAUSE_NIGHT_PAIN: "night pain",
    PAUSE_LIMP: "limping",
    PAUSE_TENDERNESS: "a tender spot over the bone",
    PAUSE_SWELLING: "swelling",
}


def num(value: float) -> str:
    """Minutes as people write them: 1, 1.5, 24."""
    return f"{value:g}"


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def pause_cause(rule_id: str, checkin: CheckIn | None) -> str:
    """One cause with the runner's own number and the pause line where there is one ("pain when walking
    7/10, the pause line is 3")."""
    words = PAUSE_CAUSES.get(rule_id, rule_id)
    if checkin is None:
        return words
    if rule_id == PAUSE_REST_PAIN:
        return f"{words} {checkin.pain_rest}/10 (the pause line is {PROTOCOL.pause_rest_pain})"
    if rule_id == PAUSE_WALKING_PAIN:
        return f"{words} {checkin.pain_walking}/10 (the pause line is {PROTOCOL.pause_walking_pain})"
    if rule_id == PAUSE_PERSISTENT_PAIN:
        if checkin.pain_next_day >= PROTOCOL.pause_next_day_pain:
            return (
                f"bone pain {checkin.pain_next_day}/10 the morning after running (the pause line is "
                f"{PROTOCOL.pause_next_day_pain})"
            )
        return f"bone pain on two mornings in a row after running ({checkin.pain_next_day}/10 today)"
    return words


def _clinician_needed(
    reasons: Sequence[str], high_risk: bool, site_name: str, second: bool, by_plan: bool
) -> str:
    why = [f"{SERIOUS_NAMES[r]} is a serious sign" for r in reasons if r in SERIOUS_PAUSES]
    if high_risk:
        why.append(f"the {site_name} is a high-risk site")
    if second:
        why.append("this is a second pause within 28 days")
    if by_plan:
        why.append("your clinician asked to clear every pause")
    return (
        f"Because {join(why)}, your clinician needs to clear you: tell me when they do, and running restarts "
        "on a day with a symptom-free check-in."
    )


def pause_lines(
    reasons: Sequence[str], checkin: CheckIn | None, start: date | None, today: date | None, needs: bool,
    high_risk: bool, site_name: str, second: bool, by_plan: bool, left: int, asked_early: bool,
) -> list[str]:
    """What a pause day says: why, what to do, what resuming needs."""
    started_today = start is not None and start == today
    causes = [pause_cause(r, checkin if started_today else None) for r in reasons]
    head = "Running is paused because of " if started_today else f"Running has been paused since {start} because of "
    lines = [head + join(causes) + "."]
    if asked_early:
        lines.insert(0, "Not yet: running stays paused.")
    lines.append(
        "Please contact your clinician about this."
        if tuple(reasons) != (PAUSE_REQUESTED,)
        else "If something worries you, please contact your clinician."
    )
    if needs:
        lines.append(_clinician_needed(reasons, high_risk, site_name, second, by_plan))
    else:
        lines.append(
            "To resume: 5 symptom-free daily check-ins in a row (no pain at all, no tenderness, swelling, limp "
            f"or night pain), then ask to resume; {left} to go. A day without a check-in restarts the count. "
            "Your clinician can also clear you."
        )
    return lines
