"""Members' display names when the bot needs them outside a game (it has no members intent, so it fetches)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import discord


async def display_name(guild: discord.Guild, member_id: int) -> str | None:
    """A member's display name, from the cache or fetched; None if they left or Discord does not answer."""
    member = guild.get_member(member_id)
    if member is None:
        try:
            member = await guild.fetch_member(member_id)
        except discord.HTTPException:
            return None
    return member.display_name


async def display_names(guild: discord.Guild, member_ids: Iterable[int]) -> dict[int, str]:
    """The display names of the members still known, by id (each member fetched once, all at once)."""
    ids = list(dict.fromkeys(member_ids))
    names = await asyncio.gather(*(display_name(guild, member_id) for member_id in ids))
    return {member_id: name for member_id, name in zip(ids, names, strict=True) if name is not None}
