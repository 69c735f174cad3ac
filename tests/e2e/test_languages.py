"""The runner's language end to end (issue 18): a runner whose Telegram speaks German, Spanish or Russian is
onboarded, checks in, asks "what's today?" in their words, reports a pain that pauses and reads /help, and
every message and button they get is in their language; French gets English; /settings → Language applies
from the next message; a German runner's English-speaking clinician reads the pause alert in English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot import texts
from bot.i18n import LANGUAGE_NAMES, LOCALES, texts_for, translatable
from emulator.models import BotMessage
from tests.e2e.conftest import RUNNER, Harness
from tests.e2e.test_care_team import CLINICIAN, follow
from tests.e2e.test_coaching import DAY1

TODAY_TYPED = {"de": "Was steht heute an?", "es": "¿Qué toca hoy?", "ru": "Что сегодня?"}
PAIN_TYPED = {"de": "Mein Schienbein tut weh", "es": "Me duele la tibia", "ru": "Болит голень"}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _templates() -> list[Any]:
    """Every English template: the bot's texts and the engine's (plans, pauses, sites)."""
    with open(LOCALES / "runback.pot", "rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


def _english_phrases(code: str) -> set[str]:
    """The fixed words (between placeholders) of every English template that reads differently in `code`,
    three words or more: none of them may reach a runner who reads `code`."""
    lang = texts_for(code).language
    phrases = set()
    for english in _templates():
        for text in english if isinstance(english, tuple) else (english,):
            translated = lang.ngettext(*english, 2) if isinstance(english, tuple) else lang.gettext(text)
            if translated == text:
                continue
            for piece in re.split(r"\{[^{}]*\}", text):
                piece = piece.strip(" \n.,:;()")
                if len(WORDS.findall(piece)) >= 3 and piece not in translated:
                    phrases.add(piece)
    return phrases


def _english_labels(code: str) -> set[str]:
    """English button labels (whole texts) that read differently in `code`."""
    lang = texts_for(code).language
    return {t for t in translatable(vars(texts)) if isinstance(t, str) and lang.gettext(t) != t}


def _assert_in_language(messages: list[BotMessage], code: str) -> None:
    phrases, labels = _english_phrases(code), _english_labels(code)
    assert messages
    for message in messages:
        text = message.text or message.caption or ""
        leaked = [p for p in phrases if p in text]
        assert not leaked, f"English in a {code} message: {leaked!r}\n{text}"
        for label, _ in message.buttons:
            assert label not in labels, f"an English button in {code}: {label!r}"


async def _pain_that_pauses(harness: Harness, code: str) -> list[BotMessage]:
    asked = await harness.send(PAIN_TYPED[code])
    assert asked[-1].text == texts_for(code).ASK_PAIN_KIND  # the typed pain words are recognised
    await harness.tap("p:walking")
    return await harness.tap("p:walking:7")


@pytest.mark.parametrize("code", ["de", "es", "ru"])
async def test_a_runner_reads_everything_in_their_language(harness: Harness, code: str) -> None:
    words = texts_for(code)
    harness.language_codes[RUNNER] = f"{code}-XX" if code == "de" else code  # de-AT and the like: the first part
    await harness.onboard()
    await harness.send("/checkin")
    done = await harness.checkin(DAY1)
    assert any((m.text or "").startswith(words.CHECKIN_DONE_HEADER.format(day=words.TODAY_WORD)) for m in done)
    today = await harness.send(TODAY_TYPED[code])
    assert (today[0].text or "").startswith(words.TODAY_PLAN_HEADER.split("{")[0])
    paused = await _pain_that_pauses(harness, code)
    assert any(words.PAUSED_NOW in (m.text or "") for m in paused)
    assert any(words.CONTACT_CLINICIAN in (m.text or "") for m in paused)  # the safety line, translated
    help_text = await harness.send("/help")
    assert help_text[0].text == words.HELP and words.DISCLAIMER in words.HELP
    _assert_in_language(harness.emulator.messages(RUNNER), code)


async def test_an_unknown_language_gets_english(harness: Harness) -> None:
    harness.language_codes[RUNNER] = "fr"
    await harness.onboard()
    replies = await harness.send("/help")
    assert replies[0].text == texts.HELP
    replies = await harness.send("what's today?")
    assert (replies[0].text or "").startswith("Today (")


async def test_a_switch_in_settings_applies_from_the_next_message(harness: Harness) -> None:
    harness.language_codes[RUNNER] = "de"
    await harness.onboard()
    menu = await harness.send("/settings")
    assert (texts_for("de").LANGUAGE_BUTTON, "lg:language") in menu[0].buttons
    choices = await harness.tap("lg:language")
    assert [label for label, _ in choices[-1].buttons] == [LANGUAGE_NAMES[c] for c in ("en", "de", "es", "ru")]
    saved = await harness.tap("lgs:es")
    assert saved[-1].text == texts_for("es").LANGUAGE_SAVED
    replies = await harness.send("/help")
    assert replies[0].text == texts_for("es").HELP  # though Telegram still says German
    # a reply that stores nothing (a sticker, whose update says "en") reads the choice too
    await harness.user_does(lambda: harness.emulator.user_sends_sticker(RUNNER))
    assert harness.last_text() == texts_for("es").NON_TEXT
    await harness.send("/settings")
    await harness.tap("lg:language")
    await harness.tap("lgs:en")
    assert (await harness.send("/help"))[0].text == texts.HELP
    assert await harness.forge("lgs:fr") is not None  # not a language we speak: refused, nothing changed


async def test_a_german_runners_english_clinician_reads_the_pause_alert_in_english(harness: Harness) -> None:
    harness.language_codes[RUNNER] = "de"
    await harness.onboard()
    await follow(harness, CLINICIAN, "clinician", "Dr Jones")  # Telegram says English for the clinician
    await harness.send("/checkin")
    await harness.checkin(DAY1)
    before = len(harness.emulator.messages(CLINICIAN))
    paused = await _pain_that_pauses(harness, "de")
    assert any(texts_for("de").PAUSED_NOW in (m.text or "") for m in paused)
    (alert,) = harness.emulator.messages(CLINICIAN)[before:]
    assert (alert.text or "").startswith("⏸ Runner's plan is paused")
    assert "Why: pain when walking 7/10 (the pause line is 3)" in (alert.text or "")
    assert alert.buttons[0][0] == texts.VIEW_BUTTON
    _assert_in_language(paused, "de")


async def test_the_command_menu_and_description_in_each_language(harness: Harness) -> None:
    menus = harness.emulator.commands_by_scope
    assert [c["description"] for c in menus[("default", "")]] == [d for _, d in texts.COMMANDS]
    for code in ("de", "es", "ru"):
        menu = menus[("default", code)]
        assert [c["command"] for c in menu] == [n for n, _ in texts.COMMANDS]
        assert [c["description"] for c in menu] == [d for _, d in texts_for(code).COMMANDS]
        assert harness.emulator.bot_methods.descriptions[code] == texts_for(code).BOT_DESCRIPTION
        assert len(texts_for(code).BOT_SHORT_DESCRIPTION) <= 120  # Telegram's limit
    assert harness.emulator.bot_methods.short_descriptions[""] == texts.BOT_SHORT_DESCRIPTION
