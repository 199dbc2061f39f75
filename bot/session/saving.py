"""Saving a game's rounds so that a failing database never costs a revealed round its scores."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

from bot.game.rounds import RoundResult
from bot.storage import Storage
from bot.storage.errors import StorageError
from bot.storage.records import OpenRound

log = logging.getLogger(__name__)


@dataclass
class _Write:
    """One pending write: a round to close or void (opened first if that failed too), or the game's end."""

    what: str
    record: OpenRound | None = None
    result: RoundResult | None = None  # None with a record: void the round
    at: float = 0.0
    game_id: int | None = None  # set: end this game


@dataclass
class GameSaver:
    """Writes a game's rounds in order; what the database refuses waits for the next try.

    The game never waits on a failing database: a round is revealed anyway and kept here, and
    saving it is tried again when the next question closes and when the game ends.
    """

    storage: Storage
    guild_id: int
    channel_id: int
    _pending: list[_Write] = field(default_factory=list)

    async def open_round(self, record: OpenRound) -> OpenRound:
        """Save a posted question so a restart can finish it; on failure it is saved with its close."""
        try:
            return dataclasses.replace(record, id=await self.storage.open_round(record))
        except StorageError as exc:
            log.error("could not save the open question in channel %s (it cannot resume after a restart): %s", self.channel_id, exc)
            return record

    async def close_round(self, record: OpenRound, result: RoundResult, closed_at: float) -> None:
        await self._write(_Write(f"round {record.id}", record, result, closed_at))

    async def void_round(self, record: OpenRound, closed_at: float) -> None:
        if record.id is not None:  # a round never saved has nothing to void
            await self._write(_Write(f"voided round {record.id}", record, None, closed_at))

    async def end_game(self, game_id: int, at: float) -> None:
        await self._write(_Write(f"the end of game {game_id}", at=at, game_id=game_id), last_chance=True)

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    async def _write(self, write: _Write, last_chance: bool = False) -> None:
        self._pending.append(write)
        await self.retry(last_chance)

    async def retry(self, last_chance: bool = False) -> None:
        """Make the pending writes, oldest first, stopping at the first failure."""
        while self._pending:
            write = self._pending[0]
            try:
                await self._apply(write)
            except StorageError as exc:
                log.error(
                    "could not save %s in channel %s (%d write(s) pending): %s; %s",
                    write.what, self.channel_id, len(self._pending), exc,
                    "the game is over, so these are lost" if last_chance else "trying again at the next close",
                )
                return
            self._pending.pop(0)

    async def _apply(self, write: _Write) -> None:
        if write.game_id is not None:
            await self.storage.end_game(write.game_id, write.at)
            return
        assert write.record is not None
        if write.record.id is None:
            write.record = dataclasses.replace(write.record, id=await self.storage.open_round(write.record))
        assert write.record.id is not None
        if write.result is None:
            await self.storage.void_round(write.record.id, write.at)
        else:
            await self.storage.close_round(write.record.id, self.guild_id, write.result, write.record.opened_at, write.at)
