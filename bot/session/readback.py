"""Reading answers back from a question's reactions, for rounds whose events the bot did not see."""

from __future__ import annotations

import discord

from bot.constants import letter_index


def reaction_counts(message: discord.Message, choice_count: int) -> list[int]:
    """How many members (not counting the bot) hold each letter, from a freshly fetched message."""
    counts = [0] * choice_count
    for reaction in message.reactions:
        choice = letter_index(str(reaction.emoji))
        if choice is not None and choice < choice_count:
            counts[choice] = reaction.count - (1 if reaction.me else 0)
    return counts


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
