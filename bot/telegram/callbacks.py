"""The button codec: each kind of button (bot/usecases/buttons.py) written into Telegram's `callback_data` and
read back, in this one place.

The wire form is `prefix:field:field...`, each field in its declared type: a day as YYYYMMDD, a whole number in
ASCII digits, yes/no, one of a Literal's choices, or text. Telegram carries at most 64 bytes: `pack` refuses
to build more. Anything a client sends back is untrusted: `unpack` answers None for whatever is not exactly a
button we could have written (never an exception), so a handler never parses a string itself.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from bot.timezones import day_code, parse_day_code
from bot.usecases import buttons as b

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_DIGITS = 18  # whole numbers below 10**18 (ids)

# The prefixes are part of what is stored in chats already sent: never reuse or change one.
KINDS: tuple[tuple[str, type[b.ButtonData]], ...] = (
    ("o", b.StepAnswer),
    ("s", b.SettingsPick),
    ("d", b.DeleteAnswer),
    ("c", b.CheckinAnswer),
    ("cb", b.CheckinBack),
    ("cn", b.CheckinNoSigns),
    ("cnb", b.CheckinNoSignsBack),
    ("n", b.CheckinNow),
    ("z", b.Snooze),
    ("ld", b.LogDay),
    ("l", b.LogAnswer),
    ("fs", b.FileSameDay),
    ("p", b.PainKind),
    ("p", b.PainLevel),
    ("cc", b.SelfClearance),
    ("sh", b.ShareRole),
    ("iv", b.InvitationAnswer),
    ("fc", b.ConfirmFollower),
    ("tm", b.RemoveFollower),
    ("rv", b.ViewRunner),
    ("lv", b.LeaveRunner),
    ("pg", b.RunnerProgress),
    ("ck", b.AskClearance),
    ("ckc", b.RecordClearance),
    ("rr", b.ConfirmRedsReview),
    ("rd", b.ConfirmReadiness),
    ("ap", b.AdjustPlan),
    ("af", b.AdjustPick),
    ("av", b.AdjustSet),
    ("an", b.AdjustNoLimit),
    ("am", b.AdjustMode),
    ("ad", b.AdjustStep),
    ("al", b.AlertPrefs),
    ("alk", b.ToggleAlert),
    ("sa", b.AskSilenceDays),
    ("sad", b.SetSilenceDays),
    ("lg", b.LanguageMenu),
    ("lgs", b.SetLanguage),
    ("un", b.UnitsMenu),
    ("uns", b.SetUnits),
)
REST_OF_DATA = {b.StepAnswer}  # the last field takes the rest of the data, ":" included


def _parse_whole(raw: str) -> int | None:
    # str.isdigit alone also accepts "²" and "١", which int() rejects or reads as another number; "007" is not
    # what `pack` writes
    if not (0 < len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit()) or (raw[0] == "0" and raw != "0"):
        return None
    return int(raw)


def _write_whole(value: int) -> str:
    if not 0 <= value < 10**MAX_DIGITS:
        raise ValueError(f"not a whole number of at most {MAX_DIGITS} digits: {value}")
    return str(value)


def _parse_yes_no(raw: str) -> bool | None:
    return {"yes": True, "no": False}.get(raw)


def _write_text(value: str) -> str:
    if ":" in value:
        raise ValueError(f"':' in a button field: {value!r}")
    return value


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    write: Callable[[Any], str]
    read: Callable[[str], Any]  # None: not a value of this field


def _field(name: str, hint: Any, rest_of_data: bool) -> _Field:
    if hint is date:
        return _Field(name, day_code, parse_day_code)
    if hint is bool:
        return _Field(name, lambda v: "yes" if v else "no", _parse_yes_no)
    if hint is int:
        return _Field(name, _write_whole, _parse_whole)
    if typing.get_origin(hint) is Literal:
        choices = {str(c): c for c in typing.get_args(hint)}

        def write_choice(value: Any) -> str:
            if value not in choices:
                raise ValueError(f"{name} is not one of {sorted(choices)}: {value!r}")
            return _write_text(value)

        return _Field(name, write_choice, choices.get)
    if hint is str:
        return _Field(name, (lambda v: v) if rest_of_data else _write_text, lambda raw: raw)
    raise TypeError(f"no wire form for {name}: {hint!r}")


@dataclasses.dataclass(frozen=True)
class _Kind:
    prefix: str
    type: type[b.ButtonData]
    fields: tuple[_Field, ...]
    rest_of_data: bool


def _kind(prefix: str, kind: type[b.ButtonData]) -> _Kind:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    rest = kind in REST_OF_DATA
    fields = tuple(_field(n, hints[n], rest and i == len(names) - 1) for i, n in enumerate(names))
    return _Kind(prefix, kind, fields, rest)


_BY_TYPE: dict[type[b.ButtonData], _Kind] = {kind: _kind(prefix, kind) for prefix, kind in KINDS}
_BY_PREFIX: dict[str, list[_Kind]] = {}
for _k in _BY_TYPE.values():
    _BY_PREFIX.setdefault(_k.prefix, []).append(_k)


def pack(button: b.ButtonData) -> str:
    """The callback_data of a button; ValueError if it cannot be written within Telegram's 64 bytes."""
    kind = _BY_TYPE[type(button)]
    data = ":".join([kind.prefix, *(f.write(getattr(button, f.name)) for f in kind.fields)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str) -> b.ButtonData | None:
    """The button a callback_data stands for, or None for anything we could not have written."""
    try:
        if len(data.encode()) > MAX_BYTES:
            return None
    except UnicodeEncodeError:  # a lone surrogate: not text Telegram could have carried
        return None
    prefix, colon, rest = data.partition(":")
    if not colon:
        return None
    for kind in _BY_PREFIX.get(prefix, ()):
        count = len(kind.fields)
        parts = rest.split(":", count - 1) if kind.rest_of_data else rest.split(":")
        if len(parts) != count:
            continue
        values = [f.read(part) for f, part in zip(kind.fields, parts, strict=True)]
        if any(v is None for v in values):
            return None
        return kind.type(*values)
    return None
