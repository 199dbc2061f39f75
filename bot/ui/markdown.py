"""Showing text the bot does not control (names, pack text, titles): markdown escaped, mentions neutralised.

Discord renders markdown in message text, embed titles, descriptions and field names and values, so
a name like ``**__x__**`` or ``@everyone`` would format or highlight what the bot shows. Nobody is
pinged anyway (the bot sends with ``NO_PINGS``); this keeps such text reading as what it is.
"""

from __future__ import annotations

import re

import discord

from bot.ui.limits import shorten

_CHANNEL_MENTION = re.compile(r"<#(\d+)>")


def escape(text: str, limit: int | None = None) -> str:
    """``text`` as the bot shows it: markdown escaped, ``@everyone``, ``@here`` and mentions made
    plain, shortened to ``limit`` (after escaping, so a cut never splits an escape)."""
    shown = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    shown = _CHANNEL_MENTION.sub("<#\u200b\\1>", shown)
    return shown if limit is None else shorten(shown, limit)


ECHOED = 100  # what a member typed (a name the bot does not know) is repeated back at most this long


def echoed(typed: str) -> str:
    """What a member typed, repeated in a refusal ("there is no category called “…”"): escaped and shortened."""
    return escape(typed.strip(), ECHOED)
