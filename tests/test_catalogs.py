"""The languages' catalogs (issue 18's ground): the template is what the code says, every catalog
translates every template and nothing else, with the same placeholders; decisions render in each language."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES, language, resolve
from engine import ENGLISH, render, simulate
from engine.scenario import parse_scenario_text

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "_fixed": None, "count": (2, 3), "t": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _template() -> set[object]:
    with open(LOCALES / "runback.pot", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def _catalog(code: str) -> list[object]:
    with open(LOCALES / code / "LC_MESSAGES" / "runback.po", "rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_the_template_is_what_the_code_says() -> None:
    found: set[object] = set()
    for _, _, message, *_ in extract_from_dir(str(ROOT / "engine"), method_map=[("**.py", "python")],
                                             keywords=KEYWORDS):
        found.add(tuple(message) if isinstance(message, (list, tuple)) else message)
    assert found == _template(), "run `make catalogs` and translate what it adds"


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_catalog_translates_every_template_with_the_same_placeholders(code: str) -> None:
    messages = _catalog(code)
    assert {m.id for m in messages} == _template(), "missing or unused entries"
    for m in messages:
        assert not m.fuzzy, m.id
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), f"untranslated: {m.id!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{code}: placeholders differ in {text!r}"


@dataclass
class Spy:
    """English, remembering every template asked for."""

    code: str = "en"
    asked: set[object] = field(default_factory=set)

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.asked.add((singular, plural))
        return singular if n == 1 else plural

    def number(self, value: float) -> str:
        return f"{value:g}"


def _decisions() -> list[object]:
    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    decisions = []
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.json")):
        profile, days = parse_scenario_text(path.read_text(encoding="utf-8"))
        decisions += simulate(profile, days)
    return decisions


def test_every_template_used_at_run_time_is_in_the_catalogs() -> None:
    spy = Spy()
    for decision in _decisions():
        render(decision, spy)  # type: ignore[arg-type]
    assert spy.asked <= _template() | {""}, sorted(map(str, spy.asked - _template()))


@pytest.mark.parametrize("code", LANGUAGES)
def test_decisions_render_in_each_language(code: str) -> None:
    lang = language(code)
    for decision in _decisions():
        text = render(decision, lang)  # type: ignore[arg-type]
        assert text and "{" not in text
        if code == "en":
            assert text == decision.message  # type: ignore[attr-defined]


def test_a_german_run_day_reads_in_german() -> None:
    decision = _decisions()[0]
    assert render(decision, language("de")).startswith("Heute Stufe 1. 1 min laufen, 4 min gehen, 6-mal (30 min).")  # type: ignore[arg-type]
    assert language("de").number(1.5) == "1,5" and ENGLISH.number(1.5) == "1.5"


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [("de", "es", "de"), (None, "de-AT", "de"), (None, "es", "es"), (None, "ru-RU", "ru"), (None, "fr", "en"),
     (None, None, "en"), ("xx", "pt-BR", "en"), (None, "EN-us", "en")],
)
def test_the_language_is_the_choice_then_telegrams_then_english(
    chosen: str | None, telegram: str | None, expected: str
) -> None:
    assert resolve(chosen, telegram) == expected
