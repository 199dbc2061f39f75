"""A database locked by another process: waits and retries, then a clear error."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bot.storage import SqliteStorage, StorageError


@pytest.fixture
async def storage(tmp_path):
    store = SqliteStorage(tmp_path / "busy.sqlite3", busy_timeout_ms=100)
    await store.open()
    yield store
    await store.close()


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another process's writer: holds SQLite's write lock for ``seconds``."""
    ready = threading.Event()

    def hold() -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        ready.set()
        threading.Event().wait(seconds)
        db.execute("COMMIT")
        db.close()

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait()
    return thread


async def test_a_briefly_locked_database_is_retried(storage):
    holder = hold_write_lock(storage.path, 0.4)
    await storage.set_meta("k", "v")  # first BEGIN times out after 100 ms, a retry gets through
    holder.join()
    assert await storage.get_meta("k") == "v"


async def test_a_database_that_stays_locked_gives_a_clear_error_and_keeps_data(storage):
    await storage.set_meta("k", "before")
    holder = hold_write_lock(storage.path, 3.0)
    with pytest.raises(StorageError, match="stayed locked by another process") as raised:
        await storage.set_meta("k", "after")
    assert raised.value.busy  # a later try may well succeed
    holder.join()
    assert await storage.get_meta("k") == "before"
    await storage.set_meta("k", "after")
    assert await storage.get_meta("k") == "after"
