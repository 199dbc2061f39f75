"""WAL checkpoints off the writer's path.

In WAL mode every commit appends to the write-ahead log, and by default the committing connection
copies the log back into the database file once it passes 1,000 pages: one commit in every few pays
for everyone's. A 1,000-answer round close wrote about 250 pages (of 4 KiB), so every fourth one took 7-12 ms
longer (copying a page costs about 14 µs), and a long log once took 130 ms.

Here a connection of its own, on a thread of its own at the lowest CPU priority, runs a passive
checkpoint after each commit (one at a time: commits made while one runs are taken by the next). It
copies beside the writer and the readers, waiting on neither. A log copied that way never starts
over, though, if writes keep coming (each adds pages before the copy has caught up), so once the log
passes :data:`RESTART_PAGES` the checkpointer copies what is left holding the storage's write lock:
a few pages, since the unlocked pass has just run, after which the next write starts the log over.
The writer's own automatic checkpoint stays, at :data:`BACKSTOP_PAGES`, for a log the checkpointer
cannot keep short.
"""

from __future__ import annotations

import asyncio
import logging

import aiosqlite

from bot.storage.errors import StorageError
from bot.storage.sqlite_threads import close_or_warn, connect_in_background, run

log = logging.getLogger(__name__)

RESTART_PAGES = 1000  # SQLite's own default point for a checkpoint
BACKSTOP_PAGES = 2_500  # the writer checkpoints itself past this many pages of log (40 MiB of 16 KiB pages)


class BackgroundCheckpoints:
    """Copies the write-ahead log of the database at ``path`` into its file after commits;
    ``write_lock`` is the lock every write transaction of the storage holds."""

    def __init__(self, path: str, write_lock: asyncio.Lock) -> None:
        self.path = path
        self._write_lock = write_lock
        self._db: aiosqlite.Connection | None = None
        self._running: asyncio.Task[None] | None = None
        self._again = False  # a commit came while the running checkpoint was under way

    async def open(self, busy_timeout_ms: int) -> None:
        self._db = await connect_in_background(self.path, busy_timeout_ms)

    def committed(self) -> None:
        """A write was committed: a checkpoint starts, or the running one is followed by another."""
        if self._db is None:
            return
        if self._running is not None:
            self._again = True
        else:
            self._running = asyncio.get_running_loop().create_task(self._checkpoint(self._db))

    async def _checkpoint(self, db: aiosqlite.Connection) -> None:
        try:
            while True:
                self._again = False
                (_, pages, _), = await run(db, "PRAGMA wal_checkpoint(PASSIVE)")
                if pages >= RESTART_PAGES:
                    async with self._write_lock:  # no page can be added meanwhile: this pass copies them all
                        await run(db, "PRAGMA wal_checkpoint(PASSIVE)")
                if not self._again:
                    break
        except StorageError as exc:  # the next commit tries again, and the writer's backstop remains
            log.warning("could not checkpoint the write-ahead log of %s: %s", self.path, exc)
        finally:
            self._running = None

    async def finished(self) -> None:
        """Wait for the checkpoints under way, if any."""
        if self._running is not None:
            await asyncio.shield(self._running)

    async def close(self) -> None:
        await self.finished()
        if self._db is not None:
            db, self._db = self._db, None
            await close_or_warn(db, "checkpoint", self.path)
