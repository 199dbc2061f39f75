"""Saving scored rounds so that a failing database never costs a revealed round its scores."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.game.rounds import RoundResult
from bot.storage import Storage, StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClosedRound:
    """A scored round waiting to be saved."""

    round_id: int
    result: RoundResult
    opened_unix: float
    closed_unix: float


@dataclass
class RoundSaver:
    """Saves a game's scored rounds in order; a round the database refuses waits for the next try.

    The game does not wait on a failing database: the round is revealed anyway and kept here, and
    saving it is tried again when the next question closes and when the game ends.
    """

    storage: Storage
    guild_id: int
    channel_id: int
    _unsaved: list[ClosedRound] = field(default_factory=list)

    async def save(self, closed: ClosedRound) -> None:
        self._unsaved.append(closed)
        await self.retry(last_chance=False)

    async def retry(self, last_chance: bool) -> None:
        """Save the rounds not saved yet, oldest first, stopping at the first failure."""
        while self._unsaved:
            closed = self._unsaved[0]
            try:
                await self.storage.close_round(
                    closed.round_id, self.guild_id, closed.result, closed.opened_unix, closed.closed_unix
                )
            except StorageError as exc:
                log.error(
                    "could not save round %s in channel %s (%d round(s) unsaved): %s; %s",
                    closed.round_id, self.channel_id, len(self._unsaved), exc,
                    "the game is over, so these scores are lost" if last_chance else "trying again at the next close",
                )
                return
            self._unsaved.pop(0)
