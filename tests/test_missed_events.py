"""Reactions whose gateway events never arrived (the connection dropped) still count at close."""

from __future__ import annotations

import pytest

from bot.game.scoring import BASE_POINTS, SPEED_SHARE
from tests.fixtures import secret_game
from tests.helpers import got_it_right, letter_of, requests, saved, shown, wrong_letters

pytestmark = pytest.mark.both_backends  # games on SQLite and on PostgreSQL

ANSWER = "$6 million"
FAST_RIGHT_POINTS = BASE_POINTS["medium"] + int(BASE_POINTS["medium"] * SPEED_SHARE)


async def start(env, **options):
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    members = [guild.add_member(env.create_user(n)) for n in ("alice", "bob", "carol", "dave")]
    await members[0].slash(channel, "trivia", category="Current Events", seconds=30, **options)
    return channel, members, channel.last_message


async def drop_connection(env, bot):
    await bot.get_shard(0).disconnect()
    await env.settle()


async def restore_connection(env, bot):
    await bot.get_shard(0).reconnect()
    await env.settle()


def tracked_picks(bot, channel) -> set[int]:
    return set(bot.games.get(channel.id).live.sheet.final())


async def test_reactions_missed_while_disconnected_are_read_back_and_scored(simcord_env, simcord_bot, settings):
    env = simcord_env
    channel, (alice, bob, carol, dave), question = await start(env)
    right, wrong = letter_of(question, ANSWER), wrong_letters(question, ANSWER)
    await alice.react(question, right)
    await dave.react(question, wrong[0])

    await drop_connection(env, simcord_bot)
    await bob.react(question, right)          # a new answer
    await alice.unreact(question, right)      # a withdrawal
    await dave.react(question, right)         # a change of mind (dave now holds two letters)
    await dave.unreact(question, wrong[0])
    await carol.react(question, wrong[1])
    await restore_connection(env, simcord_bot)
    assert tracked_picks(simcord_bot, channel) == {alice.id, dave.id}  # the bot really missed them

    await env.advance_time(31)
    reveal = channel.last_message
    winners = got_it_right(reveal)
    assert shown(bob) in winners and shown(dave) in winners
    assert shown(alice) not in winners and shown(carol) not in winners
    assert len(requests(env, "GET", rf"/messages/{question.id}$")) == 1
    assert requests(env, "GET", rf"/messages/{question.id}/reactions/")
    rows = [(a.user_id, int(a.correct)) for a in (await saved(settings, channel.guild.id)).answers]
    assert sorted(rows) == sorted([(bob.id, 1), (carol.id, 0), (dave.id, 1)])


async def test_a_drop_with_nothing_missed_costs_one_read_and_keeps_speed_bonuses(simcord_env, simcord_bot, settings):
    env = simcord_env
    channel, (alice, *_), question = await start(env)
    await alice.react(question, letter_of(question, ANSWER))
    await drop_connection(env, simcord_bot)
    await restore_connection(env, simcord_bot)

    await env.advance_time(31)
    assert shown(alice) in got_it_right(channel.last_message)
    assert len(requests(env, "GET", rf"/messages/{question.id}$")) == 1  # the counts matched ...
    assert not requests(env, "GET", r"/reactions/")                      # ... so no member lists were read
    (answer,) = (await saved(settings, channel.guild.id)).answers
    points, response_ms = answer.points, answer.response_ms
    assert (points, response_ms) == (FAST_RIGHT_POINTS, 0)  # the tracked pick, with its time, was kept


async def test_without_a_drop_the_close_reads_nothing_back(simcord_env):
    env = simcord_env
    channel, (alice, *_), question = await start(env)
    await alice.react(question, letter_of(question, ANSWER))
    await env.advance_time(31)
    assert shown(alice) in got_it_right(channel.last_message)
    assert not requests(env, "GET", r"/messages/")


async def test_a_question_deleted_while_disconnected_is_voided(simcord_env, simcord_bot, settings):
    env = simcord_env
    channel, (alice, *_), question = await start(env, questions=2)
    await alice.react(question, letter_of(question, ANSWER))
    await drop_connection(env, simcord_bot)
    env.backend.delete_message(channel.id, question.id)
    await restore_connection(env, simcord_bot)

    await env.advance_time(31)
    state = await saved(settings, channel.guild.id)
    assert state.statuses[0] == "void" and state.answers == []


async def test_with_secret_answers_hidden_picks_stand_and_missed_ones_are_read_back(simcord_env, simcord_bot, settings):
    env = simcord_env
    s, question = await secret_game(env, seconds=30)
    right = letter_of(question, ANSWER)
    await s.bob.react(question, right)                  # seen and hidden
    await drop_connection(env, simcord_bot)
    await s.alice.react(question, right)                # missed: the bot cannot hide what it never saw
    await restore_connection(env, simcord_bot)
    assert tracked_picks(simcord_bot, s.channel) == {s.bob.id}

    await env.advance_time(31)
    winners = got_it_right(s.channel.last_message)
    assert shown(s.alice) in winners and shown(s.bob) in winners
    assert len((await saved(settings, s.guild.id)).answers) == 2
