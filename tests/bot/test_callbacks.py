"""The button codec: every kind round-trips, nothing over Telegram's 64 bytes is written, and whatever a client
sends back that we could not have written reads as None, never an exception."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import Any, Literal, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.callbacks import KINDS, MAX_BYTES, pack, unpack
from bot.usecases import buttons as b

DAYS = st.dates(date(2000, 1, 1), date(2099, 12, 31))
WHOLE = st.integers(0, 10**18 - 1)
WORD = st.text(st.characters(blacklist_characters=":", blacklist_categories=("Cs",)), max_size=12)
REST = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


def _values(hint: Any, last_of_rest: bool) -> st.SearchStrategy[Any]:
    if hint is date:
        return DAYS
    if hint is bool:
        return st.booleans()
    if hint is int:
        return WHOLE
    if typing.get_origin(hint) is Literal:
        return st.sampled_from(get_args(hint))
    return REST if last_of_rest else WORD


def _buttons(kind: type[b.ButtonData]) -> st.SearchStrategy[b.ButtonData]:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    rest = kind is b.StepAnswer
    return st.builds(kind, *(_values(hints[n], rest and i == len(names) - 1) for i, n in enumerate(names)))


ANY_BUTTON = st.one_of(*(_buttons(kind) for _, kind in KINDS))


def test_every_declared_kind_has_a_prefix() -> None:
    assert {kind for _, kind in KINDS} == set(get_args(b.ButtonData))
    assert len({prefix for prefix, _ in KINDS}) == len(KINDS) - 1  # p: a kind of pain, and a kind with its level


@given(ANY_BUTTON)
def test_every_kind_round_trips(button: b.ButtonData) -> None:
    try:
        data = pack(button)
    except ValueError:
        return  # longer than Telegram carries: refused when written (below), never sent
    assert len(data.encode()) <= MAX_BYTES
    assert unpack(data) == button


def test_the_wire_form_is_the_one_already_in_chats() -> None:
    day = date(2026, 10, 2)
    assert pack(b.CheckinAnswer(day, "pain_rest", "3")) == "c:20261002:pain_rest:3"
    assert pack(b.StepAnswer("checkin_time", "06:30")) == "o:checkin_time:06:30"
    assert pack(b.ConfirmFollower(12, True)) == "fc:12:yes"
    assert pack(b.PainLevel("rest", 4)) == "p:rest:4"
    assert pack(b.PainKind("night")) == "p:night"
    assert pack(b.CheckinNow()) == "n:checkin"
    assert pack(b.CheckinNoSigns(day)) == "cn:20261002"
    assert pack(b.CheckinNoSignsBack(day)) == "cnb:20261002"
    assert pack(b.FileSameDay(day, "add")) == "fs:20261002:add"
    assert unpack("fs:20261002:replace") == b.FileSameDay(day, "replace")
    assert unpack("o:checkin_time:06:30") == b.StepAnswer("checkin_time", "06:30")
    assert unpack("rd:7") == b.ConfirmReadiness(7)


def test_nothing_over_64_bytes_is_written() -> None:
    with pytest.raises(ValueError):
        pack(b.StepAnswer("timezone", "x" * 60))
    with pytest.raises(ValueError):
        pack(b.StepAnswer("timezone", "🏃" * 16))  # 16 characters, 64 bytes, and the prefix
    pack(b.StepAnswer("timezone", "x" * (MAX_BYTES - len("o:timezone:"))))


def test_what_could_not_be_read_back_is_not_written() -> None:
    for unwritable in (b.CheckinAnswer(date(2026, 1, 1), "pain:rest", "1"), b.ViewRunner(-1), b.ViewRunner(10**18)):
        with pytest.raises(ValueError):
            pack(unwritable)
    with pytest.raises(ValueError):
        pack(b.SelfClearance("maybe"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        "",
        ":",
        ":::::",
        "x" * 64,
        "x" * 65,
        "c:20261399:pain_rest:1",
        "c:２０２６１００２:pain_rest:1",
        "c:20261002:pain_rest",
        "c:20261002:pain_rest:1:2",
        "rv:",
        "rv:-1",
        "rv:²",
        "rv:007",
        "rv:1" + "0" * 18,
        "fc:1:maybe",
        "cc:later",
        "n:other",
        "n:checkin:1",
        "cn:",
        "cn:20261002:pain_rest",
        "cn:2026-10-02",
        "cnb:20261302",
        "fs:20261002:merge",
        "fs:20261002",
        "fs:20261002:add:1",
        "p:rest:1:2",
        "p:rest:abc",
        "d:",
        "d:yes:1",
        "unknown:1",
        "o:consent",
        "c:" + "9" * 62,
        "\ud800",
        "o:x:" + "🏃" * 16,
    ],
)
def test_forged_data_reads_as_none(data: str) -> None:
    assert unpack(data) is None


@given(st.text(max_size=80))
def test_any_text_reads_as_a_button_or_none(data: str) -> None:
    button = unpack(data)
    if button is not None:
        assert pack(button) == data  # only what we could have written is read


@given(
    st.builds(
        lambda prefix, parts: ":".join([prefix, *parts]),
        st.sampled_from([p for p, _ in KINDS]),
        st.lists(st.one_of(WORD, st.sampled_from(["yes", "no", "20261002", "7", "ask", "checkin"])), max_size=4),
    )
)
def test_well_prefixed_garbage_reads_as_a_button_or_none(data: str) -> None:
    button = unpack(data)
    if button is not None:
        assert pack(button) == data


def test_the_plan_adjustment_buttons_round_trip_and_refuse_what_was_never_offered() -> None:
    buttons = (
        b.AdjustPlan(7),
        b.AdjustPick(7, "cross_training"),
        b.AdjustSet(7, "clean_sessions_per_level", 3),
        b.AdjustNoLimit(7, "resume_needs_clinician"),
        b.AdjustMode(7, "pool"),
        b.AdjustStep(7, "confirm"),
    )
    wire = (
        "ap:7",
        "af:7:cross_training",
        "av:7:clean_sessions_per_level:3",
        "an:7:resume_needs_clinician",
        "am:7:pool",
        "ad:7:confirm",
    )
    for button, data in zip(buttons, wire, strict=True):
        assert pack(button) == data and unpack(data) == button
    longest = pack(b.AdjustSet(10**18 - 1, "clean_sessions_per_level", 10**6))
    assert len(longest.encode()) <= MAX_BYTES
    for forged in (
        "ap:",
        "ap:-7",
        "af:7:bogus",
        "av:7:cross_training:1",  # a toggle field takes no number
        "av:7:max_level:-1",
        "av:7:max_level:x",
        "an:7:",
        "am:7:running",
        "ad:7:now",
        "ad:7:confirm:1",
    ):
        assert unpack(forged) is None, forged
def test_the_alert_buttons_wire_form_and_forgeries() -> None:
    """Issue 16: a follower's alert preferences and a clinician's missed check-in threshold."""
    assert pack(b.AlertPrefs()) == "al:alerts"
    assert pack(b.ToggleAlert("drop_back")) == "alk:drop_back"
    assert pack(b.AskSilenceDays(7)) == "sa:7"
    assert pack(b.SetSilenceDays(7, 4)) == "sad:7:4"
    assert unpack("sad:7:4") == b.SetSilenceDays(7, 4)
    for forged in ("alk:pause", "alk:", "al:other", "sad:7", "sad:7:-1", "sad:x:4", "sa:7:1"):
        assert unpack(forged) is None, forged
    with pytest.raises(ValueError):
        pack(b.ToggleAlert("pause"))  # type: ignore[arg-type]  # a pause alert is never configurable
