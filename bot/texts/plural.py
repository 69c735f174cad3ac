"""A text whose words follow a count (kept apart so both text modules can use it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from engine.language import ENGLISH, Language


@dataclass(frozen=True)
class Plural:
    """A text whose words follow a count: `.format(**values)` picks the form for `values[count]` (ngettext:
    Russian has three forms, English two)."""

    singular: str
    plural: str
    count: str
    language: Language = ENGLISH

    def format(self, **values: Any) -> str:
        return self.language.ngettext(self.singular, self.plural, int(values[self.count])).format(**values)

    def translated(self, language: Language) -> Plural:
        return replace(self, language=language)
