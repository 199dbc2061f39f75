"""Every reply fits Discord's limits whatever the data, and text the bot does not control is escaped.

Each test feeds the worst data the bot can meet (the longest names and pack texts the validator and
Discord allow, full of markdown; more categories, packs, winners and schedules than fit one message)
and checks every message, edit, answer, autocomplete and event the bot sent against Discord's limits
(``assert_everything_sent_fits``), and that the markdown shows as typed.
"""

from __future__ import annotations

import json

import discord
import pytest

from bot.questions import limits as pack_limits
from bot.storage.records import CustomPackRecord
from tests.fixtures import Server, make_server
from tests.helpers import (
    assert_everything_sent_fits,
    assert_fits,
    burst,
    choice_letters,
    got_it_right,
    letter_of,
    opened_storage,
)

MARKDOWN = "**__~~||"
SHOWN_MARKDOWN = "\\*\\*\\_\\_\\~\\~\\|\\|"  # the same, escaped: it reads as typed


def long_text(head: str, length: int) -> str:
    """``head`` padded with markdown to exactly ``length`` characters."""
    return (head + MARKDOWN * length)[:length]


def pack_yaml(name: str, questions: list[dict]) -> bytes:
    """A pack as YAML (JSON strings are YAML strings, so any text is quoted safely)."""
    lines = [f"pack:\n  name: {json.dumps(name)}\nquestions:"]
    for q in questions:
        lines.append(f"  - id: {q['id']}")
        lines += [f"    {key}: {json.dumps(q[key])}" for key in ("question", "choices", "answer", "category", "explanation")]
    return ("\n".join(lines) + "\n").encode()


def question(qid: str, category: str, text: str | None = None) -> dict:
    return {
        "id": qid, "question": text or f"Question {qid}?", "choices": ["Right", "Wrong"], "answer": "Right",
        "category": category, "explanation": "Because.",
    }


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env, long_text("Quiz Club ", 100))


async def upload(s: Server, data: bytes) -> str:
    result = await s.mod.slash(s.channel, "trivia-pack upload", file=("worst.yaml", data))
    assert result.response.content.startswith("✅"), result.response.content
    return result.response.content


async def test_many_long_category_names_fit_the_settings_the_lists_and_the_refusals(server):
    s = server
    names = [long_text(f"Category {n:02} ", pack_limits.MAX_CATEGORY) for n in range(25)]
    await upload(s, pack_yaml("Many categories", [question(f"c{n}", name) for n, name in enumerate(names)]))

    changed = await s.mod.slash(s.channel, "trivia-settings", categories=", ".join(names))
    assert changed.response.content == "Settings updated."
    assert_fits(changed.response)
    categories = next(f.value for f in changed.response.embeds[0].fields if f.name == "Categories")
    assert SHOWN_MARKDOWN in categories and " more" in categories

    typed = long_text("Nope ", 2000)
    refused = await s.alice.slash(s.channel, "trivia", category=typed, seconds=10)
    assert refused.ephemeral
    assert_fits(refused.response)
    assert refused.response.content.startswith("There is no category called “Nope \\*\\*\\_\\_")
    assert "…”. Pick one from the list: Category 00 " + SHOWN_MARKDOWN in refused.response.content

    not_changed = await s.mod.slash(s.channel, "trivia-settings", categories=typed)
    assert not_changed.response.content.startswith("Not changed: there is no category called “Nope \\*\\*")
    assert_fits(not_changed.response)

    listed = await s.alice.slash(s.channel, "trivia-categories")
    assert SHOWN_MARKDOWN in listed.response.embeds[0].description
    offered = await s.alice.autocomplete(s.channel, "trivia", "category", "category")
    assert len(offered) == 25 and {c["value"] for c in offered} == set(names)
    assert assert_everything_sent_fits(s.env) >= 6


async def test_sixty_packs_with_long_names_fit_the_list_and_the_unknown_pack_refusal(server, settings):
    s = server
    names = [long_text(f"Pack {n:02} ", pack_limits.MAX_PACK_NAME) for n in range(60)]
    async with opened_storage(settings) as storage:  # more packs than an upload allows: data from any source
        for n, name in enumerate(names):
            yaml = pack_yaml(name, [question(f"p{n}", "Packs")]).decode()
            await storage.save_custom_pack(CustomPackRecord(s.guild.id, name, yaml, 1, s.mod.id, 1_767_225_600.0))

    listed = await s.mod.slash(s.channel, "trivia-pack list")
    content = listed.response.content
    assert f"• **Pack 00 {SHOWN_MARKDOWN}" in content and "uploaded by **mod**" in content
    assert content.splitlines()[-1].startswith("…and ") and "<@" not in content

    refused = await s.mod.slash(s.channel, "trivia-pack remove", name=long_text("Missing ", 2000))
    assert refused.response.content.startswith("❌ There is no custom pack called “Missing \\*\\*")
    assert "Its packs: **Pack 00 " in refused.response.content
    offered = await s.mod.autocomplete(s.channel, "trivia-pack remove", "name", "pack")
    assert len(offered) == 25
    assert assert_everything_sent_fits(s.env) >= 3


async def test_the_longest_question_a_pack_allows_fits_its_card_and_its_reveal(server):
    s = server
    choices = [long_text(f"Choice {n} ", pack_limits.MAX_CHOICE) for n in range(pack_limits.MAX_CHOICES)]
    worst = {
        "id": "worst", "question": long_text("Which one ", pack_limits.MAX_QUESTION - 1) + "?", "choices": choices,
        "answer": choices[3], "category": long_text("Worst ", pack_limits.MAX_CATEGORY),
        "explanation": long_text("Because ", pack_limits.MAX_EXPLANATION),
    }
    await upload(s, pack_yaml(long_text("Worst pack ", pack_limits.MAX_PACK_NAME), [worst]))

    await s.alice.slash(s.channel, "trivia", category=worst["category"], seconds=10)
    card = s.channel.last_message
    assert_fits(card)
    assert card.embeds[0].description.startswith("**Which one " + SHOWN_MARKDOWN)
    shown = choice_letters(card)  # each choice escaped, as typed in full
    assert len(shown) == pack_limits.MAX_CHOICES and all(SHOWN_MARKDOWN in text for text in shown)
    await s.alice.react(card, next(letter for text, letter in shown.items() if text.startswith("Choice 3 ")))
    await s.env.advance_time(11)
    reveal = s.channel.last_message
    assert_fits(reveal)
    letter, title = reveal.embeds[0].title.split(" ", 1)
    assert title.startswith("Choice 3 " + SHOWN_MARKDOWN) and shown[title.split(" — ")[0]] == letter
    assert reveal.embeds[0].description.startswith("Because " + SHOWN_MARKDOWN)
    assert got_it_right(reveal).startswith("**alice** +")
    assert_everything_sent_fits(s.env)


async def test_thirty_tied_winners_with_markdown_names_fit_the_reveal_the_finale_and_the_board(simcord_env):
    s = make_server(simcord_env)
    players = [s.guild.add_member(simcord_env.create_user(long_text(f"{n:02}", 32))) for n in range(30)]
    await s.alice.slash(s.channel, "trivia", questions=2, seconds=10)
    for number in (1, 2):
        question = s.channel.last_message
        answer = "$6 million" if "$6 million" in question.embeds[0].description else "Mercury"
        await burst(simcord_env, ((p, question, letter_of(question, answer), True) for p in players))
        await simcord_env.advance_time(11)
        reveal = next(m for m in reversed(list(s.channel.history())) if m.reference)  # the reveal replies to its question
        assert_fits(reveal)
        winners = got_it_right(reveal)
        assert winners.startswith(f"**00{SHOWN_MARKDOWN}") and winners.endswith(" more")
        if number == 1:
            await simcord_env.advance_time(6)
    final = s.channel.last_message
    assert final.embeds[0].title == "🏁 Final standings"
    assert_fits(final)
    everyone_else = next(f.value for f in final.embeds[0].fields if f.name == "Everyone else")
    assert f"**03{SHOWN_MARKDOWN}" in everyone_else and everyone_else.endswith(" more")

    board = await s.alice.slash(s.channel, "leaderboard")
    assert board.response.embeds[0].title.startswith("🏆 Leaderboard — Quiz Club")
    assert SHOWN_MARKDOWN in board.response.embeds[0].description
    stats = await s.alice.slash(s.channel, "trivia-stats", member=players[0])
    assert stats.response.embeds[0].title == f"📊 Trivia stats — 00{SHOWN_MARKDOWN * 3}\\*\\*\\_\\_\\~\\~"
    assert assert_everything_sent_fits(simcord_env) >= 8


async def test_twenty_five_long_schedules_are_paged_and_fit_their_events(server):
    s = server
    team = s.guild.create_role("Event team", permissions=discord.Permissions(manage_events=True))
    olga = s.guild.add_member(s.env.create_user("olga"), roles=[team])
    titles = [long_text(f"Night {n:02} @everyone ", 100) for n in range(25)]
    for n, title in enumerate(titles):
        reply = (await olga.slash(s.channel, "trivia-schedule add", when=f"in {n + 1}h", title=title)).response.content
        assert reply.startswith(f"📅 **Night {n:02} @\u200beveryone {SHOWN_MARKDOWN}")

    listed = await olga.slash(s.channel, "trivia-schedule list")
    page = listed.response.embeds[0]
    assert page.footer.text == "Page 1 of 5"
    assert page.description.startswith(f"**#1** · **Night 00 @\u200beveryone {SHOWN_MARKDOWN}")
    await olga.click(listed.response.message, label="Next")
    assert listed.response.embeds[0].footer.text == "Page 2 of 5"
    assert listed.response.embeds[0].description.startswith("**#6** · **Night 05 ")

    offered = await olga.autocomplete(s.channel, "trivia-schedule cancel", "id", "night")
    assert len(offered) == 25 and all(c["name"].endswith(" · once") for c in offered)
    cancelled = await olga.slash(s.channel, "trivia-schedule cancel", id=1)
    assert cancelled.response.content.startswith(f"Cancelled #1 Night 00 @\u200beveryone {SHOWN_MARKDOWN}")
    assert assert_everything_sent_fits(s.env) >= 29
