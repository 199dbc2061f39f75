"""The SQLite connections' threads: running work on them, and translating sqlite3's errors.

aiosqlite gives each connection a thread of its own; everything here is either awaited from the event
loop (one hand-over to that thread) or runs on the thread itself.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from typing import Callable, Iterable, TypeVar

import aiosqlite

from bot.storage.errors import StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")

BACKGROUND_NICE = 19  # the reader's and the checkpointer's threads: the lowest CPU priority (see lower_priority)


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def storage_error(exc: BaseException) -> StorageError:
    """The backend-neutral error for a sqlite3/aiosqlite one (aiosqlite raises ValueError once closed)."""
    error = StorageError(str(exc), busy=is_busy(exc))
    error.__cause__ = exc
    return error


async def run(db: aiosqlite.Connection, sql: str, params: Iterable[object] = ()) -> list[aiosqlite.Row]:
    """Execute one statement and return its rows (a write's through RETURNING).

    One trip to the connection's thread: the cursor is read to its end and dropped there, so none
    is left open to block COMMIT, and a round close's statements each cost one hand-over.
    """
    try:
        return list(await db.execute_fetchall(sql, tuple(params)))
    except (sqlite3.Error, ValueError) as exc:
        raise storage_error(exc) from exc


async def in_thread(db: aiosqlite.Connection, work: Callable[..., T], *args: object) -> T:
    """``work(connection, *args)`` run on the connection's own thread, as one hand-over.

    aiosqlite has no public call for this; ``_execute`` is the queue its every method goes through.
    """
    try:
        return await db._execute(lambda: work(db._conn, *args))
    except (sqlite3.Error, ValueError) as exc:
        raise storage_error(exc) from exc


def in_transaction(db: sqlite3.Connection, work: Callable[..., T], *args: object) -> T:
    """Run on the connection's thread: ``work(db, *args)`` between BEGIN IMMEDIATE and COMMIT, rolled
    back if anything in it fails."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db, *args)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error as rollback_error:
                log.error("could not roll back a failed transaction: %s", rollback_error)
        raise
    return result


def lower_priority(_: sqlite3.Connection) -> None:
    """Run on a background connection's thread (the reader's, the checkpointer's): its nice value
    becomes :data:`BACKGROUND_NICE`.

    Reads never wait on the writer, but on a small machine a busy reader still takes the CPU the
    writer and the event loop need, and a round close beside leaderboard reads took 1.6x as long.
    At the lowest priority the kernel runs the reader only when those two have the CPU they want
    (the benchmark's closes beside reads: 1.1x). Only Linux gives a thread a nice value of its own
    (set by its thread id); elsewhere, or if refused, the thread keeps the process's priority.
    """
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
    except OSError as exc:
        log.debug("could not lower a background connection thread's priority: %s", exc)


async def run_many(db: aiosqlite.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        try:
            cursor = await db.executemany(sql, rows)
            await cursor.close()
        except (sqlite3.Error, ValueError) as exc:
            raise storage_error(exc) from exc


async def close_or_warn(db: aiosqlite.Connection, what: str, path: str) -> None:
    """Close a connection whose failure to close loses nothing (a reader's, the checkpointer's)."""
    try:
        await db.close()
    except (sqlite3.Error, ValueError) as exc:
        log.warning("could not close the %s connection of %s: %s", what, path, exc)


async def connect_in_background(path: str, busy_timeout_ms: int) -> aiosqlite.Connection:
    """A connection to ``path`` for work beside the writer (the reader's, the checkpointer's): the
    busy timeout set and its thread at :data:`BACKGROUND_NICE`."""
    try:
        db = await aiosqlite.connect(path, isolation_level=None)
    except (sqlite3.Error, ValueError) as exc:
        raise storage_error(exc) from exc
    try:
        await run(db, f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await in_thread(db, lower_priority)
    except BaseException:
        await close_or_warn(db, "background", path)
        raise
    return db
