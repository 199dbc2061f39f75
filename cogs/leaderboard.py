"""`/leaderboard` and `/trivia-stats`: this server's rankings and one player's record."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.constants import BOARD_PAGE_SIZE, NO_PINGS
from bot.game.periods import Period, period_start
from bot.storage import BoardFilter
from bot.ui.embeds import leaderboard_embed, stats_embed
from bot.ui.pager import send_pages

PERIOD_CHOICES = [app_commands.Choice(name=p.value, value=p.value) for p in Period]


class Leaderboard(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot

    async def _filter(self, guild_id: int, period: Period) -> BoardFilter | None:
        """The answers a period covers; None when it is "last game" and no game has finished."""
        if period is Period.LAST_GAME:
            game_id = await self.bot.storage.last_game_id(guild_id)
            return BoardFilter(game_id=game_id) if game_id is not None else None
        start = period_start(period, discord.utils.utcnow())
        return BoardFilter(since=start, period=period if start is not None else None)

    @app_commands.command(name="leaderboard", description="Show this server's trivia leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(period="Which answers count (default: all-time)")
    @app_commands.choices(period=PERIOD_CHOICES)
    async def leaderboard(self, interaction: discord.Interaction, period: str = Period.ALL_TIME.value) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        chosen = Period(period)
        title = f"{interaction.guild.name if interaction.guild else 'This server'} · {chosen.value}"
        board = await self._filter(guild_id, chosen)
        players = await self.bot.storage.leaderboard_size(guild_id, board) if board else 0
        pages = max(1, math.ceil(players / BOARD_PAGE_SIZE))

        you = await self.bot.storage.leaderboard_row(guild_id, interaction.user.id, board) if board else None

        async def render(page: int) -> discord.Embed:
            rows = []
            if board is not None:
                rows = await self.bot.storage.leaderboard(guild_id, board, BOARD_PAGE_SIZE, (page - 1) * BOARD_PAGE_SIZE)
            return leaderboard_embed(title, rows, page, pages, you)

        await send_pages(interaction, pages, render, "/leaderboard")

    @app_commands.command(name="trivia-stats", description="A player's trivia record on this server")
    @app_commands.guild_only()
    @app_commands.describe(member="Whose stats to show (default: yours)")
    async def trivia_stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        assert interaction.guild_id is not None
        target = member or interaction.user
        stats = await self.bot.storage.player_stats(interaction.guild_id, target.id)
        if stats is None:
            who = "You haven't" if target.id == interaction.user.id else f"{target.mention} hasn't"
            await interaction.response.send_message(
                f"{who} answered any trivia questions on this server yet.", ephemeral=True, allowed_mentions=NO_PINGS
            )
            return
        await interaction.response.send_message(embed=stats_embed(stats, target.display_name), allowed_mentions=NO_PINGS)


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Leaderboard(bot))
