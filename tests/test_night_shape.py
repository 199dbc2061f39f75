"""SimCord tests: a night opens with an intro card, its breaks say when the next question comes,
and a question that ends early says so on its card (one edit, and none in a normal round)."""

from __future__ import annotations

import re

from bot.ui.embeds import CLOSED_BY_STOP, CLOSED_VOID
from tests.fixtures import make_server
from tests.helpers import letter_of, requests

REACTION_PUT = "/channels/*/messages/*/reactions/*/@me"


def field(message, name):
    return next((f.value for f in message.embeds[0].fields if f.name == name), None)


async def test_a_night_opens_with_an_intro_card_and_each_break_is_a_timestamp(simcord_env):
    s = make_server(simcord_env)
    started = await s.alice.slash(s.channel, "trivia", questions=3, seconds=10, category="Current Events")
    intro, question = s.channel.history()[-2:]
    assert started.response.id == intro.id  # the intro answers the command; the question follows
    card = intro.embeds[0]
    assert card.title == "🎉 Trivia night starts now!"
    assert card.description.startswith("**3 questions, all Current Events** · 10 seconds each\n")
    assert card.description.endswith("Right answers score 100 (easy), 150 (medium) or 200 (hard), plus bonuses for speed and streaks.")
    assert question.embeds[0].title == "Question 1 of 3"

    await s.alice.react(question, letter_of(question, "$6 million"))
    await simcord_env.advance_time(11)
    reveal = s.channel.last_message
    revealed_at = int(simcord_env.now().timestamp())
    next_up = field(reveal, "Next")
    match = re.fullmatch(r"Question 2 of 3 <t:(\d+):R>", next_up)
    assert match and int(match[1]) in range(revealed_at + 4, revealed_at + 6)  # the 5-second break
    for _ in range(2):
        await simcord_env.advance_time(6)
        await simcord_env.advance_time(11)
    last_reveal = s.channel.history()[-2]
    assert last_reveal.reference is not None and field(last_reveal, "Next") is None  # the night ends there
    assert not requests(simcord_env, "PATCH", r"/messages/")  # nothing counted down by edits


async def test_a_one_question_game_has_no_intro_and_no_edit(simcord_env):
    s = make_server(simcord_env)
    started = await s.alice.slash(s.channel, "trivia", seconds=10)
    assert started.response.embeds[0].title == "Trivia"
    await simcord_env.advance_time(11)
    assert field(s.channel.last_message, "Next") is None
    assert not requests(simcord_env, "PATCH", r"/messages/")


async def test_a_stopped_question_says_so_on_its_card_once(simcord_env):
    s = make_server(simcord_env)
    await s.alice.slash(s.channel, "trivia", questions=3, seconds=30, category="Current Events")
    question = s.channel.last_message
    await s.bob.react(question, letter_of(question, "$6 million"))
    await simcord_env.advance_time(5)
    await s.alice.slash(s.channel, "trivia-stop")

    edits = requests(simcord_env, "PATCH", rf"/messages/{question.id}$")
    assert len(edits) == 1
    card = next(m for m in s.channel.history() if m.id == question.id)
    assert card.embeds[0].description.endswith(CLOSED_BY_STOP)
    assert "<t:" not in card.embeds[0].description  # no countdown left on a closed card
    assert not field(s.channel.last_message, "Next")
    await simcord_env.advance_time(60)
    assert len(requests(simcord_env, "PATCH", r"/messages/")) == 1


async def test_a_cancelled_question_says_so_on_its_card(simcord_env):
    s = make_server(simcord_env)
    simcord_env.inject_error("PUT", REACTION_PUT, status=403, code=50013, message="Missing Permissions")
    await s.alice.slash(s.channel, "trivia", questions=3, seconds=10)
    question = next(m for m in s.channel.history() if m.embeds and m.embeds[0].title == "Question 1 of 3")
    assert question.embeds[0].description.endswith(CLOSED_VOID)
    assert "<t:" not in question.embeds[0].description
