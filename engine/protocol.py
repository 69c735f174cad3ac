"""The return-to-run protocol v1.2 as data: one versioned definition, and every rule identifier once.

Source document: docs/protocol.md (v1.2, a copy of the clinical team's text). The numbers live in
`Protocol` so a clinician can review them (`runback protocol`) or tune a copy; the logic in
`engine.decide` reads them from here.
Rule identifiers are module constants registered in `RULES` with the source they rest on; nothing else in
the engine spells an identifier as a string literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from engine.language import N_

PROTOCOL_VERSION: Final = "1.2"


# --------------------------------------------------------------------------------------------------
# Levels
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One run-walk step: `reps` times (run_s running, walk_s walking); totals in whole minutes."""

    number: int
    reps: int
    run_s: int
    walk_s: int

    @property
    def run_minutes(self) -> int:
        return self.reps * self.run_s // 60

    @property
    def walk_minutes(self) -> int:
        return self.reps * self.walk_s // 60

    @property
    def total_minutes(self) -> int:
        return self.run_minutes + self.walk_minutes

    @property
    def continuous(self) -> bool:
        return self.walk_s == 0


LEVELS: Final = (
    Level(1, 6, 60, 240),
    Level(2, 6, 90, 210),
    Level(3, 6, 120, 180),
    Level(4, 6, 180, 120),
    Level(5, 6, 240, 60),
    Level(6, 3, 540, 60),
    Level(7, 1, 1200, 0),
    Level(8, 1, 1500, 0),
    Level(9, 1, 1800, 0),
)

# --------------------------------------------------------------------------------------------------
# Rules: identifier -> source and one-line summary
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    source: str
    summary: str


_RULES: dict[str, Rule] = {}


def _rule(rule_id: str, source: str, summary: str) -> str:
    if rule_id in _RULES:  # pragma: no cover - guards the "defined once" promise at import time
        raise ValueError(f"rule {rule_id} defined twice")
    _RULES[rule_id] = Rule(rule_id, source, summary)
    return rule_id


_LEVEL_RULES: dict[int, str] = {
    lv.number: _rule(
        f"level_{lv.number}", "S1, S6",
        f"Level {lv.number}: "
        + (f"{lv.run_minutes} min continuous" if lv.continuous
           else f"{lv.reps} x ({lv.run_s / 60:g} run / {lv.walk_s / 60:g} walk) min")
        + "; easy effort (RPE <= 4), flat even surface, alternate days.",
    )
    for lv in LEVELS
}


def level_rule(number: int) -> str:
    """The identifier of a run-walk level (`level_3`); the build phase (10) is `build_phase`."""
    return _LEVEL_RULES.get(number, BUILD_PHASE)



# Build phase and scheduling (the level rules level_1..level_9 are registered above from the table)
ALTERNATE_DAYS = _rule(
    "alternate_days", "S6",
    "Levels 1-9: never run on consecutive days; at most 3 run days in any 7.",
)
BUILD_PHASE = _rule(
    "build_phase", "S4, S7",
    "After level 9 (reported as level 10): each week plans the fewest runs that hold its target within "
    "the session caps (at most the pre-injury number, max 6, and at most what the day rules can place: "
    "never 3 days in a row, a full rest day in every 7), longer runs when fewer fit, until pre-injury "
    "weekly minutes; strides after 2 pain-free weeks at >= 75% of pre-injury volume, tempo after 100% (v1.2).",
)
WEEKLY_CAP = _rule(
    "weekly_cap", "S4, S7",
    "Build phase: weekly run minutes grow by at most 10% a week (held after a week with pain, soreness, "
    "symptoms, a missed run or a pause), capped at pre-injury weekly minutes.",
)
SESSION_CAP = _rule(
    "session_cap", "S4",
    "Build phase: no run longer than 110% of the longest run of the previous 30 days, nor than 35% of the "
    "week's target (1/n of it for n < 3 pre-injury run days).",
)

# Progress, hold, drop back
PROGRESS = _rule(
    "progress", "S2, S6",
    "Up one level after 2 consecutive clean sessions at the level (3 at a slow site) and, for levels 1-6, "
    "at least 7 days at the level.",
)
HOLD_MILD_PAIN = _rule(
    "hold_mild_pain", "S2, S6",
    "Bone pain 1-2 during or after a session: repeat the level next time (no progress).",
)
DROP_BACK_PAIN = _rule(
    "drop_back_pain", "S2, S6",
    "Bone pain >= 3 during or after, or pain during and after (did not settle): no running for 2 days "
    "(cross-train if walking is pain-free, else rest; never strength, v1.2), then one level lower.",
)
NEXT_DAY_SORENESS = _rule(
    "next_day_soreness", "S2, S6",
    "Next-morning bone pain 1-2: no running today and one level lower next time.",
)
WELLNESS_HOLD = _rule(
    "wellness_hold", "conservative default",
    "Sleep < 6 h or fatigue >= 7: no progress today; the run at the current level still happens (build "
    "phase: no longer than the previous run).",
)
CHECKIN_MISSING = _rule(
    "checkin_missing", "conservative default",
    "No check-in today: rest, no running until the runner checks in; never read as 'no pain'.",
)
GAP_DROP_BACK = _rule(
    "gap_drop_back", "S6, S7",
    "Days without running (none before the first run day): 7-13 one level down, 14-27 two down, >= 28 "
    "level 1 and the readiness questions again; the stages do not add up, but a gap drop applies to a "
    "level already lowered by pain (v1.2).",
)

# Red flags -> pause
PAUSE_REST_PAIN = _rule("pause_rest_pain", "S1, S7", "Bone pain at rest >= 2: pause (needs a clinician).")
PAUSE_WALKING_PAIN = _rule("pause_walking_pain", "S1, S7", "Pain walking >= 3: pause.")
PAUSE_PERSISTENT_PAIN = _rule(
    "pause_persistent_pain", "S1, S6, S7",
    "Next-day bone pain >= 3, or next-day pain >= 1 on two check-ins in a row (beyond 24-48 h): pause.",
)
PAUSE_NIGHT_PAIN = _rule("pause_night_pain", "S1, S7", "Night pain: pause (needs a clinician).")
PAUSE_LIMP = _rule("pause_limp", "S1, S7", "Limping: pause (needs a clinician).")
PAUSE_TENDERNESS = _rule(
    "pause_tenderness", "S1, S6, S7", "Point tenderness over the site: pause (needs a clinician)."
)
PAUSE_SWELLING = _rule("pause_swelling", "S1, S7", "Swelling: pause (needs a clinician).")
NO_RUN_SYMPTOMS = _rule(
    "no_run_symptoms", "S1, S7", "Milder signals (rest pain 1, walking pain 1-2): no running today."
)
PAUSE_LINGERING_SYMPTOMS = _rule(
    "pause_lingering_symptoms", "S1, S7",
    "Mild symptoms today and rest or walking pain on the previous check-in: pause.",
)
PAUSE_REQUESTED = _rule("pause_requested", "S7", "The runner's own pause.")

# Resume after a pause
RESUME_REQUESTED = _rule(
    "resume_requested", "S1, S6",
    "A pause without a serious sign at a low-risk site ends when the runner asks, after at least 5 "
    "consecutive symptom-free daily check-ins; restart one level below (two if the pause lasted 7+ days).",
)
RESUME_CLINICIAN_CLEARED = _rule(
    "resume_clinician_cleared", "S1, S3, S6, S7",
    "A clinician's clearance ends any pause on the first symptom-free check-in at or after it; restart one "
    "level below (two if the pause lasted 7+ days).",
)
RESUME_SECOND_PAUSE = _rule(
    "resume_second_pause", "S7 (conservative default)",
    "A pause starting <= 28 days after the previous one ended needs a clinician's clearance to resume.",
)

# Readiness before the first run
READINESS_CLEARANCE = _rule(
    "readiness_clearance", "S1, S6",
    "No running while the clinician clearance date is missing or not reached.",
)
READINESS_CHECK = _rule(
    "readiness_check", "S1, S6",
    "No running without a valid readiness confirmation (given on or after the clearance date; lapses "
    "after 28 days without running).",
)
REDS_SCREEN = _rule(
    "reds_screen", "S5",
    "Any yes in the REDs screen: advise a clinician or sports dietitian; shown in the clinician summary.",
)
REDS_REVIEW = _rule(
    "reds_review", "S5",
    "Two or more REDs screen answers yes: the runner confirms a clinician review before level 1.",
)

# Sites (protocol "Sites")
HIGH_RISK_SITE = _rule(
    "high_risk_site", "S3",
    "High-risk site: no running without a clinician's clearance date; every resume after a pause needs "
    "a new clinician clearance.",
)
SLOW_SITE = _rule(
    "slow_site", "S3",
    "Trabecular site (calcaneus, pelvis, femoral neck/head): 3 clean sessions per level instead of 2.",
)

# Days without running
CROSS_TRAIN_SWAP = _rule(
    "cross_train_swap", "S7 (equivalences: conservative defaults)",
    "Non-run days: pool running at equal minutes, cycling at 1.5x (foot sites only after 7 days of "
    "pain-free walking), elliptical at equal minutes (from level 3, never with walking pain); while a "
    "pause needs a clinician, pool running only (v1.2).",
)
STRENGTH_DAY = _rule(
    "strength_day", "S7",
    "Two non-run days a week: calf raises, isometric holds, hip and glute work, core, balance; no hopping "
    "or plyometrics on the injured side before level 7; never with bone pain in the picture (a check-in "
    "with any bone pain, the 2 days of drop_back_pain, a pause; v1.2).",
)
REST_DAY = _rule(
    "rest_day", "S6, S7",
    "At least one full rest day (a prescribed rest or pause) in every 7 days of the plan: rest when the "
    "last 5 days had none and today is not a run day, and even on a run day when the last 6 had none (v1.2).",
)
STOP_RULE = _rule(
    "stop_rule", "v1.2 (conservative default)",
    "Every run-walk day: stop running at any bone pain at the injury site, get home without running (a "
    "lift if walking hurts), and report it in the session log.",
)
CLINICIAN_PLAN = _rule(
    "clinician_plan", "S7, v1.2 care-team adjustments",
    "A care-team adjustment in force shaped the day; it can only make the plan more careful (a looser "
    "value keeps the protocol's number).",
)

# Around the plan
REEVALUATE = _rule(
    "reevaluate", "S7",
    "Every 4 weeks from onboarding: a summary to take to the clinician, and whether the plan still fits.",
)


RULES: Final = MappingProxyType(_RULES)

SERIOUS_PAUSES: Final = frozenset(
    {PAUSE_REST_PAIN, PAUSE_NIGHT_PAIN, PAUSE_TENDERNESS, PAUSE_SWELLING, PAUSE_LIMP}
)
"""Pause reasons that only a clinician's clearance can end (S1, S6, S7)."""

LEVEL_CHANGE_RULES: Final = frozenset(
    {HOLD_MILD_PAIN, DROP_BACK_PAIN, NEXT_DAY_SORENESS, GAP_DROP_BACK, RESUME_REQUESTED,
     RESUME_CLINICIAN_CLEARED}
)
"""Named on the day they fire and again on the next run day (protocol v1.1)."""


# --------------------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site:
    key: str
    name: str
    high_risk: bool
    trabecular: bool = False  # slow_site: 3 clean sessions per level
    foot: bool = False  # cycling only after 7 days of pain-free walking

    @property
    def risk(self) -> str:
        return "high" if self.high_risk else "low"


_SITE_LIST = (
    Site("metatarsal_shaft", N_("metatarsal shaft (2nd-4th)"), False, foot=True),
    Site("tibia_posteromedial", N_("shin bone, inner back edge (posteromedial tibia)"), False),
    Site("fibula", N_("fibula"), False),
    Site("calcaneus", N_("heel bone (calcaneus)"), False, trabecular=True, foot=True),
    Site("cuboid", N_("cuboid (outer midfoot)"), False, foot=True),
    Site("femoral_shaft", N_("thigh bone shaft (femoral shaft)"), False),
    Site("pelvis", N_("pelvis"), False, trabecular=True),
    Site("other_low_risk", N_("other low-risk site"), False),
    Site("femoral_neck", N_("femoral neck (hip)"), True, trabecular=True),
    Site("femoral_head", N_("femoral head (hip)"), True, trabecular=True),
    Site("tibia_anterior", N_("shin bone, front (anterior tibia)"), True),
    Site("navicular", N_("navicular (midfoot)"), True, foot=True),
    Site("metatarsal_5_base", N_("base of the 5th metatarsal"), True, foot=True),
    Site("metatarsal_2_base", N_("base of the 2nd metatarsal"), True, foot=True),
    Site("talus", N_("talus (ankle bone)"), True, foot=True),
    Site("medial_malleolus", N_("inner ankle bone (medial malleolus)"), True),
    Site("sesamoid", N_("sesamoid (under the big toe)"), True, foot=True),
    Site("patella", N_("kneecap (patella)"), True),
    Site("other_high_risk", N_("other high-risk site"), True),
)

SITES: Final = MappingProxyType({s.key: s for s in _SITE_LIST})
LOW_RISK_SITES: Final = frozenset(s.key for s in _SITE_LIST if not s.high_risk)
HIGH_RISK_SITES: Final = frozenset(s.key for s in _SITE_LIST if s.high_risk)


# --------------------------------------------------------------------------------------------------
# The protocol's numbers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Protocol:
    """Every number of protocol v1.2; defaults are the protocol's (a clinician may tune a copy)."""

    version: str = PROTOCOL_VERSION
    levels: tuple[Level, ...] = LEVELS
    build_level: int = 10  # the build phase is reported as level 10

    # alternate_days (S6)
    max_run_days_in_7: int = 3

    # progress (S2, S6)
    clean_sessions: int = 2
    clean_sessions_slow_site: int = 3
    min_days_at_level: int = 7
    min_days_max_level: int = 6  # the 7-day minimum applies to levels 1..6

    # hold / drop back (S2, S6)
    hold_pain_min: int = 1  # pain during or after 1-2: hold
    drop_pain_min: int = 3  # pain during or after >= 3: drop back
    drop_back_rest_days: int = 2  # no running on the 2 calendar days after the session

    # wellness_hold (conservative default)
    min_sleep_hours: float = 6.0  # sleep < 6 h -> no progress
    max_fatigue_ok: int = 6  # fatigue >= 7 -> no progress

    # red flags (S1, S7)
    pause_rest_pain: int = 2
    pause_walking_pain: int = 3
    pause_next_day_pain: int = 3
    mild_rest_pain: int = 1  # rest pain 1 -> no running today
    mild_walking_pain: int = 1  # walking pain 1-2 -> no running today

    # gaps (calendar days strictly between the last run day and today)
    gap_one_down: int = 7
    gap_two_down: int = 14
    gap_restart: int = 28  # level 1 and readiness again
    readiness_lapse_days: int = 28

    # resume (S1, S6, S7)
    resume_symptom_free_checkins: int = 5
    second_pause_window_days: int = 28
    long_pause_days: int = 7  # a pause lasting >= 7 days restarts two levels lower

    # build phase (S4, S7)
    weekly_growth: float = 1.10
    session_growth: float = 1.10  # session_cap: <= 110% of the longest run of the previous 30 days
    session_lookback_days: int = 30
    longest_run_share: float = 0.35
    max_build_runs_per_week: int = 6
    strides_share: float = 0.75  # strides after 2 pain-free weeks at >= 75% of pre-injury volume
    strides_clean_weeks: int = 2

    # days without running (S6, S7)
    rest_day_every: int = 7  # at least one full rest day in every 7 (v1.2 placement below)
    rest_if_no_rest_for: int = 5  # no full rest in the last 5 plan days: a non-run day is rest
    rest_forced_after: int = 6  # none in the last 6: rest even on a run day
    strength_days_per_week: int = 2
    cross_train_minutes_before_running: int = 30
    cross_train_minutes_build: int = 30
    cycling_factor: float = 1.5
    elliptical_min_level: int = 3
    foot_cycling_pain_free_walk_days: int = 7
    no_hops_before_level: int = 7

    # around the plan (S7)
    reevaluate_every_days: int = 28

    def level(self, number: int) -> Level:
        return self.levels[number - 1]

    @property
    def top_run_walk_level(self) -> int:
        return len(self.levels)


PROTOCOL: Final = Protocol()

STRENGTH_EXERCISES: Final = (
    "calf_raises",
    "isometric_holds",
    "hip_and_glute",
    "core",
    "balance",
)
STRENGTH_PLYOMETRICS: Final = "hopping_and_plyometrics"
"""Added from level 7 on (no hopping or plyometrics on the injured side before level 7, S7)."""

CROSS_TRAINING_KINDS: Final = ("pool_running", "cycling", "elliptical")
