"""What the coach wants said: plain data, turned into Telegram calls by the shell (bot/telegram_io.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import texts

Button = tuple[str, str]  # (label, callback_data)
Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    caption: str | None = None


@dataclass(frozen=True)
class Reply:
    chat_id: int
    text: str
    keyboard: Keyboard = ()
    edit_message_id: int | None = None  # edit this message instead of sending a new one
    document: Document | None = None
    photo: bytes | None = None  # a PNG, sent with `text` as its caption
    monospace: bool = False


@dataclass
class Outcome:
    """The result of handling one update: messages to send and, for a button, a short notice."""

    replies: list[Reply] = field(default_factory=list)
    notice: str | None = None  # answerCallbackQuery text

    def say(self, chat_id: int, text: str, keyboard: Keyboard = (), **kwargs: object) -> None:
        self.replies.append(Reply(chat_id, text, keyboard, **kwargs))  # type: ignore[arg-type]


def rows(buttons: list[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def scale_keyboard(prefix: str, low: int = 0, high: int = 10) -> Keyboard:
    """A 0–10 scale in two rows (0–5, 6–10): big enough to hit with a thumb."""
    buttons = [(str(v), f"{prefix}:{v}") for v in range(low, high + 1)]
    return rows(buttons, 6)


def yes_no_keyboard(prefix: str, with_na: bool = False) -> Keyboard:
    row = [(texts.YES, f"{prefix}:1"), (texts.NO, f"{prefix}:0")]
    if with_na:
        row.append((texts.NA, f"{prefix}:na"))
    return (tuple(row),)
