"""`/leaderboard`: this server's players ranked by points."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.constants import BOARD_PAGE_SIZE, NO_PINGS
from bot.ui.embeds import leaderboard_embed
from bot.ui.pager import PageButtons


class Leaderboard(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot

    @app_commands.command(name="leaderboard", description="Show this server's trivia leaderboard")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        guild_name = interaction.guild.name if interaction.guild else "this server"
        players = await self.bot.storage.leaderboard_size(guild_id)
        pages = max(1, math.ceil(players / BOARD_PAGE_SIZE))

        async def render(page: int) -> discord.Embed:
            rows = await self.bot.storage.leaderboard(guild_id, limit=BOARD_PAGE_SIZE, offset=(page - 1) * BOARD_PAGE_SIZE)
            return leaderboard_embed(guild_name, rows, page, pages)

        embed = await render(1)
        if pages == 1:
            await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
            return
        view = PageButtons(interaction.user.id, pages, render)
        callback = await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
        if isinstance(callback.resource, discord.InteractionMessage):
            view.message = callback.resource


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Leaderboard(bot))
