"""`/trivia-categories`, and a server never repeating a question before it has seen the whole pool."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

import discord
import pytest
from simcord import ChannelHandle, Env, MemberActor

from bot import Settings
from bot.client import TriviaBot
from bot.settings import DEFAULT_QUESTIONS_DIR
from bot.ui.categories import categories_embed
from tests.fixtures import make_server


def field(embed: discord.Embed, name: str) -> str:
    return next(f.value for f in embed.fields if f.name == name)


def assert_fits_discord(embed: discord.Embed) -> None:
    assert len(embed.description or "") <= 4096
    assert len(embed.fields) <= 25
    assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
    assert len(embed) <= 6000


@pytest.fixture
def server(simcord_env: Env) -> tuple[Env, ChannelHandle, MemberActor, MemberActor]:
    """The environment, #trivia, alice (a plain member) and mod (who has Manage Server)."""
    s = make_server(simcord_env, "Pub Quiz")
    return s.env, s.channel, s.alice, s.mod


# --------------------------------------------------------------------------- /trivia-categories


async def test_categories_lists_the_test_packs_with_counts_per_difficulty(server):
    _, channel, alice, _ = server
    result = await alice.slash(channel, "trivia-categories")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "📚 Trivia categories"
    assert embed.description.splitlines() == [
        "**Current Events** — 1 (Easy 0 · Medium 1 · Hard 0)",
        "**Space** — 1 (Easy 1 · Medium 0 · Hard 0)",
    ]
    assert field(embed, "Total") == "2 questions (Easy 1 · Medium 1 · Hard 0)"
    assert not any(f.name.startswith("Disabled") for f in embed.fields)


async def test_categories_honours_the_servers_allowed_categories(server):
    _, channel, alice, mod = server
    changed = await mod.slash(channel, "trivia-settings", categories="space")
    assert changed.ephemeral and "Settings updated" in changed.response.content

    embed = (await alice.slash(channel, "trivia-categories")).response.embeds[0]
    assert embed.description == "**Space** — 1 (Easy 1 · Medium 0 · Hard 0)"
    assert field(embed, "Total") == "1 question (Easy 1 · Medium 0 · Hard 0)"
    assert field(embed, "Disabled on this server (1)") == "Current Events"

    await mod.slash(channel, "trivia-settings", categories="all")
    embed = (await alice.slash(channel, "trivia-categories")).response.embeds[0]
    assert "**Current Events**" in embed.description and "**Space**" in embed.description
    assert not any(f.name.startswith("Disabled") for f in embed.fields)


async def test_categories_of_one_server_do_not_leak_into_another(server):
    env, channel, _, mod = server
    await mod.slash(channel, "trivia-settings", categories="Current Events")
    other = env.create_guild("Other")
    elsewhere = other.create_text_channel("games")
    bob = other.add_member(env.create_user("bob"))
    embed = (await bob.slash(elsewhere, "trivia-categories")).response.embeds[0]
    assert "**Current Events**" in embed.description and "**Space**" in embed.description
    assert field(embed, "Total").startswith("2 questions")


async def test_all_shipped_categories_fit_in_one_embed(server, settings, make_bot):
    env, channel, alice, _ = server
    await env.restart_bot(make_bot(replace(settings, questions_dir=DEFAULT_QUESTIONS_DIR)))
    bank = env.bot.bank
    assert len(bank.categories) >= 16
    embed = (await alice.slash(channel, "trivia-categories")).response.embeds[0]
    assert_fits_discord(embed)
    lines = embed.description.splitlines()
    assert [re.match(r"\*\*(.+)\*\* — ", line).group(1) for line in lines] == [
        discord.utils.escape_markdown(c) for c in bank.categories
    ]
    counts = bank.counts_by_category()
    for line, name in zip(lines, bank.categories):
        by = counts[name]
        assert line.endswith(f"— {sum(by.values())} (Easy {by['easy']} · Medium {by['medium']} · Hard {by['hard']})")
    assert field(embed, "Total").startswith(f"{len(bank)} questions (")


def test_sixteen_long_category_names_fit_and_more_are_cut_with_a_count() -> None:
    def counts(n: int) -> dict[str, Counter[str]]:
        return {f"{i:02d} " + "x" * 57: Counter(easy=999, medium=999, hard=999) for i in range(n)}

    sixteen = categories_embed(counts(16))
    assert_fits_discord(sixteen)
    assert len(sixteen.description.splitlines()) == 16 and "more" not in sixteen.description
    assert field(sixteen, "Total") == "47952 questions (Easy 15984 · Medium 15984 · Hard 15984)"

    many = categories_embed(counts(60), allowed=[f"{i:02d} " + "X" * 57 for i in range(40)])
    assert_fits_discord(many)
    lines = many.description.splitlines()
    shown = len(lines) - 1
    assert lines[-1] == f"…and {40 - shown} more"  # the whole 40 allowed ones don't fit in 4096
    disabled = field(many, "Disabled on this server (20)")
    assert disabled.startswith("40 xxx") and disabled.endswith(" more")


# --------------------------------------------------------------------------- no repeats

POOL_SIZE = 4


class FirstChoice(random.Random):
    """Always draws the first candidate, so without a per-server history every draw would repeat."""

    def choice(self, seq: Sequence):  # type: ignore[override]
        return seq[0]


def write_pool(folder: Path) -> None:
    folder.mkdir()
    questions = "".join(
        f"""
  - id: pool-{i}
    question: "Pool question number {i}?"
    choices: ["Right {i}", "Wrong {i}"]
    answer: "Right {i}"
    category: Pool
    difficulty: {("easy", "medium", "hard", "medium")[i % 4]}
    explanation: "Number {i} is right."
"""
        for i in range(1, POOL_SIZE + 1)
    )
    (folder / "pool.yaml").write_text(
        f"pack:\n  name: Pool\n  description: Four questions.\n  author: Tests\n  license: CC0\nquestions:{questions}",
        encoding="utf-8",
    )


@pytest.fixture
def pool_settings(tmp_path: Path) -> Settings:
    write_pool(tmp_path / "pool")
    return Settings(database=tmp_path / "pool.sqlite3", questions_dir=tmp_path / "pool", shard_count=1)


def pool_bot(make_bot: Callable[[Settings], TriviaBot], settings: Settings) -> TriviaBot:
    bot = make_bot(settings)
    bot.rng = FirstChoice()
    return bot


class TestNoRepeats:
    @pytest.fixture
    def simcord_bot(self, pool_settings: Settings, make_bot: Callable[[Settings], TriviaBot]) -> TriviaBot:
        return pool_bot(make_bot, pool_settings)

    @staticmethod
    def text(message: discord.Message) -> str:
        match = re.match(r"\*\*(.+?)\*\*", message.embeds[0].description or "")
        assert match, "not a question embed"
        return match.group(1)

    async def play(self, env, channel, member, questions: int = 1) -> list[str]:
        """Play a game nobody answers; the question texts in the order asked."""
        await member.slash(channel, "trivia", questions=questions, seconds=10)
        asked = []
        for number in range(1, questions + 1):
            asked.append(self.text(channel.last_message))
            await env.advance_time(11)  # the reveal
            if number < questions:
                await env.advance_time(6)  # the 5-second break, then the next question
        return asked

    async def test_a_server_sees_every_question_before_a_repeat_across_restarts(
        self, simcord_env, pool_settings, make_bot
    ):
        env = simcord_env
        assert len(env.bot.bank) == POOL_SIZE
        one = env.create_guild("One")
        two = env.create_guild("Two")
        ch1, ch2 = one.create_text_channel("trivia"), two.create_text_channel("trivia")
        alice = one.add_member(env.create_user("alice"))
        bob = two.add_member(env.create_user("bob"))

        seen_one = await self.play(env, ch1, alice, questions=2)
        seen_two = await self.play(env, ch2, bob)
        await env.restart_bot(pool_bot(make_bot, pool_settings))
        for _ in range(POOL_SIZE - 2):
            seen_one += await self.play(env, ch1, alice)
        for _ in range(POOL_SIZE - 1):
            seen_two += await self.play(env, ch2, bob)

        everything = {f"Pool question number {i}?" for i in range(1, POOL_SIZE + 1)}
        assert len(seen_one) == POOL_SIZE and set(seen_one) == everything
        # Server one's history (all four asked) does not shorten or steer server two's.
        assert len(seen_two) == POOL_SIZE and set(seen_two) == everything
        # With the pool exhausted the server still gets questions, now necessarily repeats.
        assert (await self.play(env, ch1, alice))[0] in everything

    async def test_a_later_game_skips_questions_an_earlier_game_asked(self, simcord_env):
        env = simcord_env
        guild = env.create_guild()
        channel = guild.create_text_channel("trivia")
        alice = guild.add_member(env.create_user("alice"))
        first = await self.play(env, channel, alice, questions=POOL_SIZE - 1)
        last = await self.play(env, channel, alice)
        assert len(set(first + last)) == POOL_SIZE
