"""Games survive a restart: open questions are finished, answers given meanwhile are read back."""

from __future__ import annotations

import discord
import pytest

from tests.fixtures import make_server, secret_game
from tests.helpers import got_it_right, letter_of, move_saved_deadlines_into_the_past, requests, saved, shown, wrong_letters

pytestmark = pytest.mark.both_backends  # games on SQLite and on PostgreSQL

ANSWER = "$6 million"


async def setup_game(env, **options):
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    members = [guild.add_member(env.create_user(n)) for n in ("alice", "bob", "carol")]
    await members[0].slash(channel, "trivia", category="Current Events", **options)
    return channel, members, channel.last_message


async def test_restart_mid_answer_window_scores_answers_from_before_and_after(simcord_env, settings, make_bot):
    env = simcord_env
    channel, (alice, bob, carol), question = await setup_game(env, seconds=60)
    await alice.react(question, letter_of(question, ANSWER))     # seen by the old bot only
    await carol.react(question, wrong_letters(question, ANSWER)[0])
    await env.advance_time(10)

    await env.restart_bot(make_bot(settings))
    await bob.react(question, letter_of(question, ANSWER))       # seen by the new bot
    await env.advance_time(40)
    assert channel.last_message.id == question.id                # the countdown resumed, not restarted
    await env.advance_time(11)

    reveal = channel.last_message
    assert reveal.reference.message_id == question.id
    winners = got_it_right(reveal)
    assert shown(alice) in winners and shown(bob) in winners and shown(carol) not in winners
    # Reactions were read back page by page from Discord.
    assert requests(env, "GET", r"/messages/\d+/reactions/")
    state = await saved(settings, channel.guild.id)
    assert state.statuses == ["closed"] and len(state.answers) == 3
    assert state.games[0].ended_at is not None


async def test_restart_after_the_deadline_reveals_at_once(simcord_env, settings, make_bot):
    env = simcord_env
    channel, (alice, bob, _), question = await setup_game(env, seconds=60)
    await alice.react(question, letter_of(question, ANSWER))
    await bob.react(question, letter_of(question, ANSWER))
    await bob.react(question, wrong_letters(question, ANSWER)[0])  # hedging on two letters never pays
    move_saved_deadlines_into_the_past(settings, 120)  # the bot was down past the deadline

    await env.restart_bot(make_bot(settings))
    reveal = channel.last_message
    assert reveal.id != question.id and reveal.reference.message_id == question.id
    assert shown(alice) in got_it_right(reveal) and shown(bob) not in got_it_right(reveal)
    board = (await alice.slash(channel, "leaderboard")).response.embeds[0].description
    assert "1/1 correct" in board and "0/1 correct" in board


async def test_restart_during_the_break_continues_the_game(simcord_env, settings, make_bot):
    env = simcord_env
    s = make_server(env)
    channel, host = s.channel, s.alice
    await s.mod.slash(channel, "trivia-settings", break_seconds=30)
    await host.slash(channel, "trivia", category="Current Events", questions=3, seconds=20)
    first = channel.last_message
    await host.react(first, letter_of(first, ANSWER))
    await env.advance_time(21)
    assert channel.last_message.reference.message_id == first.id  # revealed; the break has begun

    await env.restart_bot(make_bot(settings))
    await env.advance_time(31)
    second = channel.last_message
    assert second.embeds[0].title == "Question 2 of 3"
    await host.react(second, letter_of(second, ANSWER))
    await env.advance_time(21)
    await env.advance_time(31)
    assert channel.last_message.embeds[0].title == "Question 3 of 3"
    await env.advance_time(21)
    final = channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    assert "**alice**" in next(f.value for f in final.fields if f.name == "Podium")
    state = await saved(settings, s.guild.id)
    assert len(state.games) == 1 and (len(state.answers), state.correct) == (2, 2)


async def test_a_question_deleted_while_the_bot_was_down_is_voided_and_the_game_goes_on(simcord_env, settings, make_bot):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True, manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    alice = guild.add_member(env.create_user("alice"))
    await mod.slash(channel, "trivia-settings", break_seconds=30)
    await alice.slash(channel, "trivia", category="Current Events", seconds=60, questions=2)
    question = channel.last_message
    await alice.react(question, letter_of(question, ANSWER))
    await mod.delete(question)

    await env.restart_bot(make_bot(settings))
    state = await saved(settings, guild.id)
    assert state.statuses == ["void"] and state.answers == []
    await env.advance_time(31)
    assert channel.last_message.embeds[0].title == "Question 2 of 2"
    await env.advance_time(61)
    assert channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_restart_before_the_letters_were_added_adds_the_missing_ones(simcord_env, settings, make_bot, simcord_bot):
    env = simcord_env
    channel, (alice, *_), question = await setup_game(env, seconds=60)
    # Narrate a crash between posting the question and adding the last letters: take the bot's off.
    for letter in ("\N{REGIONAL INDICATOR SYMBOL LETTER C}", "\N{REGIONAL INDICATOR SYMBOL LETTER D}"):
        env.backend.set_reaction(channel.id, question.id, letter, simcord_bot.user.id, False)
    puts_before = len(requests(env, "PUT", r"/reactions/.*/@me$"))

    await env.restart_bot(make_bot(settings))
    added = requests(env, "PUT", r"/reactions/.*/@me$")[puts_before:]
    assert len(added) == 2  # only the missing letters
    await alice.react(question, letter_of(question, ANSWER))
    await env.advance_time(61)
    assert shown(alice) in got_it_right(channel.last_message)


async def test_secret_answers_given_before_a_restart_still_count(simcord_env, settings, make_bot):
    env = simcord_env
    s, question = await secret_game(env, seconds=60)
    right, wrong = letter_of(question, ANSWER), wrong_letters(question, ANSWER)
    await s.alice.react(question, right)                 # hidden: Discord no longer holds these picks
    await s.bob.react(question, right)
    await s.bob.react(question, wrong[0])                # bob's latest hidden pick is wrong
    await env.advance_time(10)
    assert all(r.count == 1 for r in s.channel.history()[-1].reactions)  # only the bot's letters are left

    await env.restart_bot(make_bot(settings))
    await s.carol.react(question, right)                 # after the restart, hidden by the new bot
    await env.advance_time(51)

    winners = got_it_right(s.channel.last_message)
    assert shown(s.alice) in winners and shown(s.carol) in winners and shown(s.bob) not in winners
    state = await saved(settings, s.guild.id)
    answers = {a.user_id: a.response_ms for a in state.answers}
    assert state.hidden_picks == 0  # cleared at close
    assert set(answers) == {s.alice.id, s.bob.id, s.carol.id}
    assert answers[s.alice.id] == 0  # the hidden pick kept its time (and its speed bonus)


async def test_a_restart_keeps_the_count_of_questions_nobody_answered(simcord_env, settings, make_bot):
    env = simcord_env
    s = make_server(env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=30, auto_stop=2)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=5, seconds=20)
    await env.advance_time(21)  # nobody answered the first question; the break begins

    await env.restart_bot(make_bot(settings))
    await env.advance_time(31)
    assert s.channel.last_message.embeds[0].title == "Question 2 of 5"
    await env.advance_time(21)  # nobody answered the second either: two in a row ends the game
    final = s.channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings" and "nobody answered several questions" in final.description


async def test_a_restart_keeps_streaks_across_a_question_nobody_answered(simcord_env, settings, make_bot):
    env = simcord_env
    s = make_server(env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=30)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=3, seconds=20)
    first = s.channel.last_message
    await s.alice.react(first, letter_of(first, ANSWER))
    await env.advance_time(21 + 31)
    await env.advance_time(21)  # nobody answered the second question: alice's streak is broken

    await env.restart_bot(make_bot(settings))
    await env.advance_time(31)
    third = s.channel.last_message
    await s.alice.react(third, letter_of(third, ANSWER))
    await env.advance_time(21)
    streaks = [answer.streak for answer in (await saved(settings, s.guild.id)).answers]
    assert streaks == [1, 1]  # the same as without the restart: no streak bonus carried over the gap


async def test_a_question_deleted_after_the_restart_that_resumed_it_is_voided_not_scored(simcord_env, settings, make_bot):
    env = simcord_env
    s = make_server(env)
    moderators = s.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    moddy = s.guild.add_member(env.create_user("moddy"), roles=[moderators])
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=30)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=60, questions=2)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, ANSWER))

    await env.restart_bot(make_bot(settings))
    await moddy.delete(question)  # after the new bot fetched it to resume
    await env.advance_time(61)
    state = await saved(settings, s.guild.id)
    assert state.statuses == ["void"] and state.answers == []
    assert not any(m.reference for m in s.channel.history())  # no reveal
    await env.advance_time(31)
    assert s.channel.last_message.embeds[0].title == "Question 2 of 2"
