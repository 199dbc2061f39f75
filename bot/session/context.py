"""What a game needs from the bot, and no more: its channel, storage, questions and clocks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.game.server_settings import ServerSettings
from bot.questions import QuestionBank
from bot.storage import Storage


class GameHost(Protocol):
    """The bot as games see it (the concrete client is never imported by the session layer)."""

    storage: Storage
    rng: random.Random
    connection_drops: int  # gateway disconnects so far: events may have been lost across each

    @property
    def user(self) -> discord.ClientUser | None: ...

    async def bank_for(self, guild_id: int) -> QuestionBank: ...

    def get_guild(self, id: int, /) -> discord.Guild | None: ...

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process plays in the server (in a cluster, each process runs some shards)."""
        ...

    async def server_settings(self, guild_id: int) -> ServerSettings: ...

    def get_partial_messageable(
        self, id: int, *, guild_id: int | None = None, type: discord.ChannelType | None = None
    ) -> discord.PartialMessageable: ...

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class GameContext:
    """One channel's view of the host."""

    host: GameHost
    guild_id: int
    channel_id: int

    @property
    def storage(self) -> Storage:
        return self.host.storage

    @property
    def channel(self) -> discord.PartialMessageable:
        """The game's channel, used with the bot token (never the 15-minute interaction token)."""
        return self.host.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
