"""A database locked by another process: waits and retries, then a clear error (a round close too)."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.storage import OpenRound, SqliteStorage, StorageError


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


def one_answer(user: int) -> RoundResult:
    question = Question(id="q", text="Which?", choices=("A", "B"), answer="A", category="Test")
    return RoundResult(AskedQuestion(question, (0, 1)), (PlayerOutcome(user, f"user{user}", 0, True, 150, 1000),))


async def test_a_round_close_on_a_briefly_locked_database_is_retried_whole(storage):
    round_id = await storage.open_round(OpenRound(1, 2, 3, "q", (0, 1), 20.0, 1000.0, 1020.0))
    holder = hold_write_lock(storage.path, 0.4)
    await storage.close_round(round_id, 1, one_answer(7), 1000.0, 1020.0)  # BEGIN, the close and COMMIT in one go, tried again
    holder.join()
    assert [(r.user_id, r.points, r.answered) for r in await storage.leaderboard(1)] == [(7, 150, 1)]


async def test_a_round_close_on_a_database_that_stays_locked_changes_nothing(storage):
    round_id = await storage.open_round(OpenRound(1, 2, 3, "q", (0, 1), 20.0, 1000.0, 1020.0))
    holder = hold_write_lock(storage.path, 3.0)
    with pytest.raises(StorageError, match="stayed locked by another process") as raised:
        await storage.close_round(round_id, 1, one_answer(7), 1000.0, 1020.0)
    assert raised.value.busy
    holder.join()
    assert [r.id for r in await storage.open_rounds()] == [round_id] and await storage.leaderboard(1) == []
    await storage.close_round(round_id, 1, one_answer(7), 1000.0, 1020.0)  # the game's own retry gets it saved once
    assert [(r.user_id, r.answered) for r in await storage.leaderboard(1)] == [(7, 1)]
