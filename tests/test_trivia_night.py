"""SimCord behaviour tests for trivia nights: multi-question games, stopping, auto-stop, scoring."""

from __future__ import annotations

import discord
import pytest
from simcord import ChannelHandle, Env, GuildHandle, MemberActor

from bot.game.scoring import BASE_POINTS
from tests.fixtures import make_server
from tests.helpers import choice_letters, requests, shown

pytestmark = pytest.mark.both_backends  # games on SQLite and on PostgreSQL

ANSWERS = {"$6 million", "Mercury"}  # the right answers of the two test-pack questions


def right_letter(question: discord.Message) -> str:
    return next(letter for text, letter in choice_letters(question).items() if text in ANSWERS)


def wrong_letter(question: discord.Message) -> str:
    return next(letter for text, letter in choice_letters(question).items() if text not in ANSWERS)


def field(message: discord.Message, name: str) -> str:
    return next(f.value for f in message.embeds[0].fields if f.name == name)


@pytest.fixture
def night(simcord_env: Env) -> tuple[Env, GuildHandle, ChannelHandle, MemberActor, list[MemberActor], MemberActor]:
    """The environment, the server, #trivia, the host, the players alice, bob and carol, and mod (Manage Server)."""
    s = make_server(simcord_env, "Pub Quiz")
    host = s.guild.add_member(simcord_env.create_user("host"))
    return s.env, s.guild, s.channel, host, [s.alice, s.bob, s.carol], s.mod


async def test_a_three_question_night_with_several_players(night):
    env, _, channel, host, (alice, bob, carol), _ = night
    await host.slash(channel, "trivia", questions=3, seconds=10)
    titles = []
    for number in range(1, 4):
        question = channel.last_message
        titles.append(question.embeds[0].title)
        await alice.react(question, right_letter(question))
        await bob.react(question, right_letter(question) if number != 2 else wrong_letter(question))
        if number == 3:
            await carol.react(question, right_letter(question))
        await env.advance_time(11)
        reveal = channel.history()[-1 if number < 3 else -2]  # the final standings follow the last reveal
        assert reveal.reference.message_id == question.id
        assert "Tonight's top 3" in [f.name for f in reveal.embeds[0].fields]
        if number < 3:
            await env.advance_time(3)  # the reveal came at 10 s; the 5-second break runs to 15 s
            assert channel.last_message.id == reveal.id
            await env.advance_time(1.5)
            assert channel.last_message.id != reveal.id
    assert titles == ["Question 1 of 3", "Question 2 of 3", "Question 3 of 3"]

    final = channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    podium = next(f.value for f in final.fields if f.name == "Podium").splitlines()
    assert podium[0].startswith("🥇 **alice**") and podium[1].startswith("🥈 **bob**") and podium[2].startswith("🥉 **carol**")
    assert "3 players · 3 questions" in final.footer.text and "/leaderboard" in final.footer.text
    # The streak bonus: alice's three in a row beat bob's right-wrong-right.
    board = (await host.slash(channel, "leaderboard")).response.embeds[0].description.splitlines()
    assert "3/3 correct" in board[0] and "2/3 correct" in board[1]


async def test_later_questions_do_not_use_the_interaction_token(night):
    env, _, channel, host, (alice, *_), _ = night
    await host.slash(channel, "trivia", questions=2, seconds=5)
    await env.advance_time(6)
    await env.advance_time(6)
    await env.advance_time(6)
    webhook_calls = [r for r in env.http_requests if r.path.startswith("/webhooks/")]
    assert webhook_calls == []
    assert len(requests(env, "POST", r"/interactions/.*/callback")) == 1
    assert channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_host_stops_the_game_and_the_question_on_screen_is_scored(night):
    env, _, channel, host, (alice, bob, _), _ = night
    await host.slash(channel, "trivia", questions=5, seconds=30)
    question = channel.last_message
    await alice.react(question, right_letter(question))
    await env.advance_time(5)
    stop = await host.slash(channel, "trivia-stop")
    assert stop.ephemeral and "Stopping" in stop.response.content
    await bob.react(question, right_letter(question))  # after the stop: too late

    history = channel.history()
    reveal, final = history[-2], history[-1]
    assert field(reveal, "Got it right").startswith(shown(alice))
    assert shown(bob) not in field(reveal, "Got it right")
    assert f"stopped by {shown(host)}" in final.embeds[0].description
    assert "1 of 5 questions" in final.embeds[0].footer.text
    await env.advance_time(60)
    assert channel.last_message.id == final.id  # nothing more is asked
    again = await alice.slash(channel, "trivia", seconds=5)
    assert not again.ephemeral
    await env.advance_time(6)


async def test_stop_during_the_break_ends_the_game_at_once(night):
    env, _, channel, host, (alice, *_), mod = night
    # SimCord lets timers under its 5 s settle window fire in real time, so use a longer break here.
    await mod.slash(channel, "trivia-settings", break_seconds=30)
    await host.slash(channel, "trivia", questions=3, seconds=10)
    question = channel.last_message
    await alice.react(question, right_letter(question))
    await env.advance_time(11)
    stop = await mod.slash(channel, "trivia-stop")  # Manage Server may stop anyone's game
    assert stop.ephemeral and "Stopping" in stop.response.content
    final = channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings" and f"stopped by {shown(mod)}" in final.description


async def test_a_plain_member_cannot_stop_someone_elses_game(night):
    env, _, channel, host, (alice, *_), _ = night
    await host.slash(channel, "trivia", questions=2, seconds=10)
    refused = await alice.slash(channel, "trivia-stop")
    assert refused.ephemeral
    assert "Only" in refused.response.content and "Manage Server" in refused.response.content
    await env.advance_time(11)
    assert channel.last_message.embeds[0].title != "🏁 Final standings"  # still playing
    await env.advance_time(6)
    await env.advance_time(11)
    nothing = await alice.slash(channel, "trivia-stop")
    assert nothing.ephemeral and "no trivia game running" in nothing.response.content


async def test_game_ends_by_itself_after_three_unanswered_questions(night):
    env, _, channel, host, _, _ = night
    await host.slash(channel, "trivia", questions=10, seconds=5)
    for _ in range(3):
        await env.advance_time(6)
        await env.advance_time(5)
    final = channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    assert "nobody answered" in final.description
    assert "3 of 10 questions" in final.footer.text
    await env.advance_time(30)
    assert channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_answers_are_stored_with_points_and_response_time(night, settings):
    from tests.helpers import saved

    env, guild, channel, host, (alice, *_), _ = night
    await host.slash(channel, "trivia", category="Current Events", seconds=20)
    question = channel.last_message
    await env.advance_time(5)
    await alice.react(question, right_letter(question))
    await env.advance_time(16)
    state = await saved(settings, guild.id)
    (answer,) = state.answers
    points, response_ms, streak = answer.points, answer.response_ms, answer.streak
    games = [(g.host_id, g.questions_planned, int(g.ended_at is not None)) for g in state.games]
    base = BASE_POINTS["medium"]
    assert response_ms == 5000
    assert points == base + int(base * 0.5 * 15 / 20)
    assert streak == 1
    assert games == [(host.id, 1, 1)]



async def test_a_tie_on_points_ranks_the_same_on_the_podium_and_the_last_game_board(night):
    """The one ranking rule: equal totals go to whoever reached them first, and within one round to the
    faster answer; the night's podium and `/leaderboard period:last game` must agree on it."""
    import re

    env, _, channel, host, (alice, bob, carol), mod = night
    assert alice.id < bob.id  # so a tie settled by user id alone would put alice first
    await mod.slash(channel, "trivia-settings", speed_bonus=False, break_seconds=10)  # equal points for a right answer
    await host.slash(channel, "trivia", questions=2, seconds=20)
    for number, (faster, slower) in enumerate([(alice, bob), (bob, alice)], start=1):
        question = channel.last_message
        assert question.embeds[0].title == f"Question {number} of 2"
        await carol.react(question, wrong_letter(question))
        await faster.react(question, right_letter(question))
        await env.advance_time(3)
        await slower.react(question, right_letter(question))  # the same answer, 3 s later
        await env.advance_time(18)
        if number == 1:
            await env.advance_time(11)  # the break
    # alice and bob tie on points; both reached the total in round 2, where bob answered first.

    def names(lines: list[str]) -> list[str]:
        return [re.search(r"\*\*(.+?)\*\*", line).group(1) for line in lines]

    assert channel.last_message.embeds[0].title == "🏁 Final standings"
    podium = field(channel.last_message, "Podium").splitlines()  # carol scored nothing: not on the podium
    podium_points = [int(re.search(r"(\d+) points?$", line).group(1)) for line in podium]
    assert podium_points[0] == podium_points[1] > 0  # a tie on points
    assert names(podium) == ["bob", "alice"]

    board = (await host.slash(channel, "leaderboard", period="last game")).response.embeds[0].description.splitlines()
    assert names(board) == ["bob", "alice", "carol"]
    assert int(board[0].split(" pts")[0].split("— ")[1]) == podium_points[0]
