"""Gateway shards: which slice of them a process runs, and which servers that makes its own.

Discord puts a server on shard ``(guild_id >> 22) % shard_count``. A cluster is several processes,
each running a slice of the shards (``--shard-ids 0-3``) on one shared database: a process plays,
resumes and schedules only its own shards' servers, so every game belongs to exactly one process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # settings import this module, and must not pull in the storage backends
    from bot.storage import Storage

IDENTIFY_SPACING = 5.0  # seconds Discord wants between two IDENTIFYs of one concurrency bucket


class ShardSpecError(ValueError):
    """A shard id list is malformed; the message says how to write it."""


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord delivers a server's events on."""
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0-3,8"`` → ``(0, 1, 2, 3, 8)``: ids and inclusive ranges, comma-separated, sorted, no repeats."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        first, dash, last = part.partition("-")
        try:
            low = int(first)
            high = int(last) if dash else low
        except ValueError:
            raise ShardSpecError(f"shard ids must be numbers and ranges like 0-3,8, got {text!r}") from None
        if low < 0 or high < low:
            raise ShardSpecError(f"shard id range {part!r} must go up from 0 or more, like 0-3")
        ids.update(range(low, high + 1))
    return tuple(sorted(ids))


def format_shard_ids(ids: Collection[int]) -> str:
    """``(0, 1, 2, 3, 8)`` → ``"0-3, 8"``, for messages."""
    ordered = sorted(ids)
    runs: list[list[int]] = []
    for shard in ordered:
        if runs and shard == runs[-1][-1] + 1:
            runs[-1].append(shard)
        else:
            runs.append([shard])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def slice_problems(shard_count: int | None, shard_ids: Sequence[int] | None) -> list[str]:
    """What is wrong with a slice of shards, one line each (nothing when it can run)."""
    if shard_ids is None:
        return []
    if shard_count is None:
        return ["TRIVIA_SHARD_IDS needs TRIVIA_SHARD_COUNT: every process of a cluster must agree on the number of shards"]
    if not shard_ids:
        return ["TRIVIA_SHARD_IDS must name at least one shard, like 0-3"]
    outside = [s for s in shard_ids if s >= shard_count]
    if outside:
        return [f"TRIVIA_SHARD_IDS {format_shard_ids(outside)} not below TRIVIA_SHARD_COUNT={shard_count} (shards are numbered from 0)"]
    return []


class ShardSlice:
    """The shards this process runs; ``ids`` None means all of them (a single process)."""

    def __init__(self, shard_count: int | None, ids: Sequence[int] | None) -> None:
        self.count = shard_count
        self.ids = frozenset(ids) if ids is not None else None

    def owns(self, guild_id: int) -> bool:
        """Whether this process plays the server's games (always, without a slice)."""
        if self.ids is None or self.count is None:
            return True
        return shard_of(guild_id, self.count) in self.ids

    @property
    def syncs_commands(self) -> bool:
        """One process of a cluster syncs the slash commands: the one running shard 0."""
        return self.ids is None or 0 in self.ids


async def _identify_spacing() -> None:
    await asyncio.sleep(IDENTIFY_SPACING)


class IdentifyPacer:
    """Spaces gateway connections (IDENTIFY) across every process on the database.

    Discord accepts one IDENTIFY per 5 seconds in each concurrency bucket (``shard_id %
    max_concurrency``), whichever process sends it. A turn is taken through the storage (an advisory
    lock per bucket on PostgreSQL) and held for ``spacing`` after it is granted, so the next shard of
    the bucket, in this process or another, identifies only once that time has passed.
    """

    def __init__(self, storage: Storage, spacing: Callable[[], Awaitable[None]] = _identify_spacing) -> None:
        self._storage = storage
        self._spacing = spacing
        self._holders: set[asyncio.Task[None]] = set()

    async def wait_turn(self, shard_id: int, max_concurrency: int) -> None:
        """Return once this shard may identify; its bucket stays taken for the spacing afterwards."""
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        holder = asyncio.create_task(self._hold(shard_id % max(max_concurrency, 1), granted), name=f"identify turn of shard {shard_id}")
        self._holders.add(holder)
        holder.add_done_callback(self._holders.discard)
        try:
            await granted
        except asyncio.CancelledError:
            holder.cancel()
            raise

    async def _hold(self, bucket: int, granted: asyncio.Future[None]) -> None:
        try:
            async with self._storage.identify_turn(bucket):
                granted.set_result(None)
                await self._spacing()
        except Exception as exc:  # the database refused the turn: the shard's connect fails and is retried
            if not granted.done():
                granted.set_exception(exc)

    async def close(self) -> None:
        """Give back every turn still held (the bot is stopping)."""
        for holder in list(self._holders):
            holder.cancel()
        await asyncio.gather(*self._holders, return_exceptions=True)
