"""Onboarding and settings over the table of steps."""

from __future__ import annotations

from bot import texts
from bot.usecases import buttons as b
from bot.usecases import onboarding, settings
from bot.usecases.steps import STEPS, TYPED_STEPS
from tests.usecases.conftest import RUNNER, World, texts_of


async def test_every_step_asks_its_question_and_the_last_one_onboards(world: World) -> None:
    outcomes = await world.onboard()
    assert texts_of(outcomes[0]) == [texts.WELCOME]
    user = await world.user()
    assert user.onboarded_at is not None and user.flow is None
    assert (user.time_zone, user.checkin_minute) == ("Europe/Berlin", 7 * 60)
    assert user.next_prompt_at is not None  # the first morning prompt is scheduled
    last = texts_of(outcomes[-1])
    assert texts.READINESS_PASSED in last
    assert any(t.startswith("All set!") for t in last)


async def test_the_keyboards_answer_the_step_they_belong_to(world: World) -> None:
    for name, step in STEPS.items():
        for row in step.keyboard(name):
            for _, button in row:
                assert isinstance(button, b.StepAnswer) and button.step == name
    assert {"diagnosed", "cleared_date", "weekly_minutes", "timezone", "checkin_time"} == TYPED_STEPS


async def test_a_bad_answer_is_refused_and_the_question_stays_open(world: World) -> None:
    await world.do(onboarding.start)
    await world.do(lambda ctx: onboarding.answer(ctx, "consent", "1"))
    await world.do(lambda ctx: onboarding.answer(ctx, "timezone", "UTC"))
    await world.do(lambda ctx: onboarding.answer(ctx, "site", "fibula"))
    refused = await world.do(lambda ctx: onboarding.answer(ctx, "diagnosed", "2099-01-01"))
    assert texts_of(refused) == [texts.FUTURE_DATE]
    assert (await world.user()).flow_step == "diagnosed"
    taken = await world.do(lambda ctx: onboarding.answer(ctx, "diagnosed", "14.09.2026"))
    assert texts_of(taken) == [texts.ASK_CLEARED]
    assert (await world.user()).flow_data == {
        "consent": True,
        "timezone": "UTC",
        "site": "fibula",
        "diagnosed": "2026-09-14",
    }


async def test_not_cleared_skips_the_clearance_date(world: World) -> None:
    await world.do(onboarding.start)
    for step, value in (("consent", "1"), ("timezone", "UTC"), ("site", "fibula"), ("diagnosed", "2026-09-01")):
        await world.do(lambda ctx, s=step, v=value: onboarding.answer(ctx, s, v))
    outcome = await world.do(lambda ctx: onboarding.answer(ctx, "cleared", "0"))
    assert texts_of(outcome) == [texts.ASK_WEEKLY_MINUTES]
    assert (await world.user()).flow_step == "weekly_minutes"


async def test_declining_consent_ends_the_flow_and_keeps_nothing(world: World) -> None:
    await world.do(onboarding.start)
    outcome = await world.do(lambda ctx: onboarding.answer(ctx, "consent", "0"))
    assert texts_of(outcome) == [texts.CONSENT_DECLINED]
    user = await world.user()
    assert (user.flow, user.consented_at) == (None, None)


async def test_a_stale_step_button_is_refused(world: World) -> None:
    await world.onboard()
    outcome = await world.do(lambda ctx: onboarding.tapped(ctx, b.StepAnswer("site", "fibula")))
    assert outcome.notice == texts.STALE_BUTTON and outcome.replies == []


async def test_a_setting_changes_one_answer_and_reschedules(world: World) -> None:
    await world.onboard()
    before = (await world.user()).next_prompt_at
    asked = await world.do(lambda ctx: settings.pick(ctx, "checkin_time"))
    assert texts_of(asked) == [texts.ASK_CHECKIN_TIME]
    saved = await world.do(lambda ctx: onboarding.answer(ctx, "checkin_time", "06:30"))
    assert texts_of(saved) == [texts.SETTINGS_SAVED]
    user = await world.user()
    assert (user.checkin_minute, user.flow) == (6 * 60 + 30, None)
    assert user.next_prompt_at != before


async def test_two_reds_yes_ask_for_the_review(world: World) -> None:
    outcomes = await world.onboard(RUNNER, reds_yes=2)
    asked = [t for o in outcomes for t in texts_of(o)]
    assert texts.ASK_REDS_REVIEW in asked
    assert texts.REDS_REVIEW_NEEDED in texts_of(outcomes[-1])
