"""SimCord test: a pack's `image` shows on the question itself and `reveal_image` on the reveal."""

from __future__ import annotations

from tests.fixtures import make_server
from tests.helpers import got_it_right, letter_of, shown

PACK = b"""\
pack:
  name: Landmarks
questions:
  - id: landmark-001
    question: "Which landmark is this?"
    choices: ["Eiffel Tower", "Tokyo Tower", "Blackpool Tower", "Petrin Tower"]
    answer: "Eiffel Tower"
    category: Landmarks
    explanation: "It was built for the 1889 World's Fair in Paris."
    image: https://example.invalid/no-such-picture.png
    reveal_image: https://example.invalid/eiffel-at-night.png
"""


async def test_a_picture_question_shows_its_image_and_plays_even_if_the_link_is_dead(simcord_env):
    s = make_server(simcord_env)
    reply = await s.mod.slash(s.channel, "trivia-pack upload", file=("landmarks.yaml", PACK))
    assert reply.ephemeral and "Landmarks" in reply.response.content
    await s.alice.slash(s.channel, "trivia", category="Landmarks", seconds=20)
    question = s.channel.last_message
    assert question.embeds[0].image.url == "https://example.invalid/no-such-picture.png"
    await s.alice.react(question, letter_of(question, "Eiffel Tower"))
    await simcord_env.advance_time(21)
    reveal = s.channel.last_message
    assert reveal.reference.message_id == question.id
    assert reveal.embeds[0].image.url == "https://example.invalid/eiffel-at-night.png"
    assert shown(s.alice) in got_it_right(reveal)
