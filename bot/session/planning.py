"""Checking and composing a game before it starts, the same for a slash command and for code."""

from __future__ import annotations

import discord

from bot.game.options import GameOptions
from bot.game.server_settings import ServerSettings
from bot.questions import QuestionBank
from bot.session.manager import GameManager, GameRefused
from bot.ui.categories import category_list
from bot.ui.checks import has_manage_server
from bot.ui.limits import LIST_IN_REPLY, fit_lines
from bot.ui.markdown import echoed, escape

# What the bot must be allowed to do in a channel to run a game there.
NEEDED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "add_reactions", "read_message_history")


def missing_permissions(perms: discord.Permissions, secret_answers: bool) -> list[str]:
    """The permissions the bot lacks in a channel to play there, as Discord names them."""
    needed = NEEDED_PERMISSIONS + (("manage_messages",) if secret_answers else ())
    return [name.replace("_", " ").title() for name in needed if not getattr(perms, name)]


def check_game_channel(config: ServerSettings, channel_id: int) -> None:
    """Raise :class:`GameRefused` if this server's games may not run in this channel."""
    if config.channel_ids and channel_id not in config.channel_ids:
        where = fit_lines([f"<#{c}>" for c in config.channel_ids], LIST_IN_REPLY, ", ")
        raise GameRefused(f"Trivia games run only in {where} on this server.")


def permissions_refusal(missing: list[str], where: str = "this channel") -> GameRefused:
    """The refusal for a channel where the bot lacks ``missing`` (see :func:`missing_permissions`)."""
    return GameRefused(
        f"I can't run a game in {where}: I'm missing the {', '.join(missing)} permission(s). "
        "Ask a moderator to grant them."
    )


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


def check_starter(interaction: discord.Interaction, config: ServerSettings, games: GameManager) -> None:
    """Raise :class:`GameRefused` if this member may not start a game in this channel now.

    The one check for every way of starting a game by hand (``/trivia``, the "Play again" button).
    """
    assert interaction.channel_id is not None
    check_game_channel(config, interaction.channel_id)
    member = interaction.user
    if config.starter_role_id is not None and isinstance(member, discord.Member):
        if not has_manage_server(interaction) and member.get_role(config.starter_role_id) is None:
            raise GameRefused(f"Only members with the <@&{config.starter_role_id}> role can start trivia games here.")
    running = games.get(interaction.channel_id)
    if running is not None:
        where = f" Jump to it: {running.jump_url}" if running.jump_url else ""
        raise GameRefused(f"A trivia game is already running in this channel.{where}")
    missing = missing_permissions(interaction.app_permissions, config.secret_answers)
    if missing:
        raise permissions_refusal(missing)
