"""SimCord behaviour tests for one `/trivia` question: posting, answering, the reveal; reactions still reach other listeners and errors reach `on_error`."""

from __future__ import annotations

import sys

import pytest

from bot.constants import LETTERS
from tests.helpers import answer_counts, choice_letters, deadline_of, got_it_right, letter_of, requests, shown, wrong_letters

pytestmark = pytest.mark.both_backends  # games on SQLite and on PostgreSQL

DEEPSEEK = "For approximately how much was the DeepSeek R1 model reportedly trained, shocking the AI industry?"
OTHER_EMOJI = "\N{THUMBS UP SIGN}"


@pytest.fixture
def world(simcord_env):
    guild = simcord_env.create_guild("Game Night")
    channel = guild.create_text_channel("trivia")
    players = [guild.add_member(simcord_env.create_user(name)) for name in ("alice", "bob", "carol", "dave")]
    return simcord_env, guild, channel, players


async def ask(env, channel, member, **options):
    options.setdefault("category", "Current Events")
    result = await member.slash(channel, "trivia", **options)
    assert result.acknowledged and not result.ephemeral
    return channel.last_message


async def test_question_embed_lists_lettered_choices_and_a_countdown(world):
    env, _, channel, (alice, *_) = world
    before = int(env.now().timestamp())
    question = await ask(env, channel, alice, seconds=30)

    embed = question.embeds[0]
    assert DEEPSEEK in embed.description
    assert "Current Events" in embed.footer.text and "Medium" in embed.footer.text
    letters = choice_letters(question)
    assert sorted(letters) == sorted(["$6 million", "$60 million", "$600 million", "$6 billion"])
    assert sorted(letters.values()) == list(LETTERS[:4])
    assert deadline_of(question) in range(before + 29, before + 32)
    assert [str(r.emoji) for r in question.reactions] == list(LETTERS[:4])
    assert all(r.count == 1 for r in question.reactions)
    # A live countdown is a timestamp, never an edited message.
    assert not requests(env, "PATCH", r"/messages/")


async def test_choices_are_shuffled_between_rounds(world):
    env, _, channel, (alice, *_) = world
    orders = set()
    for _ in range(8):
        question = await ask(env, channel, alice, seconds=5, category="Space")
        orders.add(tuple(choice_letters(question).items()))
        await env.advance_time(6)
    assert len(orders) > 1


async def test_numeric_choices_are_shown_in_ascending_order(world):
    env, _, channel, (alice, *_) = world
    for _ in range(3):
        question = await ask(env, channel, alice, seconds=5)  # amounts: $6 million ... $6 billion
        assert choice_letters(question) == dict(zip(["$6 million", "$60 million", "$600 million", "$6 billion"], LETTERS))
        await env.advance_time(6)


async def test_latest_present_pick_counts_and_withdrawals_remove_answers(world):
    env, _, channel, (alice, bob, carol, dave) = world
    question = await ask(env, channel, alice, seconds=20)
    right = letter_of(question, "$6 million")
    wrong = wrong_letters(question, "$6 million")

    await alice.react(question, wrong[0])
    await alice.react(question, right)           # latest pick: right
    await bob.react(question, right)
    await bob.react(question, wrong[1])          # latest pick: wrong
    await carol.react(question, wrong[0])
    await carol.react(question, right)
    await carol.unreact(question, right)         # back to her earlier, still-present pick
    await dave.react(question, right)
    await dave.unreact(question, right)          # withdrew: no answer at all
    await env.advance_time(21)

    reveal = channel.last_message.embeds[0]
    got_it = next(f.value for f in reveal.fields if f.name == "Got it right")
    assert shown(alice) in got_it
    assert shown(bob) not in got_it and shown(carol) not in got_it
    spread = next(f.value for f in reveal.fields if f.name == "Answers")
    assert sum(answer_counts(spread)) == 3

    board = (await alice.slash(channel, "leaderboard")).response.embeds[0].description
    assert "dave" not in board
    assert "0/1 correct" in board and "1/1 correct" in board


async def test_reactions_a_moderator_clears_are_withdrawn_and_the_letters_come_back(world):
    env, _, channel, (alice, bob, carol, _) = world
    question = await ask(env, channel, alice, seconds=20)
    right, wrong = letter_of(question, "$6 million"), wrong_letters(question, "$6 million")
    await alice.react(question, right)
    await bob.react(question, wrong[0])
    env.backend.clear_reaction(channel.id, question.id, right)  # a moderator removes every A (say)
    await env.settle()
    assert {str(r.emoji): r.count for r in channel.last_message.reactions}[right] == 1  # the bot's letter is back

    await carol.react(question, right)
    env.backend.clear_reactions(channel.id, question.id)  # ... and then every reaction
    await env.settle()
    assert [r.count for r in channel.last_message.reactions] == [1, 1, 1, 1]
    await bob.react(question, right)
    await env.advance_time(21)

    reveal = channel.last_message.embeds[0]
    winners = got_it_right(channel.last_message)
    assert shown(bob) in winners and shown(alice) not in winners and shown(carol) not in winners
    spread = next(f.value for f in reveal.fields if f.name == "Answers")
    assert sum(answer_counts(spread)) == 1


async def test_bots_other_emoji_and_late_reactions_are_ignored(world):
    env, guild, channel, (alice, bob, *_) = world
    robo = guild.add_member(env.create_user("robo", bot=True))
    question = await ask(env, channel, alice, seconds=10)
    right = letter_of(question, "$6 million")

    await robo.react(question, right)
    await alice.react(question, OTHER_EMOJI)
    await env.advance_time(11)
    await bob.react(question, right)             # after the deadline

    reveal = channel.last_message.embeds[0]
    assert next(f.value for f in reveal.fields if f.name == "Got it right") == "Nobody answered."
    board = (await alice.slash(channel, "leaderboard")).response.embeds[0].description
    assert "No scores yet" in board


async def test_reveal_reads_like_a_trivia_card(world):
    env, _, channel, (alice, bob, *_) = world
    question = await ask(env, channel, alice, seconds=20)
    right = letter_of(question, "$6 million")
    await alice.react(question, right)
    await bob.react(question, wrong_letters(question, "$6 million")[0])
    await env.advance_time(21)

    reveal_message = channel.last_message
    assert reveal_message.id != question.id
    assert reveal_message.reference.message_id == question.id
    reveal = reveal_message.embeds[0]
    assert reveal.title == f"{right} $6 million — Current Events"
    assert "DeepSeek-V3" in reveal.description
    fields = {f.name: f.value for f in reveal.fields}
    assert "https://en.wikipedia.org/wiki/DeepSeek" in fields["Learn more"]
    assert question.embeds[0].image.url == "https://example.org/deepseek.png"  # a picture belongs on the question
    assert not reveal.image  # the pack gives no reveal_image
    assert fields["Got it right"].startswith(shown(alice) + " +")
    assert next(line for line in fields["Answers"].splitlines() if line.startswith(right)).endswith(" 1 (50%) ✅")
    # Mentions in the reveal never ping.
    post = requests(env, "POST", r"^/channels/\d+/messages$")[-1]
    assert post.json["allowed_mentions"]["parse"] == []


async def test_question_text_with_everyone_pings_nobody(world):
    env, _, channel, (alice, *_) = world
    await ask(env, channel, alice, category="Space", seconds=5)
    callback = requests(env, "POST", r"/interactions/.*/callback")[-1]
    data = callback.json["data"]
    assert "@\u200beveryone" in data["embeds"][0]["description"]  # shown as text, not as a mention
    assert "@everyone" not in data["embeds"][0]["description"]
    assert data["allowed_mentions"] == {"parse": [], "replied_user": False} or data["allowed_mentions"]["parse"] == []
    await env.advance_time(6)


async def test_a_one_question_game_costs_one_response_one_reaction_per_choice_and_one_reveal(world):
    env, _, channel, players = world
    start = len(env.http_requests)
    question = await ask(env, channel, players[0], seconds=20)
    for member in players:
        for letter in LETTERS[:4]:
            await member.react(question, letter)
        await member.unreact(question, LETTERS[0])
    await env.advance_time(21)

    calls = [(r.method, r.path) for r in env.http_requests[start:]]
    assert len([c for c in calls if c[0] == "POST" and "/callback" in c[1]]) == 1
    assert len([c for c in calls if c[0] == "PUT" and "/reactions/" in c[1]]) == 4
    assert len([c for c in calls if c[0] == "POST" and c[1].endswith("/messages")]) == 1
    assert len(calls) == 6


async def test_options_filter_by_category_and_difficulty(world):
    env, _, channel, (alice, *_) = world
    question = await ask(env, channel, alice, category="space", difficulty="easy", seconds=5)
    assert "closest to the Sun" in question.embeds[0].description
    await env.advance_time(6)

    result = await alice.slash(channel, "trivia", category="Space", difficulty="hard")
    assert result.ephemeral
    assert "no hard Space questions" in result.response.content


async def test_unknown_category_gets_a_specific_ephemeral_reply(world):
    env, _, channel, (alice, *_) = world
    result = await alice.slash(channel, "trivia", category="Underwater Basket Weaving")
    assert result.ephemeral
    assert "no category called" in result.response.content
    assert "Current Events" in result.response.content and "Space" in result.response.content


async def test_category_autocomplete_offers_loaded_categories(world):
    env, _, channel, (alice, *_) = world
    offered = await alice.autocomplete(channel, "trivia", "category", "sp")
    assert [c["name"] for c in offered] == ["Space"]
    offered = await alice.autocomplete(channel, "trivia", "category", "")
    assert [c["name"] for c in offered] == ["Current Events", "Space"]


async def test_default_answer_time_is_twenty_seconds(world):
    env, _, channel, (alice, *_) = world
    before = int(env.now().timestamp())
    question = await ask(env, channel, alice)
    assert deadline_of(question) in range(before + 19, before + 22)
    await env.advance_time(19)
    assert channel.last_message.id == question.id
    await env.advance_time(2)
    assert channel.last_message.id != question.id


async def test_reveal_shows_the_observed_correct_rate_once_enough_answers_exist(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    members = [guild.add_member(env.create_user(f"p{i}")) for i in range(6)]
    question = await ask(env, channel, members[0], seconds=10)
    for member in members[:3]:
        await member.react(question, letter_of(question, "$6 million"))
    for member in members[3:5]:
        await member.react(question, wrong_letters(question, "$6 million")[0])
    await env.advance_time(11)
    assert "got this right" not in channel.last_message.embeds[0].footer.text  # 5 answers: too few

    question = await ask(env, channel, members[0], seconds=10)
    for member in members:
        await member.react(question, letter_of(question, "$6 million"))
    await env.advance_time(11)
    # 9 of 11 answers over both rounds were right.
    assert channel.last_message.embeds[0].footer.text.endswith("· 82% of players got this right")


async def test_listeners_for_reactions_still_hear_them_beside_the_game(world):
    """The client hands reactions to the game within discord.py's dispatch; anyone else waiting for
    them (``wait_for``, a listener) still gets every add and remove."""
    env, _, channel, (alice, bob, *_) = world
    bot = env.bot
    heard: list[tuple[str, int]] = []

    async def on_reaction(payload) -> None:
        heard.append((payload.event_type, payload.user_id))

    bot.add_listener(on_reaction, "on_raw_reaction_add")
    bot.add_listener(on_reaction, "on_raw_reaction_remove")
    question = await ask(env, channel, alice, seconds=20)
    right = letter_of(question, "$6 million")
    waiting = bot.loop.create_task(bot.wait_for("raw_reaction_add", check=lambda p: p.user_id == bob.id))
    await bob.react(question, right)
    await alice.react(question, right)
    await alice.unreact(question, right)
    assert waiting.done() and waiting.result().user_id == bob.id
    assert (("REACTION_ADD", bob.id) in heard and ("REACTION_ADD", alice.id) in heard
            and ("REACTION_REMOVE", alice.id) in heard)
    await env.advance_time(21)
    assert got_it_right(channel.last_message).startswith(shown(bob) + " +")


async def test_an_error_taking_a_reaction_goes_to_on_error(world, monkeypatch):
    env, _, channel, (alice, *_) = world
    question = await ask(env, channel, alice, seconds=20)
    game = env.bot.games.get(channel.id)
    reported: list[tuple[str, BaseException | None]] = []
    original_on_error = env.bot.on_error

    async def on_error(event_method: str, /, *args, **kwargs) -> None:
        reported.append((event_method, sys.exc_info()[1]))
        await original_on_error(event_method, *args, **kwargs)

    def broken(payload) -> None:
        raise RuntimeError("the answer sheet is broken")

    monkeypatch.setattr(env.bot, "on_error", on_error)
    monkeypatch.setattr(game.answers, "on_reaction", broken)
    await alice.react(question, letter_of(question, "$6 million"))
    assert [(name, str(exc)) for name, exc in reported] == [("on_raw_reaction_add", "the answer sheet is broken")]
    assert [str(e) for e in env.errors] == ["the answer sheet is broken"]  # seen, so teardown passes
    monkeypatch.undo()
    await env.advance_time(21)
