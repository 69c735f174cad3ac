"""One update of one person, as one unit of work: their row locked, the update id claimed (a replayed update
changes nothing twice), then the use case the router chose; what it says to others goes out with it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.i18n import Texts, resolve, texts_for
from bot.replies import Outcome
from bot.storage import models, repository
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.usecases.context import RunnerContext
from bot.usecases.schedule import schedule_prompt

UseCase = Callable[[RunnerContext], Awaitable[Outcome]]


async def handle(
    uow: UnitOfWork,
    now: datetime,
    telegram_id: int,
    chat_id: int,
    first_name: str | None,
    update_id: int | None,
    use_case: UseCase,
    *,
    create: bool = True,
    bot_username: str = "runback_bot",
    language_code: str | None = None,
) -> Outcome:
    """`create`: a person we do not know yet becomes a user (a message); False for a button, which we only ever
    sent to people we know: a stranger's tap stores nothing."""

    async def work(session: DbSession, user: models.User | None) -> Outcome:
        if user is None and not create:
            # e.g. the "Yes, delete" button tapped again after the erase: answer, but keep no row about them
            if update_id is not None:
                await repository.claim_update(session, update_id, None, now)
            return Outcome(notice=texts_for(resolve(None, language_code)).STALE_BUTTON)
        if user is None:
            user = await repository.create_user(session, telegram_id, chat_id, first_name, now)
        if update_id is not None and not await repository.claim_update(session, update_id, user.id, now):
            return Outcome()  # handled before: a replayed update changes nothing twice
        if not user.active:
            user.active = True  # they wrote to us, so they unblocked the bot
            schedule_prompt(user, now)
        if language_code and user.telegram_language != language_code[:16]:  # the last one Telegram reported
            user.telegram_language = language_code[:16]
        if user.chat_id != chat_id:  # (an unchanged attribute still costs the ORM a dirty-object flush)
            user.chat_id = chat_id
        ctx = RunnerContext(session, user, now, bot_username=bot_username)
        outcome = await use_case(ctx)
        outcome.replies.extend(ctx.also)  # alerts and notices to others, from this same update
        return outcome

    return await uow.for_runner(telegram_id, work)


async def first_delivery(uow: UnitOfWork, update_id: int, now: datetime) -> bool:
    """Claim an update that stores nothing else (a sticker, an edit, a group message): True the first time,
    False when Telegram delivers it again (a retried webhook, another worker), so it is answered once."""

    async def work(session: DbSession) -> bool:
        return await repository.claim_update(session, update_id, None, now)

    return await uow.run(work)


async def mark_blocked(uow: UnitOfWork, chat_id: int) -> None:
    """Telegram said the person blocked the bot: stop prompting them until they write again."""

    async def work(session: DbSession) -> None:
        await repository.mark_blocked(session, chat_id)

    await uow.run(work)


async def texts_of_sender(uow: UnitOfWork, telegram_id: int, language_code: str | None) -> Texts:
    """A reply that stores nothing (a sticker, an edit, a group, a forged button): in the language the person
    chose in /settings if they did, else the one Telegram reports (one indexed read, no write)."""

    async def read(session: DbSession) -> models.User | None:
        return await repository.user_by_telegram_id(session, telegram_id)

    user = await uow.run(read)
    chosen = user.language if user is not None and user.language_chosen else None
    return texts_for(resolve(chosen, language_code))
