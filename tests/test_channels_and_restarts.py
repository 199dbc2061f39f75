"""One game per channel, and state that survives a restart."""

from __future__ import annotations

from tests.helpers import letter_of, requests, saved, shown, start_and_answer_right, wrong_letters

ANSWER = "$6 million"


async def test_second_trivia_in_a_busy_channel_links_to_the_running_question(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    await alice.slash(channel, "trivia", seconds=30)
    question = channel.last_message

    busy = await bob.slash(channel, "trivia")
    assert busy.ephemeral
    assert "already running" in busy.response.content
    assert f"/channels/{guild.id}/{channel.id}/{question.id}" in busy.response.content
    assert channel.last_message.id == question.id

    await env.advance_time(31)
    again = await bob.slash(channel, "trivia", seconds=5)
    assert not again.ephemeral
    await env.advance_time(6)


async def test_other_channels_play_at_the_same_time(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    one, two = guild.create_text_channel("one"), guild.create_text_channel("two")
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    await alice.slash(one, "trivia", category="Current Events", seconds=20)
    await bob.slash(two, "trivia", category="Current Events", seconds=20)
    q1, q2 = one.last_message, two.last_message
    await alice.react(q1, letter_of(q1, ANSWER))
    await bob.react(q2, letter_of(q2, ANSWER))
    # Reacting in one channel must not count in the other.
    await alice.react(q2, wrong_letters(q2, ANSWER)[0])
    await env.advance_time(21)

    won_one = next(f.value for f in one.last_message.embeds[0].fields if f.name == "Got it right")
    won_two = next(f.value for f in two.last_message.embeds[0].fields if f.name == "Got it right")
    assert shown(alice) in won_one and shown(bob) not in won_one
    assert shown(bob) in won_two and shown(alice) not in won_two


async def test_scores_survive_a_restart_and_commands_are_not_resynced(simcord_env, settings, make_bot):
    env = simcord_env
    channel, alice, question = await start_and_answer_right(env)
    await env.advance_time(11)
    before = (await alice.slash(channel, "leaderboard")).response.embeds[0].description
    assert "1/1 correct" in before
    syncs_before = len(requests(env, "PUT", r"^/applications/\d+/commands$"))
    assert syncs_before == 1

    await env.restart_bot(make_bot(settings))

    after = (await alice.slash(channel, "leaderboard")).response.embeds[0].description
    assert after == before
    assert len(requests(env, "PUT", r"^/applications/\d+/commands$")) == syncs_before


async def test_forced_sync_syncs_even_when_unchanged(simcord_env, settings, make_bot):
    from dataclasses import replace

    env = simcord_env
    await env.restart_bot(make_bot(replace(settings, force_sync=True)))
    assert len(requests(env, "PUT", r"^/applications/\d+/commands$")) == 2


async def test_round_is_saved_in_one_transaction_when_it_closes(simcord_env, settings):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    members = [guild.add_member(env.create_user(n)) for n in ("a", "b", "c")]
    await members[0].slash(channel, "trivia", category="Current Events", seconds=10)
    question = channel.last_message
    for member in members:
        await member.react(question, letter_of(question, ANSWER))
    before = await saved(settings, guild.id)
    assert before.statuses == ["open"] and before.answers == []
    await env.advance_time(11)
    after = await saved(settings, guild.id)
    assert after.statuses == ["closed"]
    assert (len(after.answers), after.correct) == (3, 3)
