"""Every category has an illustration, carried by the reveal unless the question has its own picture."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from bot.questions import load_packs
from bot.ui.illustrations import ASSETS, GENERIC, illustration_path
from tests.fixtures import make_server
from tests.helpers import requests
from tests.test_picture_questions import PACK

SHIPPED = Path(__file__).resolve().parent.parent / "questions"


def test_every_shipped_category_has_its_own_illustration():
    categories = {q.category for q in load_packs([SHIPPED]).questions}
    assert len(categories) == 24
    paths = {illustration_path(c) for c in categories}
    assert len(paths) == 24 and ASSETS / GENERIC not in paths
    assert illustration_path("Knitting Patterns") == ASSETS / GENERIC  # a custom category


async def test_the_reveal_carries_its_category_illustration_as_a_thumbnail(simcord_env):
    s = make_server(simcord_env)
    await s.alice.slash(s.channel, "trivia", category="Space", seconds=10)
    await simcord_env.advance_time(11)
    reveal = s.channel.last_message
    assert reveal.embeds[0].thumbnail.url == "attachment://category.png"
    (picture,) = reveal.attachments
    image = Image.open(io.BytesIO(await picture.read()))
    assert image.format == "PNG" and image.size == (160, 160)
    assert len(requests(simcord_env, "POST", r"^/channels/\d+/messages$")) == 1  # the reveal, nothing more


async def test_a_question_with_its_own_picture_gets_no_illustration(simcord_env):
    s = make_server(simcord_env)
    await s.mod.slash(s.channel, "trivia-pack upload", file=("landmarks.yaml", PACK))
    await s.alice.slash(s.channel, "trivia", category="Landmarks", seconds=10)
    await simcord_env.advance_time(11)
    reveal = s.channel.last_message
    assert not reveal.embeds[0].thumbnail and not reveal.attachments
