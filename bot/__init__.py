"""Trivia Night: a Discord trivia bot with explained answers and per-server leaderboards.

The public names are loaded on first use, so ``import bot.questions`` or
``import bot.game`` (and the pack tools of the command line) never load
discord.py or the client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.client import create_bot
    from bot.settings import Settings

__all__ = ["Settings", "create_bot"]

_HOMES = {"Settings": "bot.settings", "create_bot": "bot.client"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
