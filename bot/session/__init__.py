"""Games in channels: the game manager, the Discord-facing game, answer input and saving."""

from bot.session.game import ChannelGame
from bot.session.manager import GameManager, GameRefused

__all__ = ["ChannelGame", "GameManager", "GameRefused"]
