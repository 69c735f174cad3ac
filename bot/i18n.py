"""The languages RunBack speaks: gettext catalogs compiled from bot/locales/*/LC_MESSAGES/runback.po
(`make catalogs` extracts and updates them; `make install` and the Docker build compile them).

A reply's language is resolved per update, never kept in a global: the person's own choice in /settings
first, then Telegram's `language_code` (`de-AT` -> `de`), then English.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal

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
