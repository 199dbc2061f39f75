"""`/trivia-categories`: the categories this server can play, with question counts."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.constants import NO_PINGS
from bot.game.stale_settings import in_force
from bot.session.planning import settings_with_stale
from bot.ui.categories import categories_embed


class Categories(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot

    @app_commands.command(name="trivia-categories", description="List the trivia categories and how many questions each has")
    @app_commands.guild_only()
    async def trivia_categories(self, interaction: discord.Interaction) -> None:
        """Counts per difficulty for each loaded category, honouring the server's allowed categories."""
        assert interaction.guild is not None
        config = in_force(*await settings_with_stale(self.bot, interaction.guild))  # what games follow
        bank = await self.bot.bank_for(interaction.guild.id)
        embed = categories_embed(bank.counts_by_category(), config.categories)
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Categories(bot))
