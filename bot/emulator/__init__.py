"""A fake Telegram Bot API server ("emulator") for tests and ``runback demo``.

See :mod:`bot.emulator.server` for :class:`BotAPIEmulator` and :mod:`bot.emulator.spec` for the
request validator.  The Bot API spec shipped here (``botapi.json``) is a copy of ``api.min.json``
from the public project PaulSonOfLars/telegram-bot-api-spec (MIT licence, see ``LICENSE`` in this
directory), scraped from the official Bot API documentation.
"""

from bot.emulator.models import (
    BotMessage,
    CallbackAnswer,
    EmulatorEvent,
    MessageVersion,
    RecordedRequest,
    StoredFile,
)
from bot.emulator.server import BotAPIEmulator, FaultKind
from bot.emulator.spec import UploadedFile, load_spec, validate, validate_object

__all__ = [
    "BotAPIEmulator",
    "BotMessage",
    "CallbackAnswer",
    "EmulatorEvent",
    "FaultKind",
    "MessageVersion",
    "RecordedRequest",
    "StoredFile",
    "UploadedFile",
    "load_spec",
    "validate",
    "validate_object",
]
