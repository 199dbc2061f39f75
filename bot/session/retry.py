"""Trying a Discord request again when it failed for a reason that may pass (5xx, 429)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import discord

log = logging.getLogger(__name__)
T = TypeVar("T")

ONE_MORE_TRY: tuple[float, ...] = (2.0,)  # a post or letter during a game: one more try after 2 s
PATIENT: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 15.0)  # resuming after a restart: five more over about 30 s


def passing(exc: discord.HTTPException) -> bool:
    """A failure that may pass: Discord failed (5xx) or rate-limited the request (429)."""
    return exc.status >= 500 or exc.status == 429


async def retry(doing: str, request: Callable[[], Awaitable[T]], pauses: Sequence[float] | None = None) -> T:
    """Make a request, and again after each pause while Discord fails in a way that may pass.

    discord.py has already retried 5xx and 429 by then; these extra tries keep a blip from ending a
    game. Other errors (403, 404, 400) are the caller's to handle, and so is the last failure.
    ``pauses`` defaults to :data:`ONE_MORE_TRY`.
    """
    pauses = ONE_MORE_TRY if pauses is None else pauses
    for attempt, pause in enumerate(pauses, start=1):
        try:
            return await request()
        except discord.HTTPException as exc:
            if not passing(exc):
                raise
            log.warning("Discord error %s %s; trying again in %g s (%d of %d)", exc.status, doing, pause, attempt, len(pauses))
        await asyncio.sleep(pause)
    return await request()
