"""A fake Telegram Bot API server ("emulator") for tests and ``runback demo``.

See :mod:`emulator.server` for :class:`BotAPIEmulator` (it names the parts: HTTP, spec validation,
user side, faults) and :mod:`emulator.spec` for the request validator.  A dev tool: the bot itself
never imports it; ``runback demo``, the tests and the benchmarks do.  The Bot API spec shipped here
(``botapi.json``) is a copy of ``api.min.json`` from the public project
PaulSonOfLars/telegram-bot-api-spec (MIT licence, see ``LICENSE`` in this directory), scraped from the
official Bot API documentation.
"""

from emulator.models import (
    MAX_DOWNLOAD_BYTES,
    BotMessage,
    CallbackAnswer,
    EmulatorEvent,
    MessageVersion,
    RecordedRequest,
    StoredFile,
)
from emulator.server import BotAPIEmulator, FaultKind
from emulator.spec import UploadedFile, load_spec, validate, validate_object

__all__ = [
    "MAX_DOWNLOAD_BYTES",
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
