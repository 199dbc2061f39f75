"""Games in channels: the Discord-facing game loop, its registry, and reading answers back."""

from bot.game.options import EndReason, GameOptions
from bot.session.game import ANSWERED_EDIT_INTERVAL, ChannelGame
from bot.session.registry import GameRegistry

__all__ = ["ANSWERED_EDIT_INTERVAL", "ChannelGame", "EndReason", "GameOptions", "GameRegistry"]
