"""The care team, called directly: an invitation, its acceptance and confirmation, a clinician's clearance,
the alert a pause sends, and the follow checks on every read of a runner's data."""

from __future__ import annotations

import re

from bot import texts
from bot.usecases import buttons as b
from bot.usecases import pain, team
from tests.usecases.conftest import CLINICIAN, COACH, RUNNER, World, texts_of


async def _follow(world: World, follower: int, role: str) -> None:
    """The runner invites `follower` in `role`, who accepts; the runner confirms."""
    shared = await world.do(lambda ctx: team.create_invitation(ctx, role))
    code = re.search(r"start=([\w-]+)", shared.replies[0].text)
    assert code is not None
    offer = await world.do(lambda ctx: team.open_invitation(ctx, code.group(1)), follower)
    assert offer.replies[0].keyboard[0][0][1] == b.InvitationAnswer(True)
    accepted = await world.do(lambda ctx: team.answer_invitation(ctx, True), follower)
    confirm = next(r for r in accepted.replies if r.chat_id == RUNNER)  # the runner is asked to confirm
    button = confirm.keyboard[0][0][1]
    assert isinstance(button, b.ConfirmFollower) and button.confirmed
    confirmed = await world.do(lambda ctx: team.confirm_follower(ctx, button.follow_id, True))
    assert texts_of(confirmed)[0].startswith("Done:")
    await world.do(lambda ctx: team.open_invitation(ctx, code.group(1)), follower)  # used: once only


async def test_an_invitation_is_accepted_confirmed_and_used_once(world: World) -> None:
    await world.onboard()
    await _follow(world, COACH, "coach")
    team_view = await world.do(team.team)
    assert any("coach" in line for line in texts_of(team_view)[0].splitlines()[1:])
    runners = await world.do(team.runners, COACH)
    assert runners.replies[0].keyboard[0][0][1] == b.ViewRunner((await world.user()).id)


async def test_a_pause_alerts_the_followers_and_a_clinician_can_clear_it(world: World) -> None:
    await world.onboard()
    await _follow(world, CLINICIAN, "clinician")
    runner_id = (await world.user()).id
    paused = await world.do(lambda ctx: pain.report(ctx, "rest", 7))
    (alert,) = [r for r in paused.replies if r.chat_id == CLINICIAN]
    assert alert.text.startswith("⏸")
    assert (texts.CLEARED_BUTTON, b.AskClearance(runner_id)) in alert.keyboard[0]
    cleared = await world.do(lambda ctx: team.record_clearance(ctx, runner_id, True), CLINICIAN)
    to_runner = [r.text for r in cleared.replies if r.chat_id == RUNNER]
    assert any(
        t.startswith(texts.CLEARED_RUNNER.format(clinician=f"P{CLINICIAN}", day="2026-10-01")) for t in to_runner
    )


async def test_only_a_follower_sees_a_runner_and_only_a_clinician_clears(world: World) -> None:
    await world.onboard()
    await _follow(world, COACH, "coach")
    runner_id = (await world.user()).id
    stranger = await world.do(lambda ctx: team.view_runner(ctx, runner_id), CLINICIAN)
    assert stranger.notice == texts.NOT_FOLLOWING and stranger.replies == []
    coach = await world.do(lambda ctx: team.record_clearance(ctx, runner_id, True), COACH)
    assert coach.notice == texts.NOT_CLINICIAN
    seen = await world.do(lambda ctx: team.view_runner(ctx, runner_id), COACH)
    assert texts_of(seen)[0].startswith(f"P{RUNNER}: plan active.")


async def test_a_removed_follower_is_told_and_sees_nothing_more(world: World) -> None:
    await world.onboard()
    await _follow(world, COACH, "coach")
    runner_id = (await world.user()).id
    team_view = await world.do(team.team)
    remove = team_view.replies[0].keyboard[0][0][1]
    assert isinstance(remove, b.RemoveFollower)
    removed = await world.do(lambda ctx: team.remove_follower(ctx, remove.follow_id))
    assert [r.chat_id for r in removed.replies] == [RUNNER, COACH]
    after = await world.do(lambda ctx: team.view_runner(ctx, runner_id), COACH)
    assert after.notice == texts.NOT_FOLLOWING
