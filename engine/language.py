"""The language a message is written in: the engine's messages are English templates looked up through a
`Language`, so that the shell can render a decision in the reader's language (gettext catalogs) while the
engine stays pure: a `Language` is data handed in, the engine loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Language(Protocol):
    @property
    def code(self) -> str: ...

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def number(self, value: float) -> str: ...


@dataclass(frozen=True)
class English:
    """The templates as written."""

    code: str = "en"

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def number(self, value: float) -> str:
        return f"{value:g}"  # minutes as people write them: 1, 1.5, 24


ENGLISH = English()


def N_(message: str) -> str:
    """Marks a template for extraction into the catalogs (`pybabel extract -k N_`) where it is defined;
    it is translated where it is used."""
    return message
