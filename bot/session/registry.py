"""The games running right now, one per channel."""

from __future__ import annotations

from bot.session.game import ChannelGame


class GameRegistry:
    """The games running right now, one per channel."""

    def __init__(self) -> None:
        self._by_channel: dict[int, ChannelGame] = {}

    def get(self, channel_id: int) -> ChannelGame | None:
        return self._by_channel.get(channel_id)

    def add(self, game: ChannelGame) -> None:
        if game.channel_id in self._by_channel:
            raise ValueError(f"channel {game.channel_id} already has a game")
        self._by_channel[game.channel_id] = game

    def remove(self, game: ChannelGame) -> None:
        if self._by_channel.get(game.channel_id) is game:
            del self._by_channel[game.channel_id]

    def __len__(self) -> int:
        return len(self._by_channel)
