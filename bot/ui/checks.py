"""App-command checks that refuse a member privately and politely, written once for every cog.

A check raises :class:`Refusal`, a ``CheckFailure`` that carries the sentence the member sees.
The command tree answers it with that sentence, privately, instead of treating it as an error
(see :func:`answer_refusals`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class Refusal(app_commands.CheckFailure):
    """The member may not use this command; ``message`` says why, in words meant for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    async def send(self, interaction: discord.Interaction) -> None:
        """Tell the member privately."""
        if interaction.response.is_done():
            await interaction.followup.send(self.message, ephemeral=True)
        else:
            await interaction.response.send_message(self.message, ephemeral=True)


def has_manage_server(interaction: discord.Interaction) -> bool:
    """True if the member may manage this server here (the permission Discord's defaults ask for)."""
    return interaction.permissions.manage_guild


def manage_server_refusal(to: str) -> str:
    return f"Only members with Manage Server can {to}."


def may_manage_events(interaction: discord.Interaction) -> bool:
    """True if the member may manage this server or its events (scheduled trivia nights)."""
    return has_manage_server(interaction) or interaction.permissions.manage_events


def manage_events_refusal(to: str) -> str:
    return f"Only members with Manage Server or Manage Events can {to}."


def _requires(allowed: Callable[[discord.Interaction], bool], refusal: str) -> Callable[[discord.Interaction], bool]:
    def predicate(interaction: discord.Interaction) -> bool:
        if not allowed(interaction):
            raise Refusal(refusal)
        return True

    return predicate


def requires_manage_server(to: str) -> Callable[[T], T]:
    """A check for commands that need Manage Server; others are told "Only members with Manage
    Server can <to>." Discord hides such commands from them by default (pair it with
    ``app_commands.default_permissions(manage_guild=True)``), but a server admin may show them."""
    predicate = _requires(has_manage_server, manage_server_refusal(to))
    predicate.requires_manage_server = True  # type: ignore[attr-defined]  # lets tests find every such command
    return app_commands.check(predicate)


def requires_manage_events(to: str) -> Callable[[T], T]:
    """Like :func:`requires_manage_server`, for commands Manage Events is enough for (pair it with
    ``app_commands.default_permissions(manage_events=True)``)."""
    predicate = _requires(may_manage_events, manage_events_refusal(to))
    predicate.requires_manage_events = True  # type: ignore[attr-defined]  # lets tests find every such command
    return app_commands.check(predicate)


async def answer_refusal(interaction: discord.Interaction, error: app_commands.AppCommandError) -> bool:
    """Answer ``error`` if it is a :class:`Refusal`; True if it was one (nothing else to do then)."""
    if not isinstance(error, Refusal):
        return False
    try:
        await error.send(interaction)
    except discord.HTTPException:
        pass  # the interaction expired: the member is gone, nothing is wrong with the bot
    return True


def answer_refusals(tree: app_commands.CommandTree[Any]) -> None:
    """Make ``tree`` answer refusals itself and pass every other error on to its handler.

    The bot calls it once in ``setup_hook``; it is idempotent.
    """
    previous = tree.on_error
    if getattr(previous, "answers_refusals", False):
        return

    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if not await answer_refusal(interaction, error):
            await previous(interaction, error)

    on_error.answers_refusals = True  # type: ignore[attr-defined]
    tree.error(on_error)
