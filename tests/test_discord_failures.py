"""Discord refusing requests mid-game: the game stops or skips cleanly and nothing is half-recorded."""

from __future__ import annotations

import pytest

from bot.storage import StorageError
from tests.fixtures import make_server, secret_game
from tests.helpers import deadline_of, got_it_right, letter_of, saved, shown, start_and_answer_right

REACTION_PUT = "/channels/*/messages/*/reactions/*/@me"


async def rounds(settings, guild):
    return (await saved(settings, guild.id)).statuses


async def test_missing_permission_to_react_stops_the_game_with_an_explanation(simcord_env, settings):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"))
    env.inject_error("PUT", REACTION_PUT, status=403, code=50013, message="Missing Permissions")
    await alice.slash(channel, "trivia", questions=3, seconds=10)

    notice = channel.last_message
    assert "stopped" in notice.content and "Add Reactions" in notice.content and "Send Messages in Threads" in notice.content
    state = await saved(settings, guild.id)
    assert state.statuses == ["void"] and state.answers == []
    assert state.games[0].ended_at is not None
    again = await alice.slash(channel, "trivia", seconds=10)  # the channel is free again
    assert not again.ephemeral
    await env.advance_time(11)


async def test_missing_permission_to_post_the_next_question_keeps_earlier_scores(simcord_env, settings):
    env = simcord_env
    channel, alice, question = await start_and_answer_right(env, questions=2)
    env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions", times=None)
    await env.advance_time(11)   # the reveal is refused too

    state = await saved(settings, channel.guild.id)
    assert state.statuses == ["closed"] and (len(state.answers), state.correct) == (1, 1)
    assert state.games[0].ended_at is not None
    assert "1/1 correct" in (await alice.slash(channel, "leaderboard")).response.embeds[0].description


async def test_a_deleted_question_is_voided_and_the_game_continues(simcord_env, settings):
    env = simcord_env
    s = make_server(env)
    channel = s.channel
    await s.mod.slash(channel, "trivia-settings", break_seconds=10)
    env.inject_error("PUT", REACTION_PUT, status=404, code=10008, message="Unknown Message")
    await s.alice.slash(channel, "trivia", questions=2, seconds=10)
    assert await rounds(settings, s.guild) == ["void"]

    await env.advance_time(11)
    second = channel.last_message
    assert second.embeds[0].title == "Question 2 of 2"
    await env.advance_time(11)
    assert await rounds(settings, s.guild) == ["void", "closed"]


async def test_a_failing_database_write_is_logged_and_the_round_still_revealed(simcord_env, simcord_bot, caplog):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"))

    async def broken_close_round(*args, **kwargs):
        raise StorageError("disk I/O error")

    simcord_bot.storage.close_round = broken_close_round  # fault injection: the disk fails at round close
    await alice.slash(channel, "trivia", category="Current Events", seconds=10)
    question = channel.last_message
    await alice.react(question, letter_of(question, "$6 million"))
    await env.advance_time(11)

    reveal = channel.last_message
    assert reveal.reference.message_id == question.id
    assert "could not save round" in caplog.text and "disk I/O error" in caplog.text


async def test_a_round_the_database_refused_is_saved_at_the_next_close(simcord_env, simcord_bot, settings, caplog):
    env = simcord_env
    saved_close_round = simcord_bot.storage.close_round
    calls = 0

    async def locked_once(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:  # fault injection: the first save finds the database locked
            raise StorageError("database is locked", busy=True)
        await saved_close_round(*args, **kwargs)

    simcord_bot.storage.close_round = locked_once
    channel, alice, first = await start_and_answer_right(env, questions=2, seconds=20)
    await env.advance_time(21)
    assert first.id == channel.last_message.reference.message_id  # revealed all the same
    assert await rounds(settings, channel.guild) == ["open"] and "could not save round" in caplog.text

    await env.advance_time(10)  # the break
    second = channel.last_message
    await alice.react(second, letter_of(second, "$6 million"))
    await env.advance_time(21)
    state = await saved(settings, channel.guild.id)
    assert state.statuses == ["closed", "closed"] and (len(state.answers), state.correct) == (2, 2)


@pytest.mark.parametrize("status", [500, 429], ids=["server error", "rate limited"])
async def test_a_failed_reveal_is_retried_once_and_nothing_is_counted_twice(simcord_env, settings, status):
    env = simcord_env
    channel, alice, question = await start_and_answer_right(env)
    env.inject_error("POST", "/channels/*/messages", status=status)  # the reveal fails once and is retried
    await env.advance_time(11)
    await env.advance_time(3)

    reveals = [m for m in channel.history() if m.reference is not None]
    assert len(reveals) == 1 and reveals[0].reference.message_id == question.id
    assert shown(alice) in got_it_right(reveals[0])
    assert len([r for r in env.http_requests if r.method == "POST" and r.path.endswith("/messages")]) == 2
    state = await saved(settings, channel.guild.id)
    assert state.statuses == ["closed"]
    assert len(state.answers) == 1 and sum(a.points for a in state.answers) > 0


async def test_a_rate_limited_letter_is_added_again_and_the_countdown_is_kept(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"))
    env.inject_error("PUT", REACTION_PUT, status=429, message="You are being rate limited.")
    await alice.slash(channel, "trivia", category="Current Events", seconds=20)
    await env.advance_time(3)  # the pause before the retry
    question = channel.last_message
    assert [r.count for r in question.reactions] == [1, 1, 1, 1]  # every letter, once
    deadline = deadline_of(question)

    await alice.react(question, letter_of(question, "$6 million"))
    await env.advance_time(deadline - env.now().timestamp() - 1)
    assert channel.last_message.id == question.id  # still open until the deadline it showed
    await env.advance_time(2)
    assert channel.last_message.reference.message_id == question.id


async def test_discord_failing_for_good_stops_the_game_and_keeps_scores(simcord_env, settings):
    env = simcord_env
    channel, alice, question = await start_and_answer_right(env, questions=2)
    env.inject_error("POST", "/channels/*/messages", status=503, times=2)  # the reveal and its retry
    await env.advance_time(11)
    await env.advance_time(3)

    history = channel.history()
    assert "Discord kept failing (503)" in history[-2].content
    assert "Discord refused or failed a request" in history[-1].embeds[0].description  # final standings
    state = await saved(settings, channel.guild.id)
    assert state.statuses == ["closed"] and len(state.answers) == 1
    assert state.games[0].ended_at is not None


async def test_a_secret_answer_that_cannot_be_saved_stays_visible_and_still_counts(simcord_env, simcord_bot, caplog):
    env = simcord_env

    async def broken_save_hidden_picks(*args, **kwargs):
        raise StorageError("disk I/O error")

    simcord_bot.storage.save_hidden_picks = broken_save_hidden_picks  # fault injection: the disk fails mid-round
    s, question = await secret_game(env, seconds=10)
    right = letter_of(question, "$6 million")
    await s.alice.react(question, right)

    counts = {str(r.emoji): r.count for r in s.channel.history()[-1].reactions}
    assert counts[right] == 2  # not hidden: Discord keeps the pick the bot could not save
    assert "could not save a secret answer" in caplog.text
    await env.advance_time(11)
    assert shown(s.alice) in got_it_right(s.channel.last_message)
