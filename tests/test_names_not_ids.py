"""SimCord tests: the bot names players by the display names it saw, escaped, never as ids or pings."""

from __future__ import annotations

from tests.fixtures import make_server
from tests.helpers import burst, got_it_right, letter_of, start_and_answer_right


async def test_winners_are_named_escaped_and_never_as_ids(simcord_env):
    s = make_server(simcord_env)
    tricky = s.guild.add_member(simcord_env.create_user("star*_dust"))
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await tricky.react(question, letter_of(question, "$6 million"))
    await simcord_env.advance_time(21)
    reveal = s.channel.last_message
    assert got_it_right(reveal).startswith("**star\\*\\_dust** +")
    assert "<@" not in got_it_right(reveal)
    assert not reveal.mentions


async def test_beyond_fifteen_winners_the_rest_are_counted(simcord_env):
    s = make_server(simcord_env)
    players = [s.guild.add_member(simcord_env.create_user(f"player{n:02}")) for n in range(18)]
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    right = letter_of(question, "$6 million")
    await burst(simcord_env, ((p, question, right, True) for p in players))
    await simcord_env.advance_time(21)
    winners = got_it_right(s.channel.last_message)
    assert winners.count("**player") == 15
    assert winners.endswith(" +3 more")


async def test_the_final_standings_name_who_stopped_the_game(simcord_env):
    channel, alice, _ = await start_and_answer_right(simcord_env, questions=3, seconds=30)
    await alice.slash(channel, "trivia-stop")
    final = channel.last_message.embeds[0]
    assert "stopped by **alice**" in final.description
    assert "<@" not in final.description


async def test_a_refused_stop_names_who_started_the_game(simcord_env):
    s = make_server(simcord_env)
    host = s.guild.add_member(simcord_env.create_user("__host__"))
    await host.slash(s.channel, "trivia", category="Current Events", seconds=20)
    refused = await s.bob.slash(s.channel, "trivia-stop")
    assert refused.ephemeral
    assert refused.response.content == (
        "Only **\\_\\_host\\_\\_**, who started this game, or a member with Manage Server can stop it."
    )
    await simcord_env.advance_time(21)
