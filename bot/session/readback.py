"""Reading answers back from a question's reactions, for rounds whose events the bot did not see."""

from __future__ import annotations

import discord

from bot.constants import letter_index


async def read_reactions(message: discord.Message, choice_count: int) -> tuple[dict[int, set[int]], dict[int, str]]:
    """Who holds which letters on a message, read from Discord (paginated, 100 users a page)."""
    held: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for reaction in message.reactions:
        choice = letter_index(str(reaction.emoji))
        if choice is None or choice >= choice_count:
            continue
        async for user in reaction.users(limit=None):
            if not user.bot:
                held.setdefault(user.id, set()).add(choice)
                names[user.id] = user.display_name
    return held, names
