"""Posting questions when Discord is slow or fails once: the window shown is the window enforced."""

from __future__ import annotations

from tests.fixtures import make_server
from tests.helpers import deadline_of, got_it_right, letter_of, requests, shown

ANSWER = "$6 million"


async def test_a_retried_question_post_closes_at_the_deadline_it_shows(simcord_env):
    env = simcord_env
    s = make_server(env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=10)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=2, seconds=20)
    await env.advance_time(21)  # the first reveal; the break begins
    env.inject_error("POST", "/channels/*/messages", status=500)  # the second question's post fails once
    await env.advance_time(10 + 3)

    second = s.channel.last_message
    assert second.embeds[0].title == "Question 2 of 2"
    await s.bob.react(second, letter_of(second, ANSWER))
    await env.advance_time(deadline_of(second) - env.now().timestamp() - 1)
    assert s.channel.last_message.id == second.id  # open until the deadline it showed...
    await env.advance_time(2)
    reveal = s.channel.history()[-2]  # ...and not a moment longer (the final standings follow)
    assert reveal.reference.message_id == second.id and shown(s.bob) in got_it_right(reveal)


async def test_the_first_question_gets_one_more_try_when_discord_fails_once(simcord_env, settings, monkeypatch):
    # SimCord cannot drive a timer while an interaction waits for its first answer, so the pause
    # before the extra try is made instant here; what is tested is that the try happens.
    monkeypatch.setattr("bot.session.retry.ONE_MORE_TRY", (0.0,))
    env = simcord_env
    s = make_server(env)
    env.inject_error("POST", "/interactions/*/*/callback", status=503)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    await env.advance_time(3)

    question = s.channel.last_message
    assert question.embeds[0].title == "Trivia" and question.interaction_metadata is not None
    assert len(requests(env, "POST", r"^/interactions/\d+/[^/]+/callback$")) == 2
    await s.bob.react(question, letter_of(question, ANSWER))
    await env.advance_time(21)
    assert shown(s.bob) in got_it_right(s.channel.last_message)
