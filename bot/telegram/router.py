"""From what a person sent (a command, free text, a button) to the use case that handles it.

Each update is one unit of work (bot/usecases/update.py): the person's row locked, the update claimed once,
then the use case chosen here from the command, the phrase, the decoded button or the open conversation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.activity import ActivityWorker
from bot.clock import Clock
from bot.i18n import Texts
from bot.replies import Outcome
from bot.storage.taps import CheckinTaps
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram.callbacks import unpack
from bot.usecases import (
    account,
    activity_file,
    adjust_plan,
    alerts,
    checkin,
    onboarding,
    pain,
    reports,
    session_log,
    settings,
    team,
    update,
)
from bot.usecases import buttons as b
from bot.usecases.context import RunnerContext, say
from bot.usecases.steps import TYPED_STEPS
from bot.usecases.today import today
from engine.model import Event

UseCase = Callable[[RunnerContext], Awaitable[Outcome]]

# a coach or clinician need not be a runner themselves
ANYONE_COMMANDS: dict[str, UseCase] = {
    "help": account.help_,
    "cancel": account.cancel,
    "delete": account.ask_delete,
    "runners": team.runners,
    "export": account.export,
}
RUNNER_COMMANDS: dict[str, UseCase] = {
    "share": team.share,
    "team": team.team,
    "progress": reports.progress,
    "report": reports.report,
    "today": today,
    "checkin": checkin.start,
    "log": session_log.start,
    "pain": pain.ask_kind,
    "pause": pain.pause,
    "resume": pain.resume,
    "ready": settings.ready,
    "history": account.history,
    "settings": settings.menu,
    "clinician": adjust_plan.own_plan,
}
STEP_FLOWS = ("onboarding", "settings", "ready")


async def route_command(ctx: RunnerContext, command: str, argument: str = "") -> Outcome:
    texts = ctx.texts
    if command == "start" and argument:
        return await team.open_invitation(ctx, argument)  # a deep link from a runner's /share
    if command == "start":
        return await onboarding.start(ctx)
    if command in ANYONE_COMMANDS:
        return await ANYONE_COMMANDS[command](ctx)
    if command == "settings":
        return await settings.menu(ctx)  # a follower's alert settings too (they need not be a runner)
    if ctx.user.onboarded_at is None:
        return await onboarding.continue_onboarding(ctx, texts.NOT_ONBOARDED)
    use_case = RUNNER_COMMANDS.get(command)
    if use_case is None:
        return say(ctx, texts.UNKNOWN_TEXT)
    return await use_case(ctx)


def _normalized(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").strip(" ?!.¿¡").split())


async def route_text(ctx: RunnerContext, text: str) -> Outcome:
    """Free text: an answer to the open question, an invitation code, "what's today?", a pain report."""
    texts = ctx.texts
    user = ctx.user
    if user.flow in STEP_FLOWS and user.flow_step in TYPED_STEPS:
        return await onboarding.answer(ctx, user.flow_step, text)
    if user.flow == "log" and user.flow_step == "run_minutes":
        return await session_log.typed_minutes(ctx, text)
    if user.flow == "follower" and user.flow_step == "timezone":
        return await onboarding.answer(ctx, "timezone", text)
    if user.flow in (None, "onboarding") and team.looks_like_code(text):
        return await team.open_invitation(ctx, text)
    if user.flow is not None and user.flow != "checkin":
        return say(ctx, texts.USE_BUTTONS)
    if user.onboarded_at is None:
        return await onboarding.continue_onboarding(ctx, texts.NOT_ONBOARDED)
    normalized = _normalized(text)
    if normalized in texts.TODAY_PHRASES or normalized.startswith(texts.TODAY_PHRASE_STARTS):
        return await today(ctx)
    if any(word in normalized for word in texts.PAIN_WORDS):
        return await pain.ask_kind(ctx)  # first: a pain word is never missed, whatever else was said
    if normalized.startswith(texts.CLINICIAN_PHRASE_STARTS):
        return await adjust_plan.own_plan(ctx)
    if user.flow == "checkin":
        return say(ctx, texts.USE_BUTTONS)
    return say(ctx, texts.UNKNOWN_TEXT)


async def route_document(ctx: RunnerContext, parsed: activity_file.Parsed) -> Outcome:
    """A file sent as a document, already read: a watch file to log."""
    texts = ctx.texts
    if ctx.user.onboarded_at is None:
        return await onboarding.continue_onboarding(ctx, texts.NOT_ONBOARDED)
    return await activity_file.received(ctx, parsed)


async def _care_team_button(ctx: RunnerContext, button: b.ButtonData | None) -> Outcome | None:
    """Buttons of the care team (both sides; a follower need not be onboarded); None for any other."""
    match button:
        case b.InvitationAnswer(accept):
            return await team.answer_invitation(ctx, accept)
        case b.ShareRole(role) if ctx.user.onboarded_at is not None:
            return await team.create_invitation(ctx, role)
        case b.ConfirmFollower(follow_id, confirmed):
            return await team.confirm_follower(ctx, follow_id, confirmed)
        case b.RemoveFollower(follow_id):
            return await team.remove_follower(ctx, follow_id)
        case b.RecordClearance(runner_id, cleared):
            return await team.record_clearance(ctx, runner_id, cleared)
        case b.ViewRunner(runner_id):
            return await team.view_runner(ctx, runner_id)
        case b.LeaveRunner(runner_id):
            return await team.leave(ctx, runner_id)
        case b.AskClearance(runner_id):
            return await team.ask_clearance(ctx, runner_id)
        case b.ConfirmRedsReview(runner_id):
            return await team.confirm_review(ctx, runner_id, Event.REDS_REVIEW_CONFIRMED)
        case b.ConfirmReadiness(runner_id):
            return await team.confirm_review(ctx, runner_id, Event.READINESS_CONFIRMED)
        case b.RunnerProgress(runner_id):
            return await reports.progress(ctx, runner_id)
        case b.AlertPrefs():
            return await alerts.preferences_menu(ctx)
        case b.LanguageMenu():  # anyone's (a follower need not be onboarded)
            return settings.language_menu(ctx)
        case b.SetLanguage(code):
            return settings.set_language(ctx, code)
        case b.UnitsMenu():
            return settings.units_menu(ctx)
        case b.SetUnits(unit):
            return settings.set_units(ctx, unit)
        case b.ToggleAlert(kind):
            return await alerts.toggle(ctx, kind)
        case b.AskSilenceDays(runner_id):
            return await alerts.ask_silence_days(ctx, runner_id)
        case b.SetSilenceDays(runner_id, days):
            return await alerts.set_silence_days(ctx, runner_id, days)
    return None


async def route_button(ctx: RunnerContext, button: b.ButtonData | None, message_id: int) -> Outcome:
    """A decoded button (None: data we could not have written)."""
    texts = ctx.texts
    if isinstance(button, b.StepAnswer):
        return await onboarding.tapped(ctx, button)
    if isinstance(button, b.DeleteAnswer):
        return await account.delete(ctx, button.confirmed)
    if isinstance(button, b.AdjustPlan):
        return await adjust_plan.open_editor(ctx, button.runner_id)
    if isinstance(button, adjust_plan.EditorTap):
        return await adjust_plan.tapped(ctx, button, message_id)
    care_outcome = await _care_team_button(ctx, button)
    if care_outcome is not None:
        return care_outcome
    if ctx.user.onboarded_at is None:
        return Outcome(notice=texts.NOT_ONBOARDED)
    match button:
        case b.CheckinAnswer():
            return await checkin.answer(ctx, button, message_id)
        case b.CheckinBack():
            return await checkin.back(ctx, button, message_id)
        case b.CheckinNoSigns():
            return await checkin.record_no_signs(ctx, button, message_id)
        case b.CheckinNoSignsBack():
            return await checkin.undo_no_signs(ctx, button, message_id)
        case b.Snooze(day):
            return await checkin.snooze(ctx, day)
        case b.LogAnswer():
            return await session_log.tapped(ctx, button, message_id)
        case b.FileSameDay():
            return await activity_file.same_day(ctx, button)
        case b.LogDay(day):
            return await session_log.pick_day(ctx, day, message_id)
        case b.PainKind(kind):
            return await pain.report(ctx, kind, None)
        case b.PainLevel(kind, level):
            return await pain.report(ctx, kind, level)
        case b.SettingsPick(key):
            return await settings.pick(ctx, key)
        case b.SelfClearance(answer):
            return await pain.self_reported_clearance(ctx, answer)
        case b.CheckinNow():
            return await checkin.start(ctx)
    return Outcome(notice=texts.FORGED_BUTTON)


class Router:
    """What the handlers call: one method per kind of update, each one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        taps: CheckinTaps | None = None,
        activity: activity_file.Parser | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.taps = taps  # the plain check-in answer tap without the ORM (bot/storage/taps.py); None: ORM only
        # watch files are read in a worker process, started at the first file (bot/activity/worker.py)
        self.activity: activity_file.Parser = activity if activity is not None else ActivityWorker()
        self.bot_username = "runback_bot"  # set from getMe at start; used in /share links

    async def texts_of(self, telegram_id: int, language_code: str | None) -> Texts:
        """The words of a reply that stores nothing, in the sender's language (bot/usecases/update.py)."""
        return await update.texts_of_sender(self.uow, telegram_id, language_code)

    async def _handle(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        update_id: int | None,
        use_case: UseCase,
        create: bool = True,
        language_code: str | None = None,
    ) -> Outcome:
        now = self.clock.now()
        return await update.handle(
            self.uow,
            now,
            telegram_id,
            chat_id,
            first_name,
            update_id,
            use_case,
            create=create,
            bot_username=self.bot_username,
            language_code=language_code,
        )

    async def on_command(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        command: str,
        update_id: int | None = None,
        argument: str = "",
        language_code: str | None = None,
    ) -> Outcome:
        """`language_code`: Telegram's for this person (the reply's language unless they chose one)."""
        return await self._handle(
            telegram_id,
            chat_id,
            first_name,
            update_id,
            lambda ctx: route_command(ctx, command, argument),
            language_code=language_code,
        )

    async def on_text(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        text: str,
        update_id: int | None = None,
        language_code: str | None = None,
    ) -> Outcome:
        return await self._handle(
            telegram_id, chat_id, first_name, update_id, lambda ctx: route_text(ctx, text), language_code=language_code
        )

    async def on_button(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        message_id: int,
        data: str,
        update_id: int | None = None,
        language_code: str | None = None,
    ) -> Outcome:
        button = unpack(data)
        if self.taps is not None and update_id is not None and isinstance(button, b.CheckinAnswer):
            now = self.clock.now()
            tapped = await checkin.answer_plain_tap(self.taps, now, telegram_id, chat_id, message_id, button, update_id)
            if tapped is not None:
                return tapped
        return await self._handle(
            telegram_id,
            chat_id,
            first_name,
            update_id,
            lambda ctx: route_button(ctx, button, message_id),
            create=False,  # our buttons only go to people we know: a stranger's tap stores nothing
            language_code=language_code,
        )

    async def on_document(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        filename: str,
        received: activity_file.Received,
        update_id: int | None = None,
    ) -> Outcome:
        """A file sent as a document: read before the unit of work (no row lock held while a file is parsed)."""
        parsed = await activity_file.read(self.activity, filename, received)
        return await self._handle(telegram_id, chat_id, first_name, update_id, lambda ctx: route_document(ctx, parsed))

    def close(self) -> None:
        """Stop the watch-file worker process, if one was started."""
        if isinstance(self.activity, ActivityWorker):
            self.activity.close()

    async def first_delivery(self, update_id: int) -> bool:
        return await update.first_delivery(self.uow, update_id, self.clock.now())

    async def mark_blocked(self, chat_id: int) -> None:
        await update.mark_blocked(self.uow, chat_id)

    async def alert_sent(self, follow_id: int, message_id: int) -> None:
        await alerts.record_sent(self.uow, follow_id, message_id)
