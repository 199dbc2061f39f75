"""Resuming after a restart survives Discord failing for a while, and never makes a second game."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.helpers import got_it_right, letter_of, requests, shown, wrong_letters

ANSWER = "$6 million"
MESSAGE_GET = "/channels/*/messages/*"
REACTIONS_GET = "/channels/*/messages/*/reactions/*"


async def open_question(env, **options):
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice, bob = (guild.add_member(env.create_user(n)) for n in ("alice", "bob"))
    await alice.slash(channel, "trivia", category="Current Events", seconds=60, **options)
    question = channel.last_message
    await alice.react(question, letter_of(question, ANSWER))  # seen by the old bot only
    return channel, alice, bob, question


def statuses(settings):
    with sqlite3.connect(settings.database) as db:
        rounds = [s for (s,) in db.execute("SELECT status FROM rounds ORDER BY id")]
        unfinished = db.execute("SELECT COUNT(*) FROM games WHERE ended_at IS NULL").fetchone()[0]
    return rounds, unfinished


async def test_a_question_fetch_failing_a_few_times_at_resume_is_retried_and_the_round_scored(simcord_env, settings, make_bot):
    env = simcord_env
    channel, alice, bob, question = await open_question(env)
    env.inject_error("GET", MESSAGE_GET, status=503, times=3)

    await env.restart_bot(make_bot(settings))
    await env.advance_time(8)  # the pauses between tries
    await bob.react(question, letter_of(question, ANSWER))
    await env.advance_time(60)

    winners = got_it_right(channel.last_message)
    assert shown(alice) in winners and shown(bob) in winners
    assert len(requests(env, "GET", rf"/messages/{question.id}$")) >= 4
    assert statuses(settings) == (["closed"], 0)


async def test_discord_failing_for_good_at_resume_voids_the_round_and_ends_the_game_cleanly(simcord_env, settings, make_bot):
    env = simcord_env
    channel, *_ = await open_question(env, questions=3)
    env.inject_error("GET", MESSAGE_GET, status=503, times=None)

    await env.restart_bot(make_bot(settings))
    await env.advance_time(31)  # about 30 s of tries

    assert "Discord kept failing (503)" in channel.last_message.content
    assert statuses(settings) == (["void"], 0)  # no round left open, no game left unfinished


async def test_reaction_reads_rate_limited_at_resume_are_retried_and_the_answers_read_back(simcord_env, settings, make_bot):
    env = simcord_env
    channel, alice, bob, question = await open_question(env)
    await bob.react(question, wrong_letters(question, ANSWER)[0])  # seen by the old bot only, as alice's was
    env.inject_error("GET", REACTIONS_GET, status=429, times=2)

    await env.restart_bot(make_bot(settings))
    await env.advance_time(61)
    await env.advance_time(4)  # the pauses between tries

    reveal = channel.last_message
    assert reveal.reference.message_id == question.id
    assert shown(alice) in got_it_right(reveal) and shown(bob) not in got_it_right(reveal)
    assert len(requests(env, "GET", rf"/messages/{question.id}/reactions/")) >= 4  # two refused, then both letters read
    assert statuses(settings) == (["closed"], 0)
    with sqlite3.connect(settings.database) as db:
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 2


async def test_reactions_unreadable_at_resume_reveal_the_round_from_the_answers_seen(simcord_env, settings, make_bot):
    env = simcord_env
    channel, alice, bob, question = await open_question(env)
    env.inject_error("GET", REACTIONS_GET, status=500, times=None)

    await env.restart_bot(make_bot(settings))
    await bob.react(question, letter_of(question, ANSWER))  # seen by the new bot
    await env.advance_time(61)
    await env.advance_time(31)

    reveal = channel.last_message
    assert reveal.reference.message_id == question.id
    assert shown(bob) in got_it_right(reveal)
    assert statuses(settings) == (["closed"], 0)


async def test_after_a_dropped_connection_a_failed_check_scores_the_tracked_picks(simcord_env, simcord_bot, settings):
    env = simcord_env
    channel, alice, bob, question = await open_question(env)
    await simcord_bot.get_shard(0).disconnect()
    await env.settle()
    await simcord_bot.get_shard(0).reconnect()
    await env.settle()
    await bob.react(question, letter_of(question, ANSWER))
    env.inject_error("GET", MESSAGE_GET, status=502, times=None)

    await env.advance_time(61)
    await env.advance_time(31)

    winners = got_it_right(channel.last_message)
    assert shown(alice) in winners and shown(bob) in winners  # not voided
    assert statuses(settings) == (["closed"], 0)


async def test_a_trivia_while_the_channels_game_is_being_resumed_is_refused_and_the_game_kept(simcord_env, settings, make_bot):
    env = simcord_env
    channel, alice, bob, question = await open_question(env, questions=2)
    bot = make_bot(settings)
    outcomes = bot.storage.game_outcomes

    async def slow_game_outcomes(game_id):
        await asyncio.sleep(20)  # the database is slow at start-up: a /trivia gets in meanwhile
        return await outcomes(game_id)

    bot.storage.game_outcomes = slow_game_outcomes
    await env.restart_bot(bot)
    refused = await bob.slash(channel, "trivia", category="Current Events", seconds=30)
    assert refused.ephemeral and "being resumed" in refused.response.content

    await env.advance_time(21 + 60)
    reveal = next(m for m in channel.history() if m.reference is not None)
    assert reveal.reference.message_id == question.id and shown(alice) in got_it_right(reveal)
    with sqlite3.connect(settings.database) as db:
        assert db.execute("SELECT COUNT(*) FROM games").fetchone()[0] == 1
    assert bot.games.get(channel.id) is not None  # the resumed game goes on to its second question
