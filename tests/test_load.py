"""Several games at once, 50 players each, with answer changes and withdrawals.

Every answer must be counted exactly once and every leaderboard total must match a ground truth
computed here from the reactions alone.

Why not 200 games: under SimCord each simulated reaction costs about 50 ms of real time while a game
is parked on its timer (the simulator's settle loop polls), and a parked timer also fires on the real
clock once its (virtual) deadline passes in real time. 200 x 50 players is about 16,000 reactions,
some 14 minutes, far past the longest answer window (120 s), so the rounds would close mid-test. This
test keeps all its reactions well inside one 120-second window: 5 games x 50 players.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

from bot.game.scoring import BASE_POINTS, SPEED_SHARE
from bot.storage import BoardFilter
from tests.helpers import choice_letters

GUILDS = 1
CHANNELS_PER_GUILD = 5
PLAYERS = 50
ANSWER = "$6 million"
CORRECT_POINTS = BASE_POINTS["medium"] + int(BASE_POINTS["medium"] * SPEED_SHARE)  # answered at once


async def test_concurrent_games_with_fifty_players_each_count_every_answer_once(simcord_env, simcord_bot, settings):
    env = simcord_env
    rng = random.Random(2026)
    expected_points: dict[tuple[int, int], int] = Counter()
    expected_answers = 0
    games = []
    for g in range(GUILDS):
        guild = env.create_guild(f"Server {g}")
        players = [guild.add_member(env.create_user(f"g{g}p{p}")) for p in range(PLAYERS)]
        for c in range(CHANNELS_PER_GUILD):
            channel = guild.create_text_channel(f"trivia-{c}")
            await players[c % PLAYERS].slash(channel, "trivia", category="Current Events", seconds=120)
            games.append((guild, channel, players, channel.last_message))
    assert len(simcord_bot.games) == GUILDS * CHANNELS_PER_GUILD

    for guild, _, players, question in games:
        letters = choice_letters(question)
        right = letters[ANSWER]
        wrongs = [letter for text, letter in letters.items() if text != ANSWER]
        for player in players:
            style = rng.randrange(5)
            if style == 0:  # right
                final = right
                await player.react(question, right)
            elif style == 1:  # wrong
                final = wrongs[0]
                await player.react(question, wrongs[0])
            elif style == 2:  # changes their mind to the right answer
                final = right
                await player.react(question, wrongs[1])
                await player.react(question, right)
            elif style == 3:  # picks right, adds a wrong one later: the latest counts
                final = wrongs[2]
                await player.react(question, right)
                await player.react(question, wrongs[2])
            else:  # answers, then withdraws
                final = None
                await player.react(question, right)
                await player.unreact(question, right)
            if final is not None:
                expected_answers += 1
                expected_points[(guild.id, player.id)] += CORRECT_POINTS if final == right else 0

    await env.advance_time(121)
    assert len(simcord_bot.games) == 0

    with sqlite3.connect(settings.database) as db:
        assert db.execute("SELECT COUNT(*) FROM rounds WHERE status = 'closed'").fetchone()[0] == len(games)
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == expected_answers
        assert db.execute("SELECT COUNT(*) FROM (SELECT round_id, user_id FROM answers GROUP BY 1, 2)").fetchone()[0] == expected_answers
    for g_index in range(GUILDS):
        guild = games[g_index * CHANNELS_PER_GUILD][0]
        rows = await simcord_bot.storage.leaderboard(guild.id, BoardFilter(), limit=PLAYERS)
        actual = {row.user_id: row.points for row in rows}
        wanted = {user: points for (gid, user), points in expected_points.items() if gid == guild.id}
        assert actual == wanted
