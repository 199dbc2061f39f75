"""Saving a game's rounds so that a failing database never costs a revealed round its scores."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from bot.game.rounds import RoundResult
from bot.storage import Storage
from bot.storage.errors import StorageError
from bot.storage.records import Announcement, OpenRound

log = logging.getLogger(__name__)

FIRST_PAUSE = 2.0  # seconds before the first retry of a refused write; doubled each time...
LONGEST_PAUSE = 60.0  # ...up to this
PATIENCE = 15 * 60.0  # and for this long in all, also after the game ended


def backoff() -> Iterator[float]:
    """The pauses between tries of refused writes: 2, 4, 8 … 60, 60 … seconds, about 15 minutes in all."""
    pause, waited = FIRST_PAUSE, 0.0
    while waited < PATIENCE:
        yield pause
        waited += pause
        pause = min(pause * 2, LONGEST_PAUSE)


@dataclass
class _Write:
    what: str
    apply: Callable[[], Awaitable[None]]


@dataclass
class GameSaver:
    """Writes a game's rounds in order; what the database refuses is tried again with backoff.

    The game never waits on a failing database: a round is revealed anyway and kept here, and
    saving it and every later write is tried again in the background, with backoff, for about
    15 minutes (also after the game ended).
    """

    storage: Storage
    guild_id: int
    channel_id: int
    _pending: list[_Write] = field(default_factory=list)
    _retrying: asyncio.Task[None] | None = None

    async def open_round(self, record: OpenRound) -> OpenRound:
        """Save a posted question so a restart can finish it; on failure it is saved with its close."""
        try:
            return dataclasses.replace(record, id=await self.storage.open_round(record))
        except StorageError as exc:
            log.error("could not save the open question in channel %s (it cannot resume after a restart): %s", self.channel_id, exc)
            return record

    async def announce(self, announcement: Announcement) -> None:
        """Keep a message in the outbox before posting it."""
        await self._write(_Write(f"the {announcement.kind} {announcement.key} to post", partial(self.storage.add_announcement, announcement)))

    async def posted(self, announcement: Announcement, at: float) -> None:
        """The message is up (written before its round, so it is never posted twice)."""
        a = announcement
        await self._write(_Write(f"the {a.kind} {a.key} as posted", partial(self.storage.announcement_posted, a.kind, a.key, at)))

    async def done(self, announcement: Announcement, at: float) -> None:
        """The message was posted and its round saved, or it can never be posted: out of the outbox."""
        a = announcement
        await self._write(_Write(f"the {a.kind} {a.key} as done", partial(self.storage.announcement_done, a.kind, a.key, at)))

    async def close_round(self, record: OpenRound, result: RoundResult, closed_at: float) -> None:
        saved = _Round(self.storage, record)

        async def close() -> None:
            round_id = await saved.id()
            await self.storage.close_round(round_id, self.guild_id, result, record.opened_at, closed_at)

        await self._write(_Write(f"round {record.id}", close))

    async def void_round(self, record: OpenRound, closed_at: float) -> None:
        if record.id is None:  # a round never saved has nothing to void
            return
        round_id = record.id
        await self._write(_Write(f"voided round {round_id}", partial(self.storage.void_round, round_id, closed_at)))

    async def end_game(self, game_id: int, at: float) -> None:
        await self._write(_Write(f"the end of game {game_id}", partial(self.storage.end_game, game_id, at)))

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    async def _write(self, write: _Write) -> None:
        waiting = bool(self._pending)  # behind refused writes: the backoff makes them all, in order
        self._pending.append(write)
        if not waiting:
            await self.retry()
        if self._pending and (self._retrying is None or self._retrying.done()):
            self._retrying = asyncio.create_task(self._keep_trying(), name=f"saving channel {self.channel_id}")

    async def retry(self) -> None:
        """Make the pending writes, oldest first, stopping at the first failure."""
        while self._pending:
            write = self._pending[0]
            try:
                await write.apply()
            except StorageError as exc:
                log.error(
                    "could not save %s in channel %s (%d write(s) pending, tried again with backoff): %s",
                    write.what, self.channel_id, len(self._pending), exc,
                )
                return
            self._pending.pop(0)

    async def _keep_trying(self) -> None:
        for pause in backoff():
            await asyncio.sleep(pause)
            await self.retry()
            if not self._pending:
                log.info("saved the pending writes of channel %s", self.channel_id)
                return
        log.error(
            "gave up saving %d write(s) in channel %s after %d minutes: %s",
            len(self._pending), self.channel_id, PATIENCE // 60, "; ".join(w.what for w in self._pending),
        )


@dataclass
class _Round:
    """A round's id, saving the round first if its question could not be saved when it was posted."""

    storage: Storage
    record: OpenRound

    async def id(self) -> int:
        if self.record.id is None:
            self.record = dataclasses.replace(self.record, id=await self.storage.open_round(self.record))
        assert self.record.id is not None
        return self.record.id
