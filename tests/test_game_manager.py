"""The game manager owns every running game: started by a command or by code, however it ends."""

from __future__ import annotations

import logging

from bot.game.options import GameOptions
from bot.session.manager import CRASH_NOTICE
from tests.fixtures import make_server
from tests.helpers import got_it_right, letter_of, shown


async def test_trivia_returns_once_the_first_question_is_up_and_the_night_goes_on_in_the_managers_task(simcord_env, simcord_bot):
    env = simcord_env
    s = make_server(env)
    completed = []

    async def on_app_command_completion(interaction, command):
        completed.append(command.name)

    simcord_bot.add_listener(on_app_command_completion)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=2, seconds=10)
    assert completed == ["trivia"]  # the command is over...
    assert simcord_bot.games.get(s.channel.id) is not None  # ...while the night runs
    await env.advance_time(11 + 5 + 11)
    assert simcord_bot.games.get(s.channel.id) is None
    assert s.channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_a_game_started_by_code_plays_with_no_interaction(simcord_env, simcord_bot):
    env = simcord_env
    s = make_server(env)
    started, ended = [], []
    options = GameOptions(questions=1, seconds=15, categories=("Current Events",))

    # Code inside the bot (as a scheduler will be) starts a game when a channel appears.
    async def on_guild_channel_create(channel):
        started.append(await simcord_bot.games.start(channel.guild.id, channel.id, s.mod.id, options))

    async def on_trivia_game_end(game, reason):
        ended.append((game.channel_id, reason))

    simcord_bot.add_listener(on_guild_channel_create)
    simcord_bot.add_listener(on_trivia_game_end)
    channel = s.guild.create_text_channel("quiz-night")
    await env.settle()
    question = channel.last_message
    assert started[0].jump_url == question.jump_url and question.embeds[0].title == "Trivia"
    await s.bob.react(question, letter_of(question, "$6 million"))
    await env.advance_time(16)

    assert shown(s.bob) in got_it_right(channel.last_message)
    assert [(channel_id, reason.name) for channel_id, reason in ended] == [(channel.id, "COMPLETED")]
    assert await simcord_bot.storage.unfinished_games() == []


async def test_an_unexpected_error_is_logged_with_its_place_told_to_the_channel_and_ends_the_game(simcord_env, simcord_bot, caplog):
    env = simcord_env
    s = make_server(env)
    real_bank_for = simcord_bot.bank_for
    draws = 0

    async def bank_for_that_breaks_on_the_second_question(guild_id):
        nonlocal draws
        draws += 1
        if draws == 2:
            raise KeyError("a bug")  # fault injection: a programming error mid-night
        return await real_bank_for(guild_id)

    simcord_bot.bank_for = bank_for_that_breaks_on_the_second_question
    ended = []

    async def on_trivia_game_end(game, reason):
        ended.append(reason)

    simcord_bot.add_listener(on_trivia_game_end)
    with caplog.at_level(logging.ERROR, logger="bot.session.manager"):
        await s.alice.slash(s.channel, "trivia", category="Current Events", questions=3, seconds=10)
        await env.advance_time(11 + 5)

    assert s.channel.last_message.content == CRASH_NOTICE
    record = next(r for r in caplog.records if "unexpected error" in r.getMessage())
    assert f"guild {s.guild.id} channel {s.channel.id}" in record.getMessage() and record.exc_info is not None
    assert simcord_bot.games.get(s.channel.id) is None and ended == [None]
    assert await simcord_bot.storage.unfinished_games() == []  # not resumed into the same error forever
    # The channel is free again.
    await s.bob.slash(s.channel, "trivia", category="Current Events", seconds=10)
    assert simcord_bot.games.get(s.channel.id) is not None


async def test_shutdown_leaves_every_game_resumable_and_logs_one_line_per_game(simcord_env, simcord_bot, settings, make_bot, caplog):
    env = simcord_env
    s = make_server(env)
    second = s.guild.create_text_channel("trivia-2")
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=30)
    await s.bob.slash(second, "trivia", category="Current Events", seconds=30)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, "$6 million"))

    with caplog.at_level(logging.INFO, logger="bot.session.manager"):
        await simcord_bot.games.shutdown()
    assert len(simcord_bot.games) == 0
    assert sum("open to resume at the next start" in r.getMessage() for r in caplog.records) == 2
    assert len(await simcord_bot.storage.unfinished_games()) == 2
    assert len(await simcord_bot.storage.open_rounds()) == 2

    await env.restart_bot(make_bot(settings))  # the next start finishes both questions
    await env.advance_time(31)
    assert s.channel.last_message.reference.message_id == question.id
    assert shown(s.alice) in got_it_right(s.channel.last_message)
    assert second.last_message.reference is not None
