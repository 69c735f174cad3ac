"""Fixed sentences and the small helpers that write numbers and lists as people do.

Every sentence is an English template looked up through a `Language` (engine/language.py); placeholders
are named so that a translation may reorder them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from engine.language import ENGLISH, N_, Language
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

EFFORT = N_(
    "Easy effort: 4 out of 10 or less, you can talk in full sentences. Flat, even ground; no hills, no "
    "speed work."
)
STOP_RULE_TEXT = N_(
    "Stop running at any bone pain at the injury site and get home without running (ask for a lift if "
    "walking hurts); report it in the session log."
)
FOLLOW_CLINICIAN = N_("Always follow your clinician's advice; I am a coaching aid, not a diagnosis.")
REDS_ADVICE = N_(
    "Your screening answers (periods, weight loss, eating, past bone injuries) can be a sign of low energy "
    "availability, which weakens bone: please see your clinician or a sports dietitian."
)

STRENGTH_NAMES: dict[str, str] = {
    "calf_raises": N_("calf raises"),
    "isometric_holds": N_("isometric holds"),
    "hip_and_glute": N_("hip and glute work"),
    "core": N_("core"),
    "balance": N_("balance"),
    "hopping_and_plyometrics": N_("gentle hops and plyometrics (stop if the bone hurts)"),
}

CROSS_NAMES: dict[str, str] = {
    "pool_running": N_("deep-water (pool) running"),
    "cycling": N_("cycling"),
    "elliptical": N_("elliptical"),
}

PAUSE_CAUSES: dict[str, str] = {
    PAUSE_REST_PAIN: N_("bone pain at rest"),
    PAUSE_WALKING_PAIN: N_("pain when walking"),
    PAUSE_PERSISTENT_PAIN: N_("bone pain lasting beyond 24 hours after running"),
    PAUSE_NIGHT_PAIN: N_("pain at night"),
    PAUSE_LIMP: N_("limping"),
    PAUSE_TENDERNESS: N_("a tender spot when you press on the bone"),
    PAUSE_SWELLING: N_("swelling"),
    PAUSE_LINGERING_SYMPTOMS: N_("mild pain on two check-ins in a row"),
    PAUSE_REQUESTED: N_("you asked to pause"),
}
"""The cause of a pause in plain words (also used by the care team's alerts)."""

SERIOUS_NAMES: dict[str, str] = {
    PAUSE_REST_PAIN: N_("bone pain at rest"),
    PAUSE_NIGHT_PAIN: N_("night pain"),
    PAUSE_LIMP: N_("limping"),
    PAUSE_TENDERNESS: N_("a tender spot over the bone"),
    PAUSE_SWELLING: N_("swelling"),
}


def num(value: float, lang: Language = ENGLISH) -> str:
    return lang.number(value)


def join(items: Sequence[str], lang: Language = ENGLISH) -> str:
    if len(items) <= 1:
        return "".join(items)
    head = lang.gettext(", ").join(items[:-1])
    return lang.gettext("{head} and {last}").format(head=head, last=items[-1])


def count(n: int, singular: str, plural: str, lang: Language = ENGLISH) -> str:
    """"3 runs": `singular`/`plural` are templates with {n}."""
    return lang.ngettext(singular, plural, n).format(n=n)


def pause_cause(rule_id: str, checkin: CheckIn | None, lang: Language = ENGLISH) -> str:
    """One cause with the runner's own number and the pause line where there is one ("pain when walking
    7/10 (the pause line is 3)")."""
    words = lang.gettext(PAUSE_CAUSES[rule_id]) if rule_id in PAUSE_CAUSES else rule_id
    if checkin is None:
        return words
    if rule_id == PAUSE_REST_PAIN:
        return lang.gettext("{cause} {value}/10 (the pause line is {line})").format(
            cause=words, value=checkin.pain_rest, line=PROTOCOL.pause_rest_pain
        )
    if rule_id == PAUSE_WALKING_PAIN:
        return lang.gettext("{cause} {value}/10 (the pause line is {line})").format(
            cause=words, value=checkin.pain_walking, line=PROTOCOL.pause_walking_pain
        )
    if rule_id == PAUSE_PERSISTENT_PAIN:
        if checkin.pain_next_day >= PROTOCOL.pause_next_day_pain:
            return lang.gettext("bone pain {value}/10 the morning after running (the pause line is {line})").format(
                value=checkin.pain_next_day, line=PROTOCOL.pause_next_day_pain
            )
        return lang.gettext("bone pain on two mornings in a row after running ({value}/10 today)").format(
            value=checkin.pain_next_day
        )
    return words


def _clinician_needed(
    reasons: Sequence[str], high_risk: bool, site_name: str, second: bool, by_plan: bool, lang: Language
) -> str:
    why = [
        lang.gettext("{sign} is a serious sign").format(sign=lang.gettext(SERIOUS_NAMES[r]))
        for r in reasons if r in SERIOUS_PAUSES
    ]
    if high_risk:
        why.append(lang.gettext("the {site} is a high-risk site").format(site=lang.gettext(site_name)))
    if second:
        why.append(lang.gettext("this is a second pause within 28 days"))
    if by_plan:
        why.append(lang.gettext("your clinician asked to clear every pause"))
    return lang.gettext(
        "Because {why}, your clinician needs to clear you: tell me when they do, and running restarts on a day "
        "with a symptom-free check-in."
    ).format(why=join(why, lang))


def pause_lines(
    reasons: Sequence[str], checkin: CheckIn | None, start: date | None, today: date | None, needs: bool,
    high_risk: bool, site_name: str, second: bool, by_plan: bool, left: int, asked_early: bool,
    lang: Language = ENGLISH,
) -> list[str]:
    """What a pause day says: why, what to do, what resuming needs."""
    started_today = start is not None and start == today
    causes = join([pause_cause(r, checkin if started_today else None, lang) for r in reasons], lang)
    if started_today:
        lines = [lang.gettext("Running is paused because of {causes}.").format(causes=causes)]
    else:
        lines = [lang.gettext("Running has been paused since {start} because of {causes}.").format(
            start=start, causes=causes
        )]
    if asked_early:
        lines.insert(0, lang.gettext("Not yet: running stays paused."))
    lines.append(
        lang.gettext("Please contact your clinician about this.")
        if tuple(reasons) != (PAUSE_REQUESTED,)
        else lang.gettext("If something worries you, please contact your clinician.")
    )
    if needs:
        lines.append(_clinician_needed(reasons, high_risk, site_name, second, by_plan, lang))
    else:
        lines.append(lang.gettext(
            "To resume: 5 symptom-free daily check-ins in a row (no pain at all, no tenderness, swelling, limp "
            "or night pain), then ask to resume; {left} to go. A day without a check-in restarts the count. "
            "Your clinician can also clear you."
        ).format(left=left))
    return lines
