"""The SQLite database's page size: 16 KiB, four times SQLite's default.

A 1,000-answer round close in a server of 50,000 players changes rows spread over that server's
totals (one row per player and bucket) and their ranking index, nearly every leaf of them. With 4 KiB
pages that is some 1,800 pages to fetch, change and log at every close; with 16 KiB pages a quarter
as many, larger ones: 0.73x the close's time there, with the boards and the small servers' closes
unchanged. 64 KiB pages were faster still for the big close but made every small transaction log a
64 KiB page: 200 simultaneous small closes took 1.48x as long (benchmarks/README.md).

A new database takes the size as its file is created. An existing one is rewritten once with it
(``VACUUM``, which needs the database to itself, out of WAL mode) when it is opened.
"""

from __future__ import annotations

import logging
import time

import aiosqlite

from bot.storage.errors import StorageError
from bot.storage.sqlite_threads import run

log = logging.getLogger(__name__)

PAGE_SIZE = 16 * 1024


async def choose_page_size(db: aiosqlite.Connection) -> None:
    """Give a database not yet created its page size: run before anything writes the file (turning WAL
    on does). On an existing database this changes nothing until :func:`convert_page_size`."""
    await run(db, f"PRAGMA page_size = {PAGE_SIZE}")


async def convert_page_size(db: aiosqlite.Connection, path: str, busy_timeout_ms: int) -> None:
    """Rewrite the database at ``path`` with :data:`PAGE_SIZE` pages if it has others, on ``db``, its
    only connection, in WAL mode, outside any transaction; leaves it in WAL mode.

    The rewrite is an optimisation, so it never stops the bot: while another process has the file
    open it is left for a later start, at once rather than after the busy timeout, and a failed
    rewrite (a full disk, say) leaves the database as it was, as VACUUM is one transaction.
    """
    (size,), = await run(db, "PRAGMA page_size")
    if size == PAGE_SIZE:
        return
    started = time.perf_counter()
    log.info("rewriting the database %s with %d KiB pages (once; a few seconds per million answers)", path, PAGE_SIZE // 1024)
    await run(db, "PRAGMA busy_timeout = 0")
    try:
        (mode,), = await run(db, "PRAGMA journal_mode = DELETE")
        if mode != "delete":
            raise StorageError(f"it stayed in {mode} mode")
        await run(db, f"PRAGMA page_size = {PAGE_SIZE}")
        await run(db, "VACUUM")
    except StorageError as exc:
        log.warning("kept the database's %d-byte pages for now (%s); the next start tries again", size, exc)
    else:
        log.info("database rewritten with %d KiB pages in %.1f s", PAGE_SIZE // 1024, time.perf_counter() - started)
    finally:
        await run(db, f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await run(db, "PRAGMA journal_mode = WAL")
