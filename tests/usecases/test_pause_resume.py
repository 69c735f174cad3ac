"""Pain, pause and resume, called directly."""

from __future__ import annotations

from bot import texts
from bot.usecases import pain
from tests.usecases.conftest import World, texts_of


async def test_a_pause_asked_for_holds_until_the_protocol_lets_it_go(world: World) -> None:
    await world.onboard()
    paused = await world.do(pain.pause)
    assert texts_of(paused)[0] == texts.PAUSE_CONFIRMED
    refused = await world.do(pain.resume)
    assert texts_of(refused)[0].startswith(texts.RESUME_REFUSED)  # symptom-free check-ins come first
    asked = await world.do(lambda ctx: pain.self_reported_clearance(ctx, "ask"))
    assert texts_of(asked) == [texts.SELF_CLEARED_CONFIRM.format(day="2026-10-01")]
    kept = await world.do(lambda ctx: pain.self_reported_clearance(ctx, "no"))
    assert texts_of(kept) == [texts.SELF_CLEARED_NOT_RECORDED]


async def test_resume_without_a_pause_says_so(world: World) -> None:
    await world.onboard()
    assert texts_of(await world.do(pain.resume)) == [texts.NOT_PAUSED]


async def test_severe_pain_pauses_and_resume_is_refused_until_cleared(world: World) -> None:
    await world.onboard()
    asked = await world.do(lambda ctx: pain.report(ctx, "rest", None))
    assert texts_of(asked) == [f"{texts.PAIN_KINDS['rest']}: {texts.ASK_PAIN_LEVEL}"]
    reported = await world.do(lambda ctx: pain.report(ctx, "rest", 7))
    assert texts.PAUSED_NOW in texts_of(reported)[0]
    refused = await world.do(pain.resume)
    assert texts_of(refused)[0].startswith(texts.RESUME_REFUSED)
    assert refused.replies[0].keyboard  # "my clinician cleared me"


async def test_a_forged_pain_level_is_refused(world: World) -> None:
    await world.onboard()
    assert (await world.do(lambda ctx: pain.report(ctx, "rest", 11))).notice == texts.FORGED_BUTTON
    assert (await world.do(lambda ctx: pain.report(ctx, "swelling", 3))).notice == texts.FORGED_BUTTON
    assert (await world.do(lambda ctx: pain.report(ctx, "moon", None))).notice == texts.FORGED_BUTTON
