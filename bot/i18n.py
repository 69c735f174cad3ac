"""The languages RunBack speaks: gettext catalogs compiled from bot/locales/*/LC_MESSAGES/runback.po
(`make catalogs` extracts and updates them; `make install` and the Docker build compile them).

A reply's language is resolved per update, never kept in a global: the person's own choice in /settings
first, then Telegram's `language_code` (`de-AT` -> `de`), then English.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from bot import texts as english_texts
from bot.texts.plural import Plural
from engine.language import ENGLISH, Language

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "runback"
LANGUAGES = ("en", "de", "es", "ru")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "es": "Español", "ru": "Русский"}
"""Each language in its own name (the /settings buttons)."""


@dataclass(frozen=True)
class CatalogLanguage:
    """A `Language` (engine/language.py) backed by a compiled gettext catalog and Babel's number format."""

    code: str
    translations: gettext.NullTranslations = field(compare=False)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def number(self, value: float) -> str:
        return format_decimal(value, format="#,##0.##", locale=self.code)


class CatalogMissing(RuntimeError):
    """A language's compiled catalog is not there: the build did not run `pybabel compile`."""


@cache
def language(code: str) -> Language:
    """The `Language` for a supported code (English for anything else)."""
    if code not in LANGUAGES or code == "en":
        return ENGLISH
    try:
        translations = gettext.translation(DOMAIN, localedir=LOCALES, languages=[code])
    except FileNotFoundError as exc:
        raise CatalogMissing(f"no compiled catalog for {code!r} in {LOCALES} (run `make install`)") from exc
    return CatalogLanguage(code, translations)


def resolve(chosen: str | None, telegram_code: str | None) -> str:
    """The reply's language code: the person's choice, else Telegram's (its first part), else English."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-", 1)[0].lower()
        if base in LANGUAGES:
            return base
    return "en"


# ---------------------------------------------------------------- the bot's own texts (bot/texts/)
NOT_TRANSLATED = frozenset(
    {
        "MAX_MESSAGE",
        "ALERT_SEPARATOR",
        # what a runner may type: every language's phrases, recognised for every runner
        "TODAY_PHRASES",
        "TODAY_PHRASE_STARTS",
        "PAIN_WORDS",
        "CLINICIAN_PHRASE_STARTS",
        # file names stay stable machine names
        "EXPORT_DAILY_FILENAME",
        "EXPORT_ALL_FILENAME",
        "REPORT_FILENAME",
    }
)
_PLACEHOLDERS = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]{2,}")


def has_words(text: str) -> bool:
    """A text with a word outside its placeholders (the others, "{value}%" or "‹ Back"'s arrow alone, read
    the same in every language)."""
    return bool(_WORD.search(_PLACEHOLDERS.sub("", text)))


def _is_pairs(value: tuple[object, ...]) -> bool:
    """((machine key, text), ...): the command menu's shape; only the texts are words."""
    return bool(value) and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value)


def _translate(value: Any, lang: Language) -> Any:
    if isinstance(value, str):
        return lang.gettext(value) if has_words(value) else value
    if isinstance(value, Plural):
        return value.translated(lang)
    if isinstance(value, dict):
        return {key: _translate(text, lang) for key, text in value.items()}
    if isinstance(value, tuple):
        if _is_pairs(value):
            return tuple((key, _translate(text, lang)) for key, text in value)
        return tuple(_translate(text, lang) for text in value)
    return value


def translatable(namespace: dict[str, Any]) -> list[str | tuple[str, str]]:
    """Every text of a texts module's namespace that a catalog translates, in order (the catalog extractor
    and the tests read this one list)."""
    found: list[str | tuple[str, str]] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            if has_words(value) and value not in found:
                found.append(value)
        elif hasattr(value, "singular"):  # a Plural (of the extractor's own run of the module, too)
            if (value.singular, value.plural) not in found:
                found.append((value.singular, value.plural))
        elif isinstance(value, dict):
            for text in value.values():
                collect(text)
        elif isinstance(value, tuple):
            for text in value:
                collect(text[1] if _is_pairs(value) else text)

    for name, value in namespace.items():
        if name.isupper() and name not in NOT_TRANSLATED:
            collect(value)
    return found


def extract_texts(
    fileobj: Any, keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """A Babel extractor for bot/texts/ (babel.cfg): its module-level constants are the templates."""
    namespace: dict[str, Any] = {}
    exec(compile(fileobj.read(), "bot/texts/", "exec"), namespace)
    for text in translatable(namespace):
        yield 0, "ngettext" if isinstance(text, tuple) else None, text, []


class Texts:
    """bot/texts/ read in one language: `texts_for("de").CHECKIN_DONE_HEADER` is the German text; dicts and
    tuples are translated element-wise (their keys stay machine keys). One per language, made once."""

    def __init__(self, lang: Language) -> None:
        self.language = lang

    def __getattr__(self, name: str) -> Any:
        value = getattr(english_texts, name)  # an unknown name is an AttributeError, as on the module
        translated = value if name in NOT_TRANSLATED else _translate(value, self.language)
        self.__dict__[name] = translated  # found directly from now on
        return translated


@cache
def texts_for(code: str) -> Texts:
    """The bot's texts in the language `code` (English for an unknown one)."""
    return Texts(language(code))
