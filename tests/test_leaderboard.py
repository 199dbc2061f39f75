"""SimCord behaviour tests for `/leaderboard`."""

from __future__ import annotations

from tests.helpers import letter_of, wrong_letters

ANSWER = "$6 million"


async def play_round(env, channel, host, right=(), wrong=(), seconds=20):
    question = (await host.slash(channel, "trivia", category="Current Events", seconds=seconds)) and channel.last_message
    for member in right:
        await member.react(question, letter_of(question, ANSWER))
    for member in wrong:
        await member.react(question, wrong_letters(question, ANSWER)[0])
    await env.advance_time(seconds + 1)
    return question


async def test_empty_board_gets_a_friendly_line(simcord_env):
    guild = simcord_env.create_guild("Quiet Place")
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    result = await alice.slash(channel, "leaderboard")
    embed = result.response.embeds[0]
    assert "Quiet Place" in embed.title and "all-time" in embed.title
    assert "No scores yet" in embed.description
    assert not result.response.components


async def test_players_ranked_by_points_with_correct_answers_and_accuracy(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"), nick="Alice the Great")
    bob = guild.add_member(env.create_user("bob"))
    carol = guild.add_member(env.create_user("carol"))
    await play_round(env, channel, alice, right=[alice, bob], wrong=[carol])
    await play_round(env, channel, alice, right=[bob], wrong=[alice, carol])

    board = (await carol.slash(channel, "leaderboard")).response.embeds[0].description.splitlines()
    assert board[0].startswith("🥇 **bob**") and "2/2 correct (100%)" in board[0]
    # Names are the display names seen in reaction events (no members intent needed).
    assert board[1].startswith("🥈 **Alice the Great**") and "1/2 correct (50%)" in board[1]
    assert board[2].startswith("`#3` **carol**") and "0 pts · 0/2 correct (0%)" in board[2]  # no medal at 0 points
    points = [int(line.split("— ")[1].split(" pts")[0]) for line in board]
    assert points[0] > points[1] > points[2] == 0


async def test_boards_are_per_server(simcord_env):
    env = simcord_env
    first = env.create_guild("First")
    second = env.create_guild("Second")
    user = env.create_user("alice")
    alice_first = first.add_member(user)
    alice_second = second.add_member(user)
    await play_round(env, first.create_text_channel("a"), alice_first, right=[alice_first])

    result = await alice_second.slash(second.create_text_channel("b"), "leaderboard")
    assert "No scores yet" in result.response.embeds[0].description


async def test_more_than_ten_players_page_with_buttons(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    players = [guild.add_member(env.create_user(f"player{i:02d}")) for i in range(13)]
    await play_round(env, channel, players[0], right=players[:5], wrong=players[5:])

    result = await players[0].slash(channel, "leaderboard")
    page1 = result.response
    assert len(page1.embeds[0].description.splitlines()) == 10
    assert page1.embeds[0].footer.text == "Page 1 of 2"
    message = channel.last_message
    stranger_click = await players[12].click(message, label="Next")
    assert stranger_click.ephemeral and "belong to whoever ran the command" in stranger_click.response.content

    await players[0].click(message, label="Next")
    page2 = channel.last_message.embeds[0]
    assert page2.footer.text == "Page 2 of 2"
    assert [line.split()[0] for line in page2.description.splitlines()] == ["`#11`", "`#12`", "`#13`"]
    await players[0].click(channel.last_message, label="Previous")
    assert channel.last_message.embeds[0].footer.text == "Page 1 of 2"


async def test_an_unexpected_error_gets_a_private_apology_and_is_logged(simcord_env, simcord_bot, caplog):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    simcord_bot.storage.leaderboard_size = broken  # fault injection
    result = await alice.slash(channel, "leaderboard")
    assert result.ephemeral and "something went wrong" in result.response.content
    assert "/leaderboard failed" in caplog.text and "database on fire" in caplog.text
    assert [type(e.original) for e in simcord_env.errors] == [RuntimeError]  # seen, and acknowledged


async def test_no_medal_at_zero_points_and_your_rank_when_you_are_not_on_the_page(simcord_env):
    env = simcord_env
    guild = env.create_guild("Quiz Club")
    channel = guild.create_text_channel("trivia")
    players = [guild.add_member(env.create_user(f"player{i:02d}")) for i in range(12)]
    await play_round(env, channel, players[0], right=players[:2], wrong=players[2:])

    board = (await players[0].slash(channel, "leaderboard", period="this week")).response.embeds[0]
    assert "this week" in board.title
    lines = board.description.splitlines()
    assert lines[0].startswith("🥇 ") and lines[1].startswith("🥈 ")
    assert lines[2].startswith("`#3` ") and " 0 pts" in lines[2]  # 0 points: no bronze
    assert "Your rank" not in [f.name for f in board.fields]  # player00 is on the page

    mine = (await players[11].slash(channel, "leaderboard")).response.embeds[0]
    (you,) = [f.value for f in mine.fields if f.name == "Your rank"]
    assert you.startswith("`#12` **player11** — 0 pts · 0/1 correct")
