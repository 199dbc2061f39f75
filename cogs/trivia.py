"""`/trivia` and `/trivia-stop`: start a game in this channel, stop it; cleared reactions reach the game.

Added and removed reactions go to the game from the client itself (`TriviaBot.dispatch`).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.constants import NO_PINGS
from bot.game.server_settings import RANGES
from bot.game.stale_settings import in_force
from bot.questions.model import Difficulty
from bot.session import GameRefused
from bot.session.channel_checks import reopen_thread
from bot.session.members import display_name
from bot.session.planning import allowed_categories, check_starter, plan_game, settings_with_stale
from bot.ui.checks import has_manage_server
from bot.ui.embeds import player_name
from bot.ui.limits import autocomplete
from bot.ui.play_again import NightChoices, PlayAgainButton
from bot.ui.stale import stale_notes, with_notes

SECONDS = RANGES["answer_seconds"]
QUESTIONS = RANGES["questions_per_game"]


async def category_choices(bot: TriviaBot, guild: discord.Guild | None, current: str) -> list[app_commands.Choice[str]]:
    """The categories a server's games may use that contain what the member typed (for autocomplete)."""
    if guild is None:
        return []
    config = in_force(*await settings_with_stale(bot, guild))
    typed = current.casefold().strip()
    return autocomplete((c, c) for c in allowed_categories(config, await bot.bank_for(guild.id)) if typed in c.casefold())


class Trivia(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot
        self._resumed = False

    @app_commands.command(name="trivia", description="Start trivia here; answer by reacting with a letter")
    @app_commands.guild_only()
    @app_commands.describe(
        questions=f"How many questions ({QUESTIONS.low}-{QUESTIONS.high}; default: the server's setting)",
        seconds=f"Answer time in seconds ({SECONDS.low}-{SECONDS.high})",
        category="Only ask questions from this category",
        difficulty="Only ask questions of this difficulty",
    )
    async def trivia(
        self,
        interaction: discord.Interaction,
        questions: app_commands.Range[int, QUESTIONS.low, QUESTIONS.high] | None = None,
        seconds: app_commands.Range[int, SECONDS.low, SECONDS.high] | None = None,
        category: str | None = None,
        difficulty: Difficulty | None = None,
    ) -> None:
        await self._start(interaction, questions=questions, seconds=seconds, category=category, difficulty=difficulty)

    @commands.Cog.listener()
    async def on_trivia_play_again(self, interaction: discord.Interaction, choices: NightChoices) -> None:
        """The "Play again" button under final standings: the same kind of night, for whoever may start one."""
        await self._start(
            interaction, questions=choices.questions, seconds=choices.seconds,
            category=choices.category, difficulty=choices.difficulty,
        )

    async def _start(
        self,
        interaction: discord.Interaction,
        *,
        questions: int | None,
        seconds: int | None,
        category: str | None,
        difficulty: str | None,
    ) -> None:
        """Start a game as ``interaction``'s member asked, or tell them privately why not."""
        if interaction.guild is None or interaction.channel_id is None:
            return
        stored, stale = await settings_with_stale(self.bot, interaction.guild)
        config = in_force(stored, stale)
        notes = stale_notes(stored, stale)
        try:
            await check_starter(interaction, config, self.bot.games)
            options = plan_game(
                config, await self.bot.bank_for(interaction.guild.id),
                questions=questions, seconds=seconds, category=category, difficulty=difficulty,
            )
            await reopen_thread(interaction.channel)
            await self.bot.games.start(interaction.guild.id, interaction.channel_id, interaction.user.id, options, interaction)
        except GameRefused as refusal:
            await interaction.response.send_message(with_notes(str(refusal), notes), ephemeral=True)
            return
        if not interaction.response.is_done():  # the game ended before its first question went up
            await interaction.response.send_message(
                "The game could not post its first question here; the reason was logged for the bot's owner.", ephemeral=True
            )
        elif notes:
            try:
                await interaction.followup.send(with_notes("", notes), ephemeral=True)
            except discord.HTTPException:
                pass  # only a note: the game runs either way

    @trivia.autocomplete("category")
    async def category_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await category_choices(self.bot, interaction.guild, current)

    @app_commands.command(name="trivia-stop", description="Stop the trivia game in this channel")
    @app_commands.guild_only()
    async def trivia_stop(self, interaction: discord.Interaction) -> None:
        assert interaction.channel_id is not None
        game = self.bot.games.get(interaction.channel_id)
        if game is None:
            await interaction.response.send_message("There is no trivia game running in this channel.", ephemeral=True)
            return
        if interaction.user.id != game.host_id and not has_manage_server(interaction):
            host = await display_name(interaction.guild, game.host_id) if interaction.guild else None
            await interaction.response.send_message(
                f"Only {player_name(game.host_id, host or '')}, who started this game, or a member with Manage Server can stop it.",
                ephemeral=True, allowed_mentions=NO_PINGS,
            )
            return
        self.bot.games.stop(interaction.channel_id, interaction.user.id, interaction.user.display_name)
        await interaction.response.send_message(
            "Stopping the game: the question on screen is revealed and scored, then the final standings.",
            ephemeral=True,
        )

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per start: finish and continue the games that were running when the bot stopped."""
        if not self._resumed:
            self._resumed = True
            await self.bot.games.resume_unfinished()

    @commands.Cog.listener()
    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.answers.on_cleared(payload.message_id)

    @commands.Cog.listener()
    async def on_raw_reaction_clear_emoji(self, payload: discord.RawReactionClearEmojiEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.answers.on_cleared(payload.message_id, str(payload.emoji))


async def setup(bot: TriviaBot) -> None:
    bot.add_dynamic_items(PlayAgainButton)  # so the buttons of old final standings work after a restart
    await bot.add_cog(Trivia(bot))
