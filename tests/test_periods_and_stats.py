"""Leaderboard periods (crossing days, weeks and months with virtual time) and /trivia-stats."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.game.periods import Period, period_start
from tests.helpers import letter_of, wrong_letters

ANSWER = "$6 million"
DAY = 24 * 3600


async def play(env, channel, host, right=(), wrong=(), questions=1):
    await host.slash(channel, "trivia", category="Current Events", seconds=10, questions=questions)
    for _ in range(questions):
        question = channel.last_message
        for member in right:
            await member.react(question, letter_of(question, ANSWER))
        for member in wrong:
            await member.react(question, wrong_letters(question, ANSWER)[0])
        await env.advance_time(11)
        await env.advance_time(5)


async def board(channel, member, period):
    embed = (await member.slash(channel, "leaderboard", period=period)).response.embeds[0]
    assert period in embed.title
    return embed.description


def test_period_boundaries_are_utc_calendar_days_weeks_and_months():
    thursday = datetime(2026, 1, 15, 13, 30, tzinfo=timezone.utc)
    assert period_start(Period.TODAY, thursday) == datetime(2026, 1, 15, tzinfo=timezone.utc).timestamp()
    assert period_start(Period.WEEK, thursday) == datetime(2026, 1, 12, tzinfo=timezone.utc).timestamp()
    assert period_start(Period.MONTH, thursday) == datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    assert period_start(Period.ALL_TIME, thursday) is None


@pytest.fixture
def server(simcord_env):
    guild = simcord_env.create_guild("Quiz Club")
    channel = guild.create_text_channel("trivia")
    members = [guild.add_member(simcord_env.create_user(n)) for n in ("alice", "bob", "carol")]
    return simcord_env, channel, members


async def test_each_period_counts_only_its_answers(server):
    env, channel, (alice, bob, carol) = server
    start = env.now()
    assert (start.year, start.month, start.day) == (2026, 1, 1)  # a Thursday
    await play(env, channel, alice, right=[alice])               # Thu 1 Jan
    await env.advance_time(4 * DAY)
    await play(env, channel, bob, right=[bob])                   # Mon 5 Jan: a new week
    await env.advance_time(1 * DAY)
    await play(env, channel, carol, right=[carol], wrong=[bob])  # Tue 6 Jan, the last game

    everyone = await board(channel, alice, "all-time")
    assert all(name in everyone for name in ("alice", "bob", "carol"))
    month = await board(channel, alice, "this month")
    assert all(name in month for name in ("alice", "bob", "carol"))
    week = await board(channel, alice, "this week")
    assert "alice" not in week and "bob" in week and "carol" in week
    today = await board(channel, alice, "today")
    assert "alice" not in today and "carol" in today and "bob** — 0 pts" in today
    last = await board(channel, alice, "last game")
    assert last.splitlines()[0].startswith("🥇 **carol**") and "alice" not in last

    await env.advance_time(30 * DAY)                              # February
    assert "No scores yet" in await board(channel, alice, "this month")
    assert "No scores yet" in await board(channel, alice, "today")
    assert "carol" in await board(channel, alice, "last game")


async def test_last_game_board_before_any_game_is_friendly(server):
    env, channel, (alice, *_) = server
    assert "No scores yet" in await board(channel, alice, "last game")


async def test_ties_go_to_whoever_got_there_first(server):
    env, channel, (alice, bob, _) = server
    await play(env, channel, alice, right=[bob])
    await env.advance_time(60)
    await play(env, channel, alice, right=[alice])
    lines = (await board(channel, alice, "all-time")).splitlines()
    assert lines[0].split("— ")[1] == lines[1].split("— ")[1]  # same points
    assert "bob" in lines[0] and "alice" in lines[1]


async def test_stats_show_points_rank_streak_speed_and_favourite_category(server):
    env, channel, (alice, bob, _) = server
    await play(env, channel, alice, right=[alice, bob], questions=3)
    await play(env, channel, alice, wrong=[alice])

    embed = (await bob.slash(channel, "trivia-stats", member=alice)).response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert "alice" in embed.title
    # alice and bob tie on points and reached them at the same moment; the lower user id ranks first.
    assert fields["Points"].endswith("(rank #1)")
    assert fields["Answered"] == "4"
    assert fields["Correct"] == "3 (75%)"
    assert fields["Best streak"] == "3"
    assert fields["Fastest correct answer"] == "0.0 s"
    assert fields["Favourite category"] == "Current Events"

    mine = (await bob.slash(channel, "trivia-stats")).response.embeds[0]
    assert "bob" in mine.title
    assert {f.name: f.value for f in mine.fields}["Answered"] == "3"


async def test_stats_for_someone_who_never_played(server):
    env, channel, (alice, _, carol) = server
    result = await alice.slash(channel, "trivia-stats", member=carol)
    assert result.ephemeral and "hasn't answered any trivia questions" in result.response.content
