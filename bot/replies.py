"""What the coach wants said: plain data, turned into Telegram calls by the shell (bot/telegram/sending.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.charts import DayPoint
from bot.usecases.buttons import ButtonData

Button = tuple[str, ButtonData]  # (label, what a tap on it sends back)
Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str | None = None


@dataclass(frozen=True)
class Chart:
    """A progress chart drawn by the sender, off the event loop, once the replies before it are out: a
    4-week review's chart (about 0.2-0.4 s of matplotlib) never delays the plan it follows."""

    points: tuple[DayPoint, ...]
    title: str
    language: str = "en"  # the reader's, for the chart's labels


@dataclass(frozen=True)
class Reply:
    chat_id: int
    text: str
    keyboard: Keyboard = ()
    edit_message_id: int | None = None  # edit this message instead of sending a new one
    document: Document | None = None
    photo: bytes | Chart | None = None  # a PNG (or a chart drawn when it is sent), with `text` as its caption
    monospace: bool = False
    alert_follow_id: int | None = None  # a care-team alert: its message id is kept on this follow (to add to it)


@dataclass
class Outcome:
    """The result of handling one update: messages to send and, for a button, a short notice."""

    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None  # answerCallbackQuery text

    def say(self, chat_id: int, text: str, keyboard: Keyboard = (), **kwargs: object) -> None:
        self.replies.append(Reply(chat_id, text, keyboard, **kwargs))  # type: ignore[arg-type]


def rows(buttons: list[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def scale_keyboard(button: Callable[[int], ButtonData], low: int = 0, high: int = 10) -> Keyboard:
    """A 0–10 scale in two rows (0–5, 6–10): big enough to hit with a thumb."""
    return rows([(str(v), button(v)) for v in range(low, high + 1)], 6)


def yes_no_keyboard(button: Callable[[str], ButtonData], with_na: bool = False, *, texts: Any) -> Keyboard:
    """Yes / No (/ n/a) answering "1" / "0" (/ "na"), in the reader's language (`texts`: bot.i18n.Texts)."""
    row = [(texts.YES, button("1")), (texts.NO, button("0"))]
    if with_na:
        row.append((texts.NA, button("na")))
    return (tuple(row),)
