"""Adjusting a runner's plan (protocol v1.2, "Care-team adjustments"): a clinician who follows the runner, or
the runner recording their own clinician's instructions (self-recorded, for a clinician who does not use the
bot), edits a draft with buttons, confirms a summary, and it is stored as the engine's `clinician_plan` event.

Tighten-only: a keyboard offers only the values `engine.adjustments.tightening_choices` gives for this runner,
and a value it would not offer is refused. The draft lives in the editor's `flow_data` (flow "adjust"); every
button says which runner it is for, and is checked again (the follow, the role, the open draft) before it acts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast, get_args

from bot.i18n import Texts
from bot.replies import Button, Keyboard, Outcome, Reply, rows
from bot.storage import follows, models, repository
from bot.timezones import local_date
from bot.usecases import buttons as b
from bot.usecases.access import followed
from bot.usecases.adjustment import InForce, adjustment_in_force, adjustment_line
from bot.usecases.alert_policy import AlertKind
from bot.usecases.alerts import notify_followers
from bot.usecases.context import RunnerContext, display_name, end_flow, say, texts_of
from bot.usecases.decisions import decide, plan_outcome
from bot.usecases.plan import engine_profile
from engine.adjustments import CROSS_TRAINING_MODES, AdjustmentError, ClinicianPlan, tightening_choices
from engine.build import protocol_runs
from engine.plan_text import plan_summary
from engine.protocol import PROTOCOL, SITES

FLOW = "adjust"
FIELDS: tuple[b.PlanField, ...] = get_args(b.PlanField)
MODES: tuple[b.CrossMode, ...] = get_args(b.CrossMode)
assert set(MODES) == set(CROSS_TRAINING_MODES) and set(FIELDS) == set(ClinicianPlan.__dataclass_fields__)
EditorTap = b.AdjustPick | b.AdjustSet | b.AdjustNoLimit | b.AdjustMode | b.AdjustStep  # a tap inside the editor


@dataclass(frozen=True)
class Editor:
    """Whose plan is being adjusted, by whom, and the values this runner's keyboards may offer."""

    runner: models.User
    own: bool  # the runner recording their clinician's instructions: self-recorded
    site_clean_sessions: int
    protocol_runs: int

    def choices(self, field: str) -> tuple[int, ...]:
        return tightening_choices(field, self.site_clean_sessions, self.protocol_runs)


async def _editor(ctx: RunnerContext, runner_id: int) -> Editor | Outcome:
    """The editor for this runner if this person may adjust their plan (the runner themselves, or an active
    clinician follower); else the refusal, which names no one."""
    texts = ctx.texts
    if runner_id == ctx.user.id:
        runner: models.User | Outcome = ctx.user
    else:
        runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        _drop_draft(ctx, runner_id)
        return runner
    row = await repository.profile_of(ctx.session, runner.id)
    if row is None:
        return Outcome(notice=texts.NOT_ONBOARDED if runner is ctx.user else texts.ADJUST_NO_PROFILE)
    site = SITES.get(row.injury_site)
    own_clean = PROTOCOL.clean_sessions_slow_site if site is not None and site.trabecular else PROTOCOL.clean_sessions
    return Editor(runner, runner is ctx.user, own_clean, protocol_runs(PROTOCOL, engine_profile(row)))


def _drop_draft(ctx: RunnerContext, runner_id: int) -> None:
    """A refused button ends a draft for that runner (e.g. the follower was removed mid-flow): nothing is kept."""
    if ctx.user.flow == FLOW and (ctx.user.flow_data or {}).get("runner") == runner_id:
        end_flow(ctx.user)


def _base(found: InForce | None) -> list[Any] | None:
    """What was in force when the draft began: a confirm on top of something else is refused (stale draft)."""
    return None if found is None else [found.day.isoformat(), found.plan.to_dict(), found.actor, found.role]


def _draft(ctx: RunnerContext, runner_id: int) -> ClinicianPlan | None:
    """The open draft for this runner, or None (no editor open, or one for another runner)."""
    data = ctx.user.flow_data or {}
    if ctx.user.flow != FLOW or data.get("runner") != runner_id:
        return None
    try:
        return ClinicianPlan.from_dict(data.get("draft") or {})
    except AdjustmentError:
        return None


def _keep(ctx: RunnerContext, draft: ClinicianPlan, step: str) -> None:
    ctx.user.flow_step = step
    ctx.user.flow_data = {**(ctx.user.flow_data or {}), "draft": draft.to_dict()}


# ------------------------------------------------------------------ screens


def _value_text(field: str, draft: ClinicianPlan, *, texts: Texts) -> str:
    value = getattr(draft, field)
    if field == "resume_needs_clinician":
        return str(texts.ADJUST_ON if value else texts.ADJUST_OFF)
    if value is None:
        return str(texts.ADJUST_NO_LIMIT)
    if field == "cross_training":
        return ", ".join(texts.ADJUST_MODE_NAMES[m] for m in value) or texts.ADJUST_NO_MODES
    return str(texts.ADJUST_VALUE_UNITS[field].format(value=value))


def _label(field: str, editor: Editor, *, texts: Texts) -> str:
    if field == "resume_needs_clinician" and editor.own:
        return str(texts.ADJUST_SELF_RESUME_LABEL)
    return str(texts.ADJUST_FIELD_LABELS[field])


def _field_label(field: str, editor: Editor, draft: ClinicianPlan, *, texts: Texts) -> str:
    return str(
        texts.ADJUST_FIELD_BUTTON.format(
            label=_label(field, editor, texts=texts), value=_value_text(field, draft, texts=texts)
        )
    )


def _editor_screen(
    editor: Editor, draft: ClinicianPlan, in_force: InForce | None, *, texts: Texts
) -> tuple[str, Keyboard]:
    template = texts.ADJUST_EDITOR_SELF if editor.own else texts.ADJUST_EDITOR
    text = template.format(
        runner=display_name(editor.runner, texts=texts),
        in_force=adjustment_line(in_force, texts=texts),
        draft=plan_summary(draft, texts.language),
    )
    rid = editor.runner.id
    keyboard: list[tuple[Button, ...]] = [
        ((_field_label(f, editor, draft, texts=texts), b.AdjustPick(rid, f)),) for f in FIELDS
    ]
    review: Button = (texts.ADJUST_REVIEW_BUTTON, b.AdjustStep(rid, "review"))
    keyboard.append((review, (texts.ADJUST_CLEAR_BUTTON, b.AdjustStep(rid, "clear"))))
    keyboard.append(((texts.ADJUST_CANCEL_BUTTON, b.AdjustStep(rid, "cancel")),))
    return text, tuple(keyboard)


def _field_screen(editor: Editor, field: b.PlanField, draft: ClinicianPlan, *, texts: Texts) -> tuple[str, Keyboard]:
    rid, name = editor.runner.id, display_name(editor.runner, texts=texts)
    back: tuple[Button, ...] = ((texts.ADJUST_BACK, b.AdjustStep(rid, "edit")),)
    if field == "cross_training":
        allowed = draft.cross_training if draft.cross_training is not None else MODES
        toggles: list[Button] = [
            (
                (texts.ADJUST_MODE_ALLOWED if m in allowed else texts.ADJUST_MODE_FORBIDDEN).format(
                    mode=texts.ADJUST_MODE_NAMES[m]
                ),
                b.AdjustMode(rid, m),
            )
            for m in MODES
        ]
        text = texts.ADJUST_PICK_MODES.format(runner=name, modes=_value_text(field, draft, texts=texts))
        no_limit: tuple[Button, ...] = ((texts.ADJUST_ALL_MODES_BUTTON, b.AdjustNoLimit(rid, "cross_training")),)
        return text, (tuple(toggles), no_limit, back)
    number = cast(b.PlanNumber, field)  # cross_training is the one field of choices that are not numbers
    values: list[Button] = [
        (texts.ADJUST_VALUE_UNITS[field].format(value=v), b.AdjustSet(rid, number, v)) for v in editor.choices(field)
    ]
    text = texts.ADJUST_PICK_VALUE.format(label=_label(field, editor, texts=texts), runner=name)
    no_limit = ((texts.ADJUST_NO_LIMIT_BUTTON, b.AdjustNoLimit(rid, field)),)
    return text, (*rows(values, 5), no_limit, back)


def _edit(ctx: RunnerContext, message_id: int | None, screen: tuple[str, Keyboard]) -> Outcome:
    text, keyboard = screen
    if message_id is None:
        return say(ctx, text, keyboard)
    return Outcome(replies=[Reply(ctx.user.chat_id, text, keyboard, edit_message_id=message_id)])


# ------------------------------------------------------------------ use cases


async def open_editor(ctx: RunnerContext, runner_id: int) -> Outcome:
    """The editor, in this person's chat: what is in force, and one button per field of the adjustment."""
    texts = ctx.texts
    editor = await _editor(ctx, runner_id)
    if isinstance(editor, Outcome):
        return editor
    in_force = await adjustment_in_force(ctx.session, editor.runner.id, texts=texts)
    draft = in_force.plan if in_force is not None else ClinicianPlan()
    ctx.user.flow, ctx.user.flow_step = FLOW, "edit"
    ctx.user.flow_data = {"runner": editor.runner.id, "draft": draft.to_dict(), "base": _base(in_force)}
    return say(ctx, *_editor_screen(editor, draft, in_force, texts=texts))


async def own_plan(ctx: RunnerContext) -> Outcome:
    """/clinician or "my clinician says...": the runner records their clinician's instructions themselves."""
    return await open_editor(ctx, ctx.user.id)


async def tapped(ctx: RunnerContext, button: EditorTap, message_id: int) -> Outcome:
    """A tap in the editor (not its opening): checked for who may, then for the open draft, then done."""
    texts = ctx.texts
    runner_id = button.runner_id
    editor = await _editor(ctx, runner_id)
    if isinstance(editor, Outcome):
        return editor
    draft = _draft(ctx, runner_id)
    if draft is None:
        return Outcome(notice=texts.ADJUST_STALE)
    match button:
        case b.AdjustPick(_, "resume_needs_clinician"):
            draft = replace(draft, resume_needs_clinician=not draft.resume_needs_clinician)
        case b.AdjustPick(_, field):
            _keep(ctx, draft, field)
            return _edit(ctx, message_id, _field_screen(editor, field, draft, texts=texts))
        case b.AdjustSet(_, field, value):
            if value not in editor.choices(field):
                return Outcome(notice=texts.FORGED_BUTTON)  # never offered: a loosening or out-of-range value
            draft = _with(draft, field, value)
        case b.AdjustNoLimit(_, field):
            draft = _with(draft, field, None)
        case b.AdjustMode(_, mode):
            draft = _toggled(draft, mode)
            _keep(ctx, draft, "cross_training")
            return _edit(ctx, message_id, _field_screen(editor, "cross_training", draft, texts=texts))
        case b.AdjustStep(_, "review"):
            return await _review(ctx, editor, draft, message_id)
        case b.AdjustStep(_, "clear"):
            return await _review(ctx, editor, ClinicianPlan(), message_id)
        case b.AdjustStep(_, "confirm"):
            return await _confirm(ctx, editor, draft, message_id)
        case b.AdjustStep(_, "cancel"):
            end_flow(ctx.user)
            return _edit(ctx, message_id, (texts.ADJUST_CANCELLED, ()))
    _keep(ctx, draft, "edit")
    in_force = await adjustment_in_force(ctx.session, runner_id, texts=texts)
    return _edit(ctx, message_id, _editor_screen(editor, draft, in_force, texts=texts))


def _with(draft: ClinicianPlan, field: str, value: int | None) -> ClinicianPlan:
    """The draft with one field set (None: no limit), validated as any stored adjustment is."""
    data = draft.to_dict()
    data.pop(field, None)
    if value is not None:
        data[field] = value
    return ClinicianPlan.from_dict(data)


def _toggled(draft: ClinicianPlan, mode: b.CrossMode) -> ClinicianPlan:
    allowed = set(draft.cross_training if draft.cross_training is not None else MODES) ^ {mode}
    # every mode allowed is no limit at all; the protocol's order, whatever order they were tapped in
    kept = None if allowed == set(MODES) else tuple(m for m in MODES if m in allowed)
    return replace(draft, cross_training=kept)


async def _review(ctx: RunnerContext, editor: Editor, draft: ClinicianPlan, message_id: int) -> Outcome:
    texts = ctx.texts
    in_force = await adjustment_in_force(ctx.session, editor.runner.id, texts=texts)
    rid, name = editor.runner.id, display_name(editor.runner, texts=texts)
    back: tuple[Button, ...] = ((texts.ADJUST_BACK, b.AdjustStep(rid, "edit")),)
    if draft == (in_force.plan if in_force is not None else ClinicianPlan()):
        _keep(ctx, draft, "edit")
        return _edit(ctx, message_id, (texts.ADJUST_UNCHANGED, (back,)))
    if editor.own:
        template = texts.ADJUST_REVIEW_SELF_CLEAR if draft.empty else texts.ADJUST_REVIEW_SELF
    else:
        template = texts.ADJUST_REVIEW_CLEAR if draft.empty else texts.ADJUST_REVIEW
    text = template.format(runner=name, summary=plan_summary(draft, texts.language))
    _keep(ctx, draft, "review")
    confirm: tuple[Button, ...] = ((texts.ADJUST_CONFIRM_BUTTON, b.AdjustStep(rid, "confirm")), *back)
    return _edit(ctx, message_id, (text, (confirm,)))


async def _confirm(ctx: RunnerContext, editor: Editor, draft: ClinicianPlan, message_id: int) -> Outcome:
    """Store the reviewed draft as the day's adjustment, tell the runner and the team, decide the day again."""
    texts = ctx.texts
    if ctx.user.flow_step != "review":
        return Outcome(notice=texts.ADJUST_STALE)  # a confirm not shown with the draft as it is now
    runner = editor.runner
    in_force = await adjustment_in_force(ctx.session, runner.id, texts=texts)
    if _base(in_force) != (ctx.user.flow_data or {}).get("base"):
        end_flow(ctx.user)
        return Outcome(notice=texts.ADJUST_MOVED_ON)  # someone else adjusted the plan since this draft began
    end_flow(ctx.user)
    day = local_date(ctx.now, runner.time_zone)
    await repository.save_plan_event(ctx.session, runner.id, day, draft.to_dict(), ctx.user.id, ctx.now)

    def names_in(reader: Texts) -> dict[str, str]:
        return {
            "runner": display_name(runner, texts=reader),
            "clinician": display_name(ctx.user, texts=reader),
            "actor": display_name(ctx.user, texts=reader),
            "day": day.isoformat(),
            "summary": plan_summary(draft, reader.language),
        }

    names = names_in(texts)
    if editor.own:
        saved = texts.ADJUST_SAVED_SELF_CLEAR if draft.empty else texts.ADJUST_SAVED_SELF
    else:
        saved = texts.ADJUST_SAVED_CLEAR if draft.empty else texts.ADJUST_SAVED
    outcome = _edit(ctx, message_id, (saved.format(**names), ()))
    runner_ctx = ctx.about(runner)  # the runner's own messages and their followers' alerts collect here
    if not editor.own:
        runner_texts = runner_ctx.texts  # the runner reads it in their own language
        told = runner_texts.ADJUST_RUNNER_CLEAR if draft.empty else runner_texts.ADJUST_RUNNER
        runner_ctx.also.append(Reply(runner.chat_id, told.format(**names_in(runner_texts))))
    await _tell_followers(runner_ctx, ctx.user.id, editor, draft, names_in)
    change = await decide(runner_ctx, day)
    if change is not None:
        runner_ctx.also.extend(plan_outcome(runner_ctx, change, runner_ctx.texts.PLAN_NOW_HEADER).replies)
    ctx.also.extend(runner_ctx.also)
    return outcome


async def _tell_followers(
    ctx: RunnerContext,
    actor_id: int,
    editor: Editor,
    draft: ClinicianPlan,
    names_in: Callable[[Texts], dict[str, str]],
) -> None:
    """Everyone else who follows the runner learns of it at once (the one who set it already knows), each in
    their own language."""
    texts = ctx.texts

    def template(texts: Texts) -> Any:
        if editor.own:
            return texts.ADJUST_FOLLOWERS_SELF_CLEAR if draft.empty else texts.ADJUST_FOLLOWERS_SELF
        return texts.ADJUST_FOLLOWERS_CLEAR if draft.empty else texts.ADJUST_FOLLOWERS

    if editor.own:

        async def words(texts: Texts) -> str:
            return str(template(texts).format(**names_in(texts)))

        # the runner's own (self-recorded) adjustment: an alert like any other, as each follower chose
        await notify_followers(ctx, editor.runner, AlertKind.ADJUSTMENT, words)
        return
    for _, follower in await follows.active_followers(ctx.session, editor.runner.id):
        if follower.id != actor_id:
            texts = texts_of(follower)
            ctx.also.append(Reply(follower.chat_id, template(texts).format(**names_in(texts))))
