"""The languages' catalogs (issue 18's ground): the template is what the code says, every catalog
translates every template and nothing else, with the same placeholders; decisions render in each language."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from bot import texts
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, LOCALES, extract_texts, language, resolve, texts_for, translatable
from engine import ENGLISH, render, simulate
from engine.scenario import parse_scenario_text

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "_fixed": None, "count": (2, 3), "t": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)(?::[^{}]*)?\}")  # {name} and {minutes:g}


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
    with open(ROOT / "bot" / "texts" / "__init__.py", "rb") as handle:  # the bot's own texts (babel.cfg's extractor)
        for _, message, *_ in extract(extract_texts, handle, keywords=KEYWORDS):
            found.add(tuple(message) if isinstance(message, (list, tuple)) else message)
    assert found == _template(), "run `make catalogs` and translate what it adds"


def test_every_bot_text_is_in_the_template() -> None:
    """Each string constant of bot/texts.py (element-wise in dicts and tuples, both forms of a plural)."""
    wanted = set(translatable(vars(texts)))
    assert "Yes" in wanted and texts.CHECKIN_QUESTIONS["fatigue"] in wanted and "Today's plan" in wanted
    assert (texts.ALERT_BACK.singular, texts.ALERT_BACK.plural) in wanted
    assert "checkin" not in wanted and "runback-report-{day}.pdf" not in wanted  # machine names stay
    assert not set(texts.TODAY_PHRASES) & wanted - {"today", "plan", "Today"}  # typed phrases: not translated
    assert wanted <= _template()


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_the_bot_texts_read_in_each_language(code: str) -> None:
    view, english = texts_for(code), texts_for("en")
    assert english.CHECKIN_DONE_HEADER == texts.CHECKIN_DONE_HEADER
    assert view.CHECKIN_DONE_HEADER != texts.CHECKIN_DONE_HEADER
    assert "{day}" in view.CHECKIN_DONE_HEADER
    assert view.CHECKIN_QUESTIONS.keys() == texts.CHECKIN_QUESTIONS.keys()
    assert all(view.CHECKIN_QUESTIONS[k] != v for k, v in texts.CHECKIN_QUESTIONS.items())
    assert [name for name, _ in view.COMMANDS] == [name for name, _ in texts.COMMANDS]  # machine keys stay
    assert all(text != english_text for (_, text), (_, english_text) in zip(view.COMMANDS, texts.COMMANDS, strict=True))
    assert view.TODAY_PHRASES == texts.TODAY_PHRASES and view.REPORT_FILENAME == texts.REPORT_FILENAME
    one, three = view.ALERT_BACK.format(runner="A", days=1), view.ALERT_BACK.format(runner="A", days=3)
    assert one != three and "3" in three and "{" not in one
    assert LANGUAGE_NAMES[code] != "English"


def test_russian_plurals_have_three_forms() -> None:
    days = texts_for("ru").SILENCE_DAYS_BUTTON
    assert [days.format(days=n) for n in (1, 3, 5, 21)] == ["1 день", "3 дня", "5 дней", "21 день"]


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


def test_the_daily_exports_headers_are_machine_names_in_english_and_words_in_the_others() -> None:
    from bot.usecases.account import DAILY_FIELDS

    assert tuple(texts.EXPORT_COLUMNS) == DAILY_FIELDS
    assert all(key == header for key, header in texts.EXPORT_COLUMNS.items())  # stable, as the JSON keys
    german = texts_for("de").EXPORT_COLUMNS
    assert german["pain_rest"] == "Schmerz in Ruhe" and german.keys() == texts.EXPORT_COLUMNS.keys()
