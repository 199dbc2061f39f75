"""200 games at once, 50 players each, with answer changes and withdrawals.

Every answer must be counted exactly once and every leaderboard total must match a ground truth
computed here from the reactions alone. The reactions arrive in waves (each player's first action,
then their second, ...), interleaved across all 200 games, the way a busy gateway delivers them.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.game.scoring import BASE_POINTS, SPEED_SHARE
from bot.storage import BoardFilter
from tests.helpers import burst, choice_letters, saved

pytestmark = pytest.mark.both_backends  # games on SQLite and on PostgreSQL

GUILDS = 20
CHANNELS_PER_GUILD = 10
PLAYERS_PER_GAME = 50
ANSWER = "$6 million"
BURST_SIZE = 1000  # reactions delivered between two settles
FIRST_WINDOW = 100  # seconds: server g's games answer for FIRST_WINDOW + g seconds
CORRECT_POINTS = BASE_POINTS["medium"] + int(BASE_POINTS["medium"] * SPEED_SHARE)  # answered at once


def plan(right: str, wrongs: list[str], style: int) -> tuple[list[tuple[str, bool]], str | None]:
    """One player's reactions (emoji, added) and the letter that must count for them, if any."""
    if style == 0:  # right
        return [(right, True)], right
    if style == 1:  # wrong
        return [(wrongs[0], True)], wrongs[0]
    if style == 2:  # changes their mind to the right answer
        return [(wrongs[1], True), (right, True)], right
    if style == 3:  # picks right, adds a wrong one later: the latest counts
        return [(right, True), (wrongs[2], True)], wrongs[2]
    if style == 4:  # answers, then withdraws
        return [(right, True), (right, False)], None
    # picks wrong, then right, then takes right back: the earlier pick still present counts again
    return [(wrongs[0], True), (right, True), (right, False)], wrongs[0]


async def test_two_hundred_games_with_fifty_players_each_count_every_answer_once(simcord_env, simcord_bot, settings):
    env = simcord_env
    rng = random.Random(2026)
    expected_points: dict[tuple[int, int], int] = Counter()
    expected_answers = 0
    questions = []
    plans = []  # (member, question, [(emoji, added), ...])
    for g in range(GUILDS):
        guild = env.create_guild(f"Server {g}")
        for c in range(CHANNELS_PER_GUILD):
            channel = guild.create_text_channel(f"trivia-{c}")
            players = [guild.add_member(env.create_user(f"g{g}c{c}p{p}")) for p in range(PLAYERS_PER_GAME)]
            # Each server's answer window is a second longer than the one before (see the end).
            await players[0].slash(channel, "trivia", category="Current Events", seconds=FIRST_WINDOW + g)
            question = channel.last_message
            questions.append(question)
            letters = choice_letters(question)
            right = letters[ANSWER]
            wrongs = [letter for text, letter in letters.items() if text != ANSWER]
            for player in players:
                steps, final = plan(right, wrongs, rng.randrange(6))
                plans.append((player, question, steps))
                if final is not None:
                    expected_answers += 1
                    expected_points[(guild.id, player.id)] += CORRECT_POINTS if final == right else 0
    assert len(simcord_bot.games) == GUILDS * CHANNELS_PER_GUILD

    for wave in range(3):
        batch = [(player, question, *steps[wave]) for player, question, steps in plans if wave < len(steps)]
        rng.shuffle(batch)  # interleaved across games; each player's own actions stay in order
        # Delivered in slices so that each settle stays far inside SimCord's 5 s real-time limit on a
        # loaded 2-core machine (a whole wave of 10,000 once came close to it).
        for start in range(0, len(batch), BURST_SIZE):
            await burst(env, batch[start:start + BURST_SIZE])

    # Every game is still open; their windows end a server at a time, a second apart, so that each step
    # (reveals, saves, final standings of ten games) stays far inside SimCord's 5 s real-time limit for
    # one advance on a loaded 2-core machine (all 200 at one instant went past it).
    await env.advance_time(FIRST_WINDOW - 1)
    for _ in range(GUILDS + 10):
        await env.advance_time(1)
    assert len(simcord_bot.games) == 0

    states = [await saved(settings, guild_id) for guild_id in {q.guild.id for q in questions}]
    assert sum(state.statuses.count("closed") for state in states) == len(questions)
    assert sum(len(state.answers) for state in states) == expected_answers
    assert sum(len({a.user_id for a in round_}) for state in states for round_ in state.scored) == expected_answers
    for guild_id in {q.guild.id for q in questions}:
        rows = await simcord_bot.storage.leaderboard(guild_id, BoardFilter(), limit=PLAYERS_PER_GAME * CHANNELS_PER_GUILD)
        actual = {row.user_id: row.points for row in rows}
        wanted = {user: points for (gid, user), points in expected_points.items() if gid == guild_id}
        assert actual == wanted
