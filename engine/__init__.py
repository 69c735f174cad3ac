"""RunBack's progression engine: the return-to-run protocol as pure functions of data.

Nothing in this package touches Telegram, a database, the clock or any I/O.

Public API:
- `simulate(profile, days)`: one `Decision` per given day (dates strictly increasing, gaps allowed).
- `decide_today(profile, history, today)`: `simulate(profile, [*history, today])[-1]`.
- `EngineState`, `step(profile, state, day)`, `replay(profile, days)`: the same as a fold, so the shell
  can cache the state after a completed day (`EngineState.to_dict()` / `from_dict()`).
- `ClinicianPlan`: a care-team adjustment (protocol v1.2), carried on `Day.clinician_plan`.
- `render(decision, language)`: the decision's message in another language (a `Language`: gettext,
  ngettext and number formatting handed in by the shell; `ENGLISH` writes the templates as they are).
- `PROTOCOL`, `PROTOCOL_VERSION`, `RULES`, `SITES`, `LOW_RISK_SITES`, `HIGH_RISK_SITES`: the protocol.
"""

from engine.adjustments import AdjustmentError, ClinicianPlan
from engine.decide import EngineState, decide_today, replay, simulate, step
from engine.language import ENGLISH, English, Language
from engine.messages import render
from engine.model import (
    Action,
    CheckIn,
    CrossTraining,
    Day,
    Decision,
    Event,
    Profile,
    Session,
    SessionDone,
)
from engine.protocol import (
    HIGH_RISK_SITES,
    LOW_RISK_SITES,
    PROTOCOL,
    PROTOCOL_VERSION,
    RULES,
    SITES,
    Protocol,
    Rule,
    Site,
)

__all__ = [
    "ENGLISH",
    "HIGH_RISK_SITES",
    "LOW_RISK_SITES",
    "PROTOCOL",
    "PROTOCOL_VERSION",
    "RULES",
    "SITES",
    "Action",
    "AdjustmentError",
    "CheckIn",
    "ClinicianPlan",
    "CrossTraining",
    "Day",
    "Decision",
    "EngineState",
    "English",
    "Event",
    "Language",
    "Profile",
    "Protocol",
    "Rule",
    "Session",
    "SessionDone",
    "Site",
    "decide_today",
    "render",
    "replay",
    "simulate",
    "step",
]
