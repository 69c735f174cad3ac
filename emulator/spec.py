"""The machine-readable Telegram Bot API spec and a validator for requests against it.

``botapi.json`` (next to this module) is a copy of ``api.min.json`` from the public project
`PaulSonOfLars/telegram-bot-api-spec <https://github.com/PaulSonOfLars/telegram-bot-api-spec>`_,
scraped from the official Bot API documentation (MIT licence, Copyright (c) 2020 Paul Larsen; the
licence text is in ``LICENSE`` next to this module).  Its shape::

    {"version", "release_date", "changelog",
     "methods": {NAME: {"name", "returns": [TYPE], "fields": [{"name", "types", "required",
                                                               "description"}]}},
     "types": {NAME: {"fields": [...], "subtypes": [...]}}}

Type names are Bot API names: ``Integer``, ``String``, ``Boolean``, ``Float``, ``Array of X``,
``InputFile`` and object types.

Two steps, kept apart so each can be tested:

* :func:`decode_params` turns what arrived over HTTP (form fields, where every non-string value
  is JSON-encoded, as PTB and Telegram do it; or a JSON body) into Python values, using the spec
  to know which fields are plain strings (a ``text`` of ``"42"`` stays a string).
* :func:`validate` checks decoded parameters: unknown method, unknown parameter, missing required
  parameter, wrong types (recursively through objects, arrays and unions), length limits stated in
  the spec's descriptions (``1-4096 characters``, ``1-64 bytes``), entity parsing for
  ``parse_mode`` texts, and a few rules Telegram enforces that the types alone do not express.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

from emulator.formatting import EntityParseError, parse_text

__all__ = [
    "Spec",
    "UploadedFile",
    "decode_params",
    "load_spec",
    "validate",
    "validate_object",
]

_SPEC_RESOURCE = "botapi.json"


@dataclass(frozen=True)
class UploadedFile:
    """A file uploaded in a ``multipart/form-data`` request (a Bot API ``InputFile``)."""

    field_name: str
    filename: str
    content: bytes
    content_type: str

    def __repr__(self) -> str:  # never dump the (possibly private) content
        return f"UploadedFile({self.field_name!r}, {self.filename!r}, {len(self.content)} bytes)"


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True)
class MethodSpec:
    name: str
    returns: tuple[str, ...]
    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class TypeSpec:
    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...]


_PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "InputFile"})
_LENGTH_RE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always) [“\"]?([a-z_]+)[”\"]?")
# InlineKeyboardButton fields that are not the button's single "action"
_BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})


class Spec:
    """The parsed Bot API spec."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = str(raw.get("version", ""))
        self.release_date: str = str(raw.get("release_date", ""))
        self.methods: dict[str, MethodSpec] = {}
        self.types: dict[str, TypeSpec] = {}
        for name, m in raw["methods"].items():
            self.methods[name] = MethodSpec(name, tuple(m.get("returns", ())), _fields(m))
        for name, t in raw["types"].items():
            self.types[name] = TypeSpec(name, _fields(t), tuple(t.get("subtypes", ())))
        self._by_lower = {name.lower(): name for name in self.methods}

    def method(self, name: str) -> MethodSpec | None:
        """Look a method up case-insensitively, as Telegram does (``sendmessage`` works)."""
        canonical = self._by_lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    def canonical_method_name(self, name: str) -> str | None:
        """``sendmessage`` -> ``sendMessage``; ``None`` for an unknown method."""
        return self._by_lower.get(name.lower())


def _fields(raw: Mapping[str, Any]) -> dict[str, FieldSpec]:
    return {
        f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]), f.get("description", ""))
        for f in raw.get("fields", ())
    }


@functools.cache
def load_spec() -> Spec:
    """Load the copy of the spec shipped in this package (cached)."""
    text = resources.files("emulator").joinpath(_SPEC_RESOURCE).read_text(encoding="utf-8")
    return Spec(json.loads(text))


# ------------------------------------------------------------------------------------------ decoding


def _is_string_only(types: tuple[str, ...]) -> bool:
    return {t for t in types if t != "InputFile"} == {"String"}


def decode_params(method: str, raw: Mapping[str, Any], spec: Spec | None = None) -> dict[str, Any]:
    """Turn HTTP-level parameters into Python values.

    ``raw`` maps names to strings (form fields, query strings), :class:`UploadedFile` (multipart
    file parts) or already-decoded JSON values (JSON bodies).  A string is JSON-decoded unless the
    spec says the field is a plain ``String`` (so ``text="42"`` stays ``"42"`` while
    ``chat_id="42"`` becomes ``42`` and ``reply_markup='{"inline_keyboard": ...}'`` becomes a
    dict).  A string that is not valid JSON is kept as it is (``chat_id="@channel"``); the
    validator reports it if its type is wrong.  Unknown methods and parameters are decoded
    leniently (JSON if possible) so the validator can name them.
    """
    spec = spec or load_spec()
    m = spec.method(method)
    out: dict[str, Any] = {}
    for name, value in raw.items():
        field = m.fields.get(name) if m else None
        if isinstance(value, str) and not (field is not None and _is_string_only(field.types)):
            try:
                out[name] = json.loads(value)
            except ValueError:
                out[name] = value
        else:
            out[name] = value
    return out


# ---------------------------------------------------------------------------------------- validation


def validate(method: str, params: Mapping[str, Any], spec: Spec | None = None) -> list[str]:
    """Check one request; returns the problems found (empty list = valid).

    ``params`` are decoded values (see :func:`decode_params`); uploaded files are
    :class:`UploadedFile` instances.
    """
    spec = spec or load_spec()
    m = spec.method(method)
    if m is None:
        return [f"unknown method {method!r}"]
    problems: list[str] = []
    for name in params:
        if name not in m.fields:
            problems.append(f"unknown parameter {name!r} for method {m.name}")
    for name, fs in m.fields.items():
        if fs.required and name not in params:
            problems.append(f"missing required parameter {name!r} for method {m.name}")
    for name, value in params.items():
        param = m.fields.get(name)
        if param is None:
            continue
        type_problems = _check_value(spec, value, param.types, name)
        problems.extend(type_problems or _check_limits(param, value, name, params))
    problems.extend(_method_rules(m.name, params))
    return problems


def validate_object(type_name: str, value: Any, spec: Spec | None = None, path: str = "") -> list[str]:
    """Check that ``value`` is a valid instance of the Bot API type ``type_name``.

    Useful to check the emulator's own responses and updates against the spec.
    """
    spec = spec or load_spec()
    return _check_value(spec, value, (type_name,), path or type_name)


def _json_kind(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "an uploaded file"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a Boolean"
    if isinstance(value, int):
        return "an Integer"
    if isinstance(value, float):
        return "a Float"
    if isinstance(value, str):
        return "a String"
    if isinstance(value, list):
        return "an Array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shape_matches(value: Any, t: str) -> bool:
    if t.startswith("Array of "):
        return isinstance(value, list)
    if t == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if t == "String":
        return isinstance(value, str)
    if t == "Boolean":
        return isinstance(value, bool)
    if t == "InputFile":
        return isinstance(value, UploadedFile) or (isinstance(value, str) and value.startswith("attach://"))
    return isinstance(value, dict)


def _check_value(spec: Spec, value: Any, types: tuple[str, ...], path: str) -> list[str]:
    """Problems of ``value`` against a union of ``types`` (empty if any alternative fits)."""
    candidates = [t for t in types if _shape_matches(value, t)]
    if not candidates:
        return [f"{path}: expected {' or '.join(types)}, got {_json_kind(value)}"]
    best: list[str] | None = None
    for t in candidates:
        problems = _check_one(spec, value, t, path)
        if not problems:
            return []
        if best is None or len(problems) < len(best):
            best = problems
    assert best is not None
    if len(candidates) > 1:
        return [f"{path}: does not match any of {' or '.join(candidates)}: {best[0]}", *best[1:]]
    return best


def _check_one(spec: Spec, value: Any, t: str, path: str) -> list[str]:
    if t.startswith("Array of "):
        inner = t.removeprefix("Array of ")
        problems: list[str] = []
        for i, item in enumerate(cast("list[Any]", value)):
            problems.extend(_check_value(spec, item, (inner,), f"{path}[{i}]"))
        return problems
    if t in _PRIMITIVES:
        return []  # shape already checked
    ts = spec.types.get(t)
    if ts is None:
        return [f"{path}: unknown type {t}"]
    obj = cast("dict[str, Any]", value)
    if ts.subtypes:
        return _check_subtypes(spec, obj, ts, path)
    return _check_object(spec, obj, ts, path)


def _discriminator(ts: TypeSpec) -> tuple[str, str] | None:
    for name in ("type", "source", "status"):
        f = ts.fields.get(name)
        if f is not None and f.required:
            m = _DISCRIMINATOR_RE.search(f.description)
            if m:
                return name, m.group(1)
    return None


def _check_subtypes(spec: Spec, obj: dict[str, Any], ts: TypeSpec, path: str) -> list[str]:
    subtypes = [spec.types[s] for s in ts.subtypes if s in spec.types]
    matching: list[TypeSpec] = []
    for sub in subtypes:
        disc = _discriminator(sub)
        if disc is None or obj.get(disc[0]) == disc[1]:
            matching.append(sub)
    if not matching:
        kinds = sorted({d[1] for s in subtypes if (d := _discriminator(s))})
        key = next((d[0] for s in subtypes if (d := _discriminator(s))), "type")
        return [f"{path}: unknown {ts.name} {key} {obj.get(key)!r} (expected one of {', '.join(kinds)})"]
    best: list[str] | None = None
    for sub in matching:
        problems = _check_object(spec, obj, sub, path)
        if not problems:
            return []
        if best is None or len(problems) < len(best):
            best = problems
    assert best is not None
    return best


def _check_object(spec: Spec, obj: dict[str, Any], ts: TypeSpec, path: str) -> list[str]:
    problems: list[str] = []
    for name in obj:
        if name not in ts.fields:
            problems.append(f"{path}: unknown field {name!r} for {ts.name}")
    for name, fs in ts.fields.items():
        if fs.required and name not in obj:
            problems.append(f"{path}: missing required field {name!r} of {ts.name}")
    for name, value in obj.items():
        field_spec = ts.fields.get(name)
        if field_spec is None:
            continue
        sub = _check_value(spec, value, field_spec.types, f"{path}.{name}")
        problems.extend(sub)
        if not sub:
            problems.extend(_check_limits(field_spec, value, f"{path}.{name}", obj))
    if ts.name == "InlineKeyboardButton" and not problems:
        actions = [k for k in obj if k not in _BUTTON_DECORATION]
        if len(actions) != 1:
            problems.append(
                f"can't parse inline keyboard button: {path} must have exactly one of url, callback_data, "
                f"web_app, ... (has {', '.join(actions) or 'none'})"
            )
    if ts.name == "BotCommand" and not problems and not _COMMAND_RE.match(str(obj.get("command", ""))):
        problems.append(f"BOT_COMMAND_INVALID ({path}.command must be 1-32 lowercase letters, digits or underscores)")
    return problems


def _check_limits(f: FieldSpec, value: Any, path: str, siblings: Mapping[str, Any]) -> list[str]:
    if not isinstance(value, str):
        return []
    m = _LENGTH_RE.search(f.description)
    if m is None:
        return []
    low, high, unit = int(m.group(1)), int(m.group(2)), m.group(3)
    if unit == "bytes":
        size = len(value.encode("utf-8"))
    else:
        size = len(value)
        if "after entit" in f.description:
            mode_key = "quote_parse_mode" if f.name == "quote" else "parse_mode"
            mode = siblings.get(mode_key)
            if isinstance(mode, str) and mode:
                if mode.lower() not in _PARSE_MODES:
                    return []  # reported by the method rules
                try:
                    size = len(parse_text(value, mode).text)
                except EntityParseError as exc:
                    return [f"can't parse entities: {exc} (in {path})"]
    if low <= size <= high:
        return []
    if f.name == "callback_data":
        return [f"BUTTON_DATA_INVALID ({path} must be {low}-{high} bytes, got {size})"]
    if f.name == "text" and "." not in path and size == 0:
        return ["message text is empty"]
    if f.name == "text" and "." not in path and high == 4096:
        return [f"message is too long ({path} must be {low}-{high} {unit}, got {size})"]
    return [f"{path} must be {low}-{high} {unit}, got {size}"]


def _method_rules(method: str, params: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in ("parse_mode", "quote_parse_mode"):
        mode = params.get(key)
        if isinstance(mode, str) and mode and mode.lower() not in _PARSE_MODES:
            problems.append(f"unsupported {key} {mode!r}")
    if method == "sendChatAction":
        action = params.get("action")
        if isinstance(action, str) and action not in _CHAT_ACTIONS:
            problems.append(f"wrong parameter action in request ({action!r})")
    if method in ("editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"):
        if "inline_message_id" not in params and not ("chat_id" in params and "message_id" in params):
            problems.append(f"{method} needs chat_id and message_id, or inline_message_id")
    if method == "editMessageText" and "text" not in params and "rich_message" not in params:
        problems.append("message text is empty")
    return problems
