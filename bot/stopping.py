"""Stopping on SIGTERM or Ctrl-C: the games are left to resume, then the bot disconnects."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import discord

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def stop_on_signals(bot: discord.Client) -> None:
    """Close ``bot`` on the first SIGTERM or SIGINT (its ``close`` leaves every game resumable).

    Must be called from the running event loop's thread. A second signal while closing is ignored.
    """
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop(signum: int) -> None:
        if closing:
            return
        log.info("%s received: stopping (open games resume at the next start)", signal.Signals(signum).name)
        closing.append(loop.create_task(bot.close(), name="stopping on a signal"))

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
