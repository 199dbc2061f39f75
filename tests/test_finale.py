"""SimCord tests for a night's finale: the winner, podium, highlights, results card and Play again."""

from __future__ import annotations

import io

import discord
from PIL import Image

from tests.fixtures import make_server
from tests.helpers import letter_of, wrong_letters

ANSWERS = {"$6 million", "Mercury"}  # the right answers of the two test-pack questions


def right(question: discord.Message) -> str:
    return next(letter_of(question, text) for text in ANSWERS if text in (question.embeds[0].description or ""))


def wrong(question: discord.Message) -> str:
    answer = next(text for text in ANSWERS if text in (question.embeds[0].description or ""))
    return wrong_letters(question, answer)[0]


def field(embed: discord.Embed, name: str) -> str:
    return next(f.value for f in embed.fields if f.name == name)


async def play_night(env, channel, host, players, answers, seconds=10):
    """``answers[n]`` maps each player to "right", "wrong" or None for question n; returns the final standings."""
    await host.slash(channel, "trivia", questions=len(answers), seconds=seconds)
    for number, round_answers in enumerate(answers, start=1):
        question = channel.last_message
        for delay, (player, answer) in enumerate(zip(players, round_answers, strict=True)):
            if answer is not None:
                await env.advance_time(1 if delay else 0)
                await player.react(question, right(question) if answer == "right" else wrong(question))
        await env.advance_time(seconds + 1)
        if number < len(answers):
            await env.advance_time(6)
    return channel.last_message


async def test_the_finale_names_the_winner_with_a_podium_highlights_and_a_results_card(simcord_env):
    s = make_server(simcord_env, "Pub Quiz")
    players = [s.alice, s.bob, s.carol]
    final = await play_night(simcord_env, s.channel, s.alice, players, [
        ["right", "right", "wrong"],
        ["right", "wrong", "wrong"],
        ["right", "right", None],
    ])
    embed = final.embeds[0]
    points = {line.split("**")[1]: line.split(": ")[1] for line in field(embed, "Podium").splitlines()}
    assert embed.description.startswith(f"🏆 **alice** wins with **{points['alice']}**!")
    assert points["alice"].endswith(" points") and points["bob"].endswith(" points")
    assert field(embed, "Podium").splitlines()[0].startswith("🥇 **alice**")
    assert "🥉" not in field(embed, "Podium")  # carol scored 0: no medal, she is with everyone else
    assert field(embed, "Everyone else") == "`#3` **carol**: 0 points"
    highlights = field(embed, "Highlights of the night").splitlines()
    assert highlights[0] == "⚡ Fastest right answer: **alice** in 0.0 s"
    assert highlights[1] == "🔥 Longest streak: **alice**, 3 right in a row"
    assert highlights[2].startswith("🧠 Toughest question: “") and highlights[2].endswith("” (1 of 3 got it right)")
    assert embed.footer.text.startswith("3 players · 3 questions")

    assert embed.image.url == "attachment://results.png"
    (card,) = final.attachments
    assert card.filename == "results.png"
    image = Image.open(io.BytesIO(await card.read()))
    assert image.format == "PNG" and image.size == (1200, 675)
    assert [c.label for row in final.components for c in row.children] == ["Play again"]


async def test_one_player_is_one_player(simcord_env):
    s = make_server(simcord_env)
    final = await play_night(simcord_env, s.channel, s.alice, [s.alice], [["right"], ["wrong"]])
    embed = final.embeds[0]
    assert embed.footer.text.startswith("1 player · 2 questions")
    assert "Longest streak" not in field(embed, "Highlights of the night")  # one right answer is no streak


async def test_names_of_any_script_and_emoji_never_break_the_card(simcord_env):
    s = make_server(simcord_env)
    exotic = [s.guild.add_member(simcord_env.create_user(name)) for name in ("田中 🎉", "🔥🔥", "Ἀθηνᾶ_Ω")]
    final = await play_night(simcord_env, s.channel, s.alice, exotic, [["right", "right", "right"], ["right", "right", "wrong"]])
    assert "🔥🔥" in field(final.embeds[0], "Podium")  # the embed shows every name as it is
    image = Image.open(io.BytesIO(await final.attachments[0].read()))
    assert image.size == (1200, 675)


async def test_play_again_starts_the_same_kind_of_night_for_whoever_may_start_games(simcord_env):
    s = make_server(simcord_env)
    await s.alice.slash(s.channel, "trivia", questions=2, seconds=15, category="Current Events")
    await simcord_env.advance_time(16)
    await simcord_env.advance_time(6)
    await simcord_env.advance_time(16)
    final = s.channel.last_message
    assert final.embeds[0].title == "🏁 Final standings"

    clicked = await s.bob.click(final, label="Play again")
    assert not clicked.ephemeral
    question = s.channel.last_message
    assert question.embeds[0].title == "Question 1 of 2"
    assert "Current Events" in question.embeds[0].footer.text
    refused = await s.carol.click(final, label="Play again")  # one game per channel, as with /trivia
    assert refused.ephemeral and "already running" in refused.response.content
    await simcord_env.advance_time(16)
    await simcord_env.advance_time(6)
    assert s.channel.last_message.embeds[0].title == "Question 2 of 2"
    await simcord_env.advance_time(16)


async def test_play_again_follows_the_servers_starter_role_and_survives_a_restart(simcord_env, settings, make_bot):
    s = make_server(simcord_env)
    hosts = s.guild.create_role("Hosts")
    s.guild.add_member(simcord_env.create_user("host"), roles=[hosts])
    await s.mod.slash(s.channel, "trivia-settings", starter_role=hosts)
    await s.mod.slash(s.channel, "trivia", questions=2, seconds=15)
    await simcord_env.advance_time(16)
    await simcord_env.advance_time(6)
    await simcord_env.advance_time(16)
    final = s.channel.last_message

    await simcord_env.restart_bot(make_bot(settings))
    refused = await s.alice.click(final, label="Play again")
    assert refused.ephemeral and f"<@&{hosts.id}> role" in refused.response.content
    started = await s.mod.click(final, label="Play again")
    assert not started.ephemeral and s.channel.last_message.embeds[0].title == "Question 1 of 2"
    await simcord_env.advance_time(16)
    await simcord_env.advance_time(6)
    await simcord_env.advance_time(16)


async def test_highlights_cover_the_whole_night_across_a_restart(simcord_env, settings, make_bot):
    s = make_server(simcord_env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=30)
    await s.alice.slash(s.channel, "trivia", questions=2, seconds=20, category="Current Events")
    first = s.channel.last_message
    await s.alice.react(first, letter_of(first, "$6 million"))  # at once: the night's fastest
    await simcord_env.advance_time(21)

    await simcord_env.restart_bot(make_bot(settings))
    await simcord_env.advance_time(31)
    second = s.channel.last_message
    await simcord_env.advance_time(4)
    await s.bob.react(second, letter_of(second, "$6 million"))
    await simcord_env.advance_time(17)
    highlights = field(s.channel.last_message.embeds[0], "Highlights of the night")
    assert "⚡ Fastest right answer: **alice** in 0.0 s" in highlights
