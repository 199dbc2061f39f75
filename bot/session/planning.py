"""Checking and composing a game before it starts, the same for a slash command and for code."""

from __future__ import annotations

from typing import Protocol

import discord

from bot.game.options import GameOptions
from bot.game.server_settings import ServerSettings
from bot.game.stale_settings import NOTHING_STALE, StaleSettings, find_stale
from bot.questions import QuestionBank
from bot.session.channel_checks import channel_refusal, check_private_thread
from bot.session.manager import GameManager, GameRefused
from bot.ui.categories import category_list
from bot.ui.checks import has_manage_server
from bot.ui.limits import LIST_IN_REPLY, fit_lines
from bot.ui.markdown import echoed, escape


class SettingsSource(Protocol):
    """Where a server's settings and questions come from (the bot)."""

    async def bank_for(self, guild_id: int) -> QuestionBank: ...

    async def server_settings(self, guild_id: int) -> ServerSettings: ...


async def settings_with_stale(source: SettingsSource, guild: discord.Guild) -> tuple[ServerSettings, StaleSettings]:
    """``guild``'s stored settings and what in them no longer exists.

    Games follow :func:`bot.game.stale_settings.in_force` of the two."""
    config = await source.server_settings(guild.id)
    return config, await stale_in(source, guild, config)


async def stale_in(source: SettingsSource, guild: discord.Guild, config: ServerSettings) -> StaleSettings:
    """What ``guild``'s ``config`` names that no longer exists; nothing in a guild the bot has not loaded."""
    if guild.get_role(guild.id) is None:  # no @everyone: the guild is not loaded
        return NOTHING_STALE
    bank = await source.bank_for(guild.id) if config.categories else None  # only categories need the bank
    return find_stale(
        config,
        role_exists=lambda role_id: guild.get_role(role_id) is not None,
        channel_exists=lambda channel_id: guild.get_channel_or_thread(channel_id) is not None,
        category_exists=lambda name: bank is not None and bank.canonical_category(name) is not None,
    )


def check_game_channel(config: ServerSettings, channel_id: int, parent_id: int | None = None) -> None:
    """Raise :class:`GameRefused` if this server's games may not run in this channel.

    A thread (or forum post) is in its parent channel: ``parent_id``."""
    if config.channel_ids and channel_id not in config.channel_ids and parent_id not in config.channel_ids:
        where = fit_lines([f"<#{c}>" for c in config.channel_ids], LIST_IN_REPLY, ", ")
        raise GameRefused(f"Trivia games run only in {where} on this server.")


def allowed_categories(config: ServerSettings, bank: QuestionBank) -> list[str]:
    """The categories this server's games may use."""
    return list(config.categories) or bank.categories


def plan_game(
    config: ServerSettings,
    bank: QuestionBank,
    *,
    questions: int | None = None,
    seconds: int | None = None,
    category: str | None = None,
    difficulty: str | None = None,
) -> GameOptions:
    """The options of a game asked for with these choices, or :class:`GameRefused` saying why it can't be played."""
    categories: tuple[str, ...] | None = None
    if category is not None:
        canonical = bank.canonical_category(category)
        if canonical is None:
            listed = category_list(allowed_categories(config, bank)) or "none loaded"
            raise GameRefused(f"There is no category called “{echoed(category)}”. Pick one from the list: {listed}.")
        if config.categories and canonical not in config.categories:
            raise GameRefused(f"This server only plays these categories: {category_list(config.categories)}.")
        categories = (canonical,)
    options = GameOptions.compose(config, questions=questions, seconds=seconds, categories=categories, difficulty=difficulty)
    if not bank.matching(options.categories, difficulty):
        wanted = " ".join(part for part in (difficulty, category) if part)
        if wanted:
            raise GameRefused(f"There are no {escape(wanted)} questions loaded. Try another category or difficulty.")
        raise GameRefused("No questions are loaded. The bot owner needs to add question packs to the questions folder.")
    return options


async def check_starter(interaction: discord.Interaction, config: ServerSettings, games: GameManager) -> None:
    """Raise :class:`GameRefused` if this member may not start a game in this channel now.

    The one check for every way of starting a game by hand (``/trivia``, the "Play again" button);
    ``config`` is the settings in force (:func:`bot.game.stale_settings.in_force`).
    """
    assert interaction.channel_id is not None
    channel = interaction.channel
    check_game_channel(config, interaction.channel_id, getattr(channel, "parent_id", None))
    member = interaction.user
    if config.starter_role_id is not None and isinstance(member, discord.Member):
        if not has_manage_server(interaction) and member.get_role(config.starter_role_id) is None:
            raise GameRefused(f"Only members with the <@&{config.starter_role_id}> role can start trivia games here.")
    running = games.get(interaction.channel_id)
    if running is not None:
        where = f" Jump to it: {running.jump_url}" if running.jump_url else ""
        raise GameRefused(f"A trivia game is already running in this channel.{where}")
    refusal = channel_refusal(channel, interaction.app_permissions, config.secret_answers)
    if refusal is not None:
        raise refusal
    await check_private_thread(channel, interaction.app_permissions)
