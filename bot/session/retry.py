"""One more try for a Discord request that failed for a reason that may pass."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_SECONDS = 2.0  # pause before the one extra try


async def retry_once(doing: str, request: Callable[[], Awaitable[T]]) -> T:
    """Make a request, and once more after a pause if Discord failed (5xx) or rate-limited it (429).

    discord.py has already retried both by then; one more chance keeps a blip from ending a game.
    Other errors (403, 404) are the caller's to handle.
    """
    try:
        return await request()
    except discord.HTTPException as exc:
        if exc.status < 500 and exc.status != 429:
            raise
        log.warning("Discord error %s %s; retrying once", exc.status, doing)
        await asyncio.sleep(RETRY_SECONDS)
        return await request()
