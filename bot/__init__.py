"""Trivia Night: a Discord trivia bot with explained answers and per-server leaderboards."""

from bot.client import create_bot
from bot.settings import Settings

__all__ = ["Settings", "create_bot"]
