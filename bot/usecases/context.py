"""What every use case works with: the person, the moment, the open unit of work; and small shared helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from babel.dates import format_date

from bot.i18n import Texts, resolve, texts_for
from bot.replies import Keyboard, Outcome, Reply
from bot.storage import models
from bot.storage.unit_of_work import DbSession
from bot.timezones import local_date
from engine.protocol import HIGH_RISK_SITES, SITES


@dataclass
class RunnerContext:
    session: DbSession
    user: models.User
    now: datetime
    also: list[Reply] = field(default_factory=list)  # messages to others (followers, the runner) from this update
    bot_username: str = "runback_bot"  # for /share links

    @property
    def today(self) -> date:
        return local_date(self.now, self.user.time_zone)

    @property
    def texts(self) -> Texts:
        """The bot's texts in this person's language (resolved per update from their row, never a global)."""
        return texts_of(self.user)

    def about(self, other: models.User) -> RunnerContext:
        """The same unit of work and moment, for another person (e.g. the runner a clinician cleared)."""
        return RunnerContext(self.session, other, self.now, bot_username=self.bot_username)


def language_code(user: models.User) -> str:
    """The language a person reads: their choice in /settings, else the language_code Telegram last reported
    for them, else English."""
    return resolve(user.language if user.language_chosen else None, user.telegram_language)


def uses_miles(user: models.User) -> bool:
    """Distances in miles: the person's choice in /settings, else miles where Telegram reports US English."""
    if user.distance_unit is not None:
        return user.distance_unit == "mi"
    return (user.telegram_language or "").replace("_", "-").lower() == "en-us"


def texts_of(user: models.User) -> Texts:
    """The bot's texts for a reader: the person an update comes from, or anyone it sends a message to."""
    return texts_for(language_code(user))


def say(ctx: RunnerContext, text: str, keyboard: Keyboard = ()) -> Outcome:
    outcome = Outcome()
    outcome.say(ctx.user.chat_id, text, keyboard)
    return outcome


def end_flow(user: models.User) -> None:
    user.flow = user.flow_step = None
    user.flow_data = None


def display_name(user: models.User, *, texts: Texts) -> str:
    return user.first_name or texts.UNNAMED_RUNNER


def name_suffix(user: models.User) -> str:
    return f", {user.first_name}" if user.first_name else ""


def format_day(day: date, today: date, *, texts: Texts) -> str:
    if day == today:
        return str(texts.TODAY_WORD)
    if day == today - timedelta(days=1):
        return str(texts.YESTERDAY_WORD)
    return long_day(day, texts=texts)


def short_day(day: date, *, texts: Texts) -> str:
    """A day in a table, in the reader's language: "07 Oct", "07 Okt.", "07 окт."."""
    return format_date(day, "dd MMM", locale=texts.language.code)


def long_day(day: date, *, texts: Texts) -> str:
    """A day with its weekday, in the reader's language: "Wed 07 Oct", "Mi. 07 Okt."."""
    return format_date(day, "EEE dd MMM", locale=texts.language.code)


def whole_number(raw: str, high: int) -> int | None:
    """A plain ASCII whole number from 0 to `high`, else None (str.isdigit also accepts "²" and "١", which int()
    rejects or reads as another number)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return None
    value = int(raw)
    return value if value <= high else None


def site_label(key: str, *, texts: Texts) -> str:
    name = texts.language.gettext(SITES[key].name) if key in SITES else key.replace("_", " ")
    return f"⚠ {name}" if key in HIGH_RISK_SITES else name
