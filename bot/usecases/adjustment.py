"""The care-team adjustment in force for a runner (protocol v1.2 `clinician_plan`) and how it reads wherever a
runner's course is shown: /runners, the weekly and 4-weekly summaries, /report."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from bot import texts
from bot.i18n import Texts
from bot.storage import repository
from bot.storage.unit_of_work import DbSession
from bot.usecases.context import display_name
from engine.adjustments import ClinicianPlan
from engine.plan_text import plan_summary


class InForce(NamedTuple):
    plan: ClinicianPlan
    actor: str  # who set it (the runner's own name when self-recorded)
    role: str  # "clinician", or texts.SELF_RECORDED
    day: date

    @property
    def self_recorded(self) -> bool:
        return self.role == texts.SELF_RECORDED


async def adjustment_in_force(session: DbSession, runner_id: int, *, texts: Texts) -> InForce | None:
    """The runner's latest adjustment since their start (the engine's), or None: none set, or cleared."""
    profile = await repository.profile_of(session, runner_id)
    if profile is None:
        return None
    found = await repository.latest_plan_event(session, runner_id, profile.started_on)
    if found is None:
        return None
    event, actor = found
    plan = ClinicianPlan.from_dict(event.payload or {})
    if plan.empty:
        return None
    if event.actor_user_id == runner_id:
        assert actor is not None
        return InForce(plan, display_name(actor, texts=texts), texts.SELF_RECORDED, event.local_date)
    # only a clinician can set one for a runner; one who has since deleted their account has no name left
    name = actor.first_name if actor is not None and actor.first_name else texts.UNNAMED_CLINICIAN
    return InForce(plan, name, "clinician", event.local_date)


def adjustment_line(found: InForce | None, *, texts: Texts) -> str:
    """One line: what is in force, who set it and when."""
    if found is None:
        return str(texts.ADJUSTMENT_NONE)
    names = {"summary": plan_summary(found.plan, texts.language), "actor": found.actor, "day": found.day.isoformat()}
    return str((texts.ADJUSTMENT_IN_FORCE_SELF if found.self_recorded else texts.ADJUSTMENT_IN_FORCE).format(**names))


async def adjustment_text(session: DbSession, runner_id: int, *, texts: Texts) -> str:
    return adjustment_line(await adjustment_in_force(session, runner_id, texts=texts), texts=texts)
