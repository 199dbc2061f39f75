"""`/trivia` and `/trivia-stop`: run a game in this channel; players answer with reactions."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.game.server_settings import RANGES, ServerSettings
from bot.questions import QuestionBank
from bot.session import ChannelGame, GameOptions
from bot.storage.records import GameRecord, OpenRound

log = logging.getLogger(__name__)

MAX_AUTOCOMPLETE = 25
SECONDS = RANGES["answer_seconds"]
QUESTIONS = RANGES["questions_per_game"]

# What the bot must be allowed to do in a channel to run a game there.
NEEDED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "add_reactions", "read_message_history")


def missing_permissions(perms: discord.Permissions, secret_answers: bool) -> list[str]:
    needed = NEEDED_PERMISSIONS + (("manage_messages",) if secret_answers else ())
    return [name.replace("_", " ").title() for name in needed if not getattr(perms, name)]


class Trivia(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot
        self._resumed = False
        self._resuming: set[asyncio.Task[None]] = set()

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
        difficulty: Literal["easy", "medium", "hard"] | None = None,
    ) -> None:
        assert interaction.guild_id is not None and interaction.channel_id is not None
        config = await self.bot.server_settings(interaction.guild_id)
        bank = await self.bot.bank_for(interaction.guild_id)
        refusal = self._refusal(interaction, config)
        categories: tuple[str, ...] = config.categories
        if refusal is None and category is not None:
            canonical = bank.canonical_category(category)
            if canonical is None:
                refusal = _unknown_category(category, _allowed_categories(config, bank))
            elif config.categories and canonical not in config.categories:
                refusal = f"This server only plays these categories: {', '.join(config.categories)}."
            categories = (canonical,) if canonical else ()
        if refusal is None and not bank.matching(categories, difficulty):
            refusal = _no_questions(category, difficulty)
        if refusal is not None:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        options = GameOptions(
            questions=questions or config.questions_per_game,
            seconds=seconds or config.answer_seconds,
            break_seconds=config.break_seconds,
            categories=categories,
            difficulty=difficulty,
            first_pick_locks=config.answer_mode == "first",
            secret_answers=config.secret_answers,
            speed_bonus=config.speed_bonus,
            auto_stop=config.auto_stop,
        )
        game = ChannelGame(self.bot, interaction.guild_id, interaction.channel_id, interaction.user.id, options)
        self.bot.games.add(game)
        try:
            await game.run(interaction)
        finally:
            self.bot.games.remove(game)

    def _refusal(self, interaction: discord.Interaction, config: ServerSettings) -> str | None:
        """Why this member may not start a game in this channel now, or None."""
        assert interaction.channel_id is not None
        if config.channel_ids and interaction.channel_id not in config.channel_ids:
            where = ", ".join(f"<#{c}>" for c in config.channel_ids)
            return f"Trivia games run only in {where} on this server."
        member = interaction.user
        if config.starter_role_id is not None and isinstance(member, discord.Member):
            if not member.guild_permissions.manage_guild and member.get_role(config.starter_role_id) is None:
                return f"Only members with the <@&{config.starter_role_id}> role can start trivia games here."
        running = self.bot.games.get(interaction.channel_id)
        if running is not None:
            where = f" Jump to it: {running.jump_url}" if running.jump_url else ""
            return f"A trivia game is already running in this channel.{where}"
        missing = missing_permissions(interaction.app_permissions, config.secret_answers)
        if missing:
            return f"I can't run a game in this channel: I'm missing the {', '.join(missing)} permission(s) here. Ask a moderator to grant them."
        return None

    @trivia.autocomplete("category")
    async def category_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        guild_id = interaction.guild_id or 0
        config = await self.bot.server_settings(guild_id)
        typed = current.casefold().strip()
        names = [c for c in _allowed_categories(config, await self.bot.bank_for(guild_id)) if typed in c.casefold()]
        return [app_commands.Choice(name=c, value=c) for c in names[:MAX_AUTOCOMPLETE]]

    @app_commands.command(name="trivia-stop", description="Stop the trivia game in this channel")
    @app_commands.guild_only()
    async def trivia_stop(self, interaction: discord.Interaction) -> None:
        assert interaction.channel_id is not None
        game = self.bot.games.get(interaction.channel_id)
        if game is None:
            await interaction.response.send_message("There is no trivia game running in this channel.", ephemeral=True)
            return
        if interaction.user.id != game.host_id and not interaction.permissions.manage_guild:
            await interaction.response.send_message(
                f"Only <@{game.host_id}>, who started this game, or a member with Manage Server can stop it.",
                ephemeral=True,
            )
            return
        game.request_stop(interaction.user.id)
        await interaction.response.send_message(
            "Stopping the game: the question on screen is revealed and scored, then the final standings.",
            ephemeral=True,
        )

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Once per start: finish and continue the games that were running when the bot stopped."""
        if self._resumed:
            return
        self._resumed = True
        open_rounds = await self.bot.storage.open_rounds()
        for record in await self.bot.storage.unfinished_games():
            if self.bot.games.get(record.channel_id) is not None:
                continue
            open_round = next((r for r in open_rounds if r.game_id == record.id), None)
            game = ChannelGame(
                self.bot, record.guild_id, record.channel_id, record.host_id, GameOptions.from_json(record.options)
            )
            self.bot.games.add(game)
            log.info("resuming game %s in channel %s", record.id, record.channel_id)
            task = asyncio.create_task(self._resume(game, record, open_round))
            self._resuming.add(task)
            task.add_done_callback(self._resuming.discard)

    async def _resume(self, game: ChannelGame, record: GameRecord, open_round: OpenRound | None) -> None:
        try:
            await game.resume(record, open_round)
        finally:
            self.bot.games.remove(game)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        member = payload.member
        if member is None or member.bot:
            return
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.on_reaction(payload.message_id, payload.user_id, str(payload.emoji), True, member.display_name)

    @commands.Cog.listener()
    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.on_reactions_cleared(payload.message_id)

    @commands.Cog.listener()
    async def on_raw_reaction_clear_emoji(self, payload: discord.RawReactionClearEmojiEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None:
            game.on_reactions_cleared(payload.message_id, str(payload.emoji))

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        game = self.bot.games.get(payload.channel_id)
        if game is not None and payload.user_id != getattr(self.bot.user, "id", None):
            game.on_reaction(payload.message_id, payload.user_id, str(payload.emoji), False)


def _allowed_categories(config: ServerSettings, bank: QuestionBank) -> list[str]:
    return list(config.categories) or bank.categories


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
