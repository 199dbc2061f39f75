"""`/trivia`: ask a question in this channel and let players answer with reactions."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.session import ChannelGame, GameOptions
from bot.settings import MAX_ANSWER_SECONDS, MIN_ANSWER_SECONDS

log = logging.getLogger(__name__)

MAX_AUTOCOMPLETE = 25


class Trivia(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot

    @app_commands.command(name="trivia", description="Ask a trivia question here; answer by reacting with a letter")
    @app_commands.guild_only()
    @app_commands.describe(
        seconds=f"Answer time in seconds ({MIN_ANSWER_SECONDS}-{MAX_ANSWER_SECONDS})",
        category="Only ask questions from this category",
        difficulty="Only ask questions of this difficulty",
    )
    async def trivia(
        self,
        interaction: discord.Interaction,
        seconds: app_commands.Range[int, MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS] | None = None,
        category: str | None = None,
        difficulty: Literal["easy", "medium", "hard"] | None = None,
    ) -> None:
        assert interaction.guild_id is not None and interaction.channel_id is not None
        running = self.bot.games.get(interaction.channel_id)
        if running is not None:
            where = f" Jump to it: {running.jump_url}" if running.jump_url else ""
            await interaction.response.send_message(
                f"A trivia question is already running in this channel.{where}", ephemeral=True
            )
            return
        if category is not None:
            canonical = self.bot.bank.canonical_category(category)
            if canonical is None:
                await interaction.response.send_message(_unknown_category(category, self.bot.bank.categories), ephemeral=True)
                return
            category = canonical
        seen = await self.bot.storage.asked_questions(interaction.guild_id)
        question = self.bot.bank.draw(self.bot.rng, category, difficulty, seen)
        if question is None:
            await interaction.response.send_message(_no_questions(category, difficulty), ephemeral=True)
            return
        options = GameOptions(seconds=seconds or self.bot.settings.answer_seconds, category=category, difficulty=difficulty)
        game = ChannelGame(self.bot, interaction.guild_id, interaction.channel_id, interaction.user.id, options)
        self.bot.games.add(game)
        try:
            await game.play_first(interaction, question)
        finally:
            self.bot.games.remove(game)

    @trivia.autocomplete("category")
    async def category_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.casefold().strip()
        names = [c for c in self.bot.bank.categories if typed in c.casefold()]
        return [app_commands.Choice(name=c, value=c) for c in names[:MAX_AUTOCOMPLETE]]

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        member = payload.member
        if member is None or member.bot or payload.channel_id is None:
            return
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.on_reaction(payload.message_id, payload.user_id, str(payload.emoji), True, member.display_name)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None and payload.user_id != getattr(self.bot.user, "id", None):
            game.on_reaction(payload.message_id, payload.user_id, str(payload.emoji), False)


def _unknown_category(category: str, known: list[str]) -> str:
    listed = ", ".join(known[:MAX_AUTOCOMPLETE]) or "none loaded"
    return f"There is no category called “{discord.utils.escape_markdown(category)}”. Pick one from the list: {listed}."


def _no_questions(category: str | None, difficulty: str | None) -> str:
    wanted = " ".join(part for part in (difficulty, category) if part)
    if wanted:
        return f"There are no {wanted} questions loaded. Try another category or difficulty."
    return "No questions are loaded. The bot owner needs to add question packs to the questions folder."


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Trivia(bot))
