"""What only the SQLite backend promises: WAL, the file and its folder, 16 KiB pages, the schema version, one SQL
transaction per round close in one hand-over to the writer's thread, the reader's and checkpointer's
threads at the lowest CPU priority, the log checkpointed off the writer's path. Everything backend-neutral is in tests/contract/test_storage_contract.py."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.storage import OpenRound, SqliteStorage, StorageError
from bot.storage.known_names import KnownNames
from bot.storage.migrations import MIGRATIONS
from bot.storage.sqlite import WRITER_CACHE_KIB
from bot.storage.sqlite_pages import PAGE_SIZE
from bot.storage.sqlite_threads import BACKGROUND_NICE, in_thread

GUILD, CHANNEL = 1001, 3003
QUESTION = Question(
    id="q-1", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test", explanation="Because.",
)
ASKED = AskedQuestion(QUESTION, (0, 1, 2, 3))


def outcome(user: int, correct: bool, points: int, response_ms: int = 1000) -> PlayerOutcome:
    return PlayerOutcome(user, f"user{user}", 0 if correct else 1, correct, points, response_ms)


def result(*outcomes: PlayerOutcome) -> RoundResult:
    return RoundResult(ASKED, tuple(outcomes))


def open_round_record(opened_at: float) -> OpenRound:
    return OpenRound(GUILD, CHANNEL, 1, "q-1", (2, 0, 3, 1), 20.0, opened_at, opened_at + 20.0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "trivia.sqlite3"


@pytest.fixture
async def storage(db_path: Path):
    store = SqliteStorage(db_path)
    await store.open()
    yield store
    await store.close()


def raw(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


async def test_wal_mode_is_on(storage: SqliteStorage, db_path: Path) -> None:
    async with storage.db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]  # persisted in the file


async def test_a_new_database_has_16_kib_pages(storage: SqliteStorage, db_path: Path) -> None:
    assert PAGE_SIZE == 16 * 1024
    assert raw(db_path, "PRAGMA page_size") == [(PAGE_SIZE,)]


async def database_with_small_pages(db_path: Path) -> None:
    """A database as earlier versions wrote it, with SQLite's default 4 KiB pages, holding a closed round."""
    store = SqliteStorage(db_path)
    await store.open()
    round_id = await store.open_round(open_round_record(1000.0))
    await store.close_round(round_id, GUILD, result(outcome(1, True, 150), outcome(2, False, 0)), 1000.0, 1020.0)
    await store.close()
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    assert raw(db_path, "PRAGMA page_size") == [(4096,)]


async def test_a_database_with_smaller_pages_is_rewritten_once_with_its_data(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    await database_with_small_pages(db_path)
    caplog.set_level(logging.INFO, logger="bot.storage.sqlite_pages")
    store = SqliteStorage(db_path)
    await store.open()
    try:
        assert raw(db_path, "PRAGMA page_size") == [(PAGE_SIZE,)]
        assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]
        assert raw(db_path, "PRAGMA integrity_check") == [("ok",)]
        assert [(row.user_id, row.points) for row in await store.leaderboard(GUILD)] == [(1, 150), (2, 0)]
        assert await store.db.execute_fetchall("PRAGMA busy_timeout") == [(store.busy_timeout_ms,)]
    finally:
        await store.close()
    assert any("rewritten with 16 KiB pages" in r.getMessage() for r in caplog.records)
    caplog.clear()
    await store.open()  # already converted: nothing to do
    await store.close()
    assert not any("pages" in r.getMessage() for r in caplog.records)


async def test_a_database_another_process_has_open_keeps_its_pages_and_still_opens(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    await database_with_small_pages(db_path)
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT COUNT(*) FROM answers").fetchone() == (2,)
        store = SqliteStorage(db_path)
        await store.open()
        try:
            assert raw(db_path, "PRAGMA page_size") == [(4096,)]
            assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]
            round_id = await store.open_round(open_round_record(2000.0))
            await store.close_round(round_id, GUILD, result(outcome(2, True, 160)), 2000.0, 2020.0)
            assert [(row.user_id, row.points) for row in await store.leaderboard(GUILD)] == [(2, 160), (1, 150)]
        finally:
            await store.close()
    finally:
        other.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("kept the database's 4096-byte pages for now" in w and "next start tries again" in w for w in warnings)


async def test_the_writer_keeps_a_page_cache_big_enough_for_a_big_servers_close(storage: SqliteStorage) -> None:
    assert await storage.db.execute_fetchall("PRAGMA cache_size") == [(-WRITER_CACHE_KIB,)]
    assert WRITER_CACHE_KIB >= 32 * 1024  # SQLite's default, 2 MiB, reread most pages at every close


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux gives a thread a nice value of its own")
async def test_the_reader_and_checkpointer_run_at_the_lowest_cpu_priority_and_the_writer_does_not(storage: SqliteStorage) -> None:
    def nice(_: sqlite3.Connection) -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert await in_thread(storage._reader, nice) == BACKGROUND_NICE  # type: ignore[arg-type]
    assert await in_thread(storage._checkpoints._db, nice) == BACKGROUND_NICE  # type: ignore[union-attr, arg-type]
    assert await in_thread(storage.db, nice) == os.getpriority(os.PRIO_PROCESS, 0)  # this thread's, as the process's
    assert await storage.leaderboard(GUILD) == []  # and the reader still reads


async def test_schema_version_is_the_number_of_migrations(storage: SqliteStorage, db_path: Path) -> None:
    assert await storage.schema_version() == len(MIGRATIONS)
    assert raw(db_path, "PRAGMA user_version") == [(len(MIGRATIONS),)]
    tables = {r[0] for r in raw(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "players", "games", "rounds", "answers"} <= tables


async def test_creates_the_parent_folder(storage: SqliteStorage, db_path: Path) -> None:
    assert db_path.is_file()


async def test_newer_database_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store = SqliteStorage(db_path)
    with pytest.raises(StorageError, match="newer than this bot"):
        await store.open()
    await store.close()


async def test_a_file_that_is_not_a_database_is_refused_with_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = SqliteStorage(path)
    with pytest.raises(StorageError, match=f"cannot open the database {path}"):
        await store.open()
    with pytest.raises(StorageError, match="not open"):  # and its connection was closed
        store.db


async def test_using_a_closed_storage_fails_clearly(db_path: Path) -> None:
    store = SqliteStorage(db_path)
    with pytest.raises(StorageError, match="not open"):
        await store.get_meta("x")


async def test_close_round_is_one_transaction(storage: SqliteStorage) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    statements: list[str] = []
    await storage.db.set_trace_callback(statements.append)
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150), outcome(2, True, 160), outcome(3, False, 0)),
                              1000.0, 1020.0)
    await storage.db.set_trace_callback(None)
    words = [s.split()[0].upper() for s in statements]
    assert words[0] == "BEGIN" and words[-1] == "COMMIT"
    assert words.count("BEGIN") == 1 and words.count("COMMIT") == 1
    assert words.count("INSERT") >= 3  # every answer (and the players) inside that one transaction


async def test_close_round_is_one_hand_over_to_the_writers_thread(storage: SqliteStorage) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    hand_overs = 0
    execute = storage.db._execute

    async def counted(fn, *args, **kwargs):  # aiosqlite's queue to its thread, which every call goes through
        nonlocal hand_overs
        hand_overs += 1
        return await execute(fn, *args, **kwargs)

    storage.db._execute = counted  # type: ignore[method-assign]
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150), outcome(2, False, 0)), 1000.0, 1020.0)
    assert hand_overs == 1  # BEGIN, every statement and COMMIT: no wait for the event loop in between
    assert await storage.leaderboard(GUILD) != []


def main_file_only(db_path: Path, tmp_path: Path) -> Path:
    """A copy of the database file without its write-ahead log: what the file itself holds."""
    copy = tmp_path / "file-only.sqlite3"
    copy.write_bytes(db_path.read_bytes())
    return copy


async def test_commits_reach_the_database_file_by_a_background_checkpoint(storage: SqliteStorage, db_path: Path, tmp_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150)), 1000.0, 1020.0)
    await storage._checkpoints.finished()  # type: ignore[union-attr]
    # SQLite's own checkpoint waits for 1,000 pages of log; these two commits wrote a handful.
    assert raw(main_file_only(db_path, tmp_path), "SELECT user_id, points FROM answers") == [(1, 150)]


async def test_a_long_log_is_finished_under_the_write_lock_so_it_starts_over(storage: SqliteStorage, db_path: Path) -> None:
    """Copying beside writes never lets the log start over while writes keep coming; past RESTART_PAGES
    the checkpointer copies the rest holding the storage's write lock, and the next write starts it over."""
    snapshot = sqlite3.connect(db_path)
    snapshot.execute("BEGIN")
    snapshot.execute("SELECT COUNT(*) FROM meta").fetchall()  # an open read: nothing after it can be copied
    for i in range(25):  # about 1,250 pages of log (16 KiB each)
        await storage.set_meta(f"big{i}", "x" * 800_000)
    await storage._checkpoints.finished()  # type: ignore[union-attr]
    snapshot.rollback()
    snapshot.close()

    async with storage._lock:  # a write under way
        storage._checkpoints.committed()  # type: ignore[union-attr]
        with pytest.raises(TimeoutError):  # the long log's last pass waits for that write
            await asyncio.wait_for(storage._checkpoints.finished(), 0.3)  # type: ignore[union-attr]
    await storage._checkpoints.finished()  # type: ignore[union-attr]
    await storage.set_meta("small", "1")
    busy, pages, copied = raw(db_path, "PRAGMA wal_checkpoint(PASSIVE)")[0]
    assert busy == 0 and pages < 50  # the log started over with that write
    assert await storage.get_meta("big24") == "x" * 800_000


async def test_close_round_stores_answer_times_and_skips_unnamed_players(storage: SqliteStorage, db_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    unnamed = PlayerOutcome(3, "", 0, True, 150, 19000)
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 170, 2500), outcome(2, False, 0, 800), unnamed),
                              opened_at=1000.0, closed_at=1020.0)
    rows = raw(db_path, "SELECT user_id, choice, correct, points, response_ms, answered_at FROM answers "
                        "WHERE round_id = ? ORDER BY user_id", (round_id,))
    assert rows == [(1, 0, 1, 170, 2500, 1002.5), (2, 1, 0, 0, 800, 1000.8), (3, 0, 1, 150, 19000, 1019.0)]
    assert raw(db_path, "SELECT user_id, name FROM players ORDER BY user_id") == [(1, "user1"), (2, "user2")]


async def test_a_failed_close_is_rolled_back_in_the_file(storage: SqliteStorage, db_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    with pytest.raises(StorageError):  # the same player twice violates the answers primary key
        await storage.close_round(round_id, GUILD, result(outcome(1, True, 150), outcome(1, False, 0)), 1000.0, 1020.0)
    assert raw(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    assert raw(db_path, "SELECT COUNT(*) FROM players") == [(0,)]
    assert raw(db_path, "SELECT status, closed_at FROM rounds WHERE id = ?", (round_id,)) == [("open", None)]


async def test_a_close_writes_only_the_names_the_database_may_not_hold(storage: SqliteStorage, db_path: Path) -> None:
    """Names this process has committed are not looked up again; a changed one is written; a close that
    failed (rolled back) leaves its names unknown, so the next close writes them."""
    names: list[str] = []
    await storage.db.set_trace_callback(lambda sql: names.append(sql) if "INTO players" in sql else None)

    async def close(*players: tuple[int, str]) -> int:
        names.clear()
        round_id = await storage.open_round(open_round_record(1000.0))
        outcomes = (PlayerOutcome(user, name, 0, True, 150, 1000) for user, name in players)
        await storage.close_round(round_id, GUILD, result(*outcomes), 1000.0, 1020.0)
        return len(names)  # one trace line per row the statement ran for

    assert await close((1, "ann"), (2, "bob")) == 2
    assert await close((1, "ann"), (2, "bob")) == 0
    assert await close((1, "anna"), (2, "bob"), (3, "cy")) == 2
    storage._COUNT_IN_TOTALS = "INSERT INTO no_such_table VALUES (1)"  # type: ignore[misc]  # fails after the names
    with pytest.raises(StorageError):
        await close((4, "dee"))
    del storage._COUNT_IN_TOTALS  # type: ignore[misc]
    assert await close((4, "dee")) == 1
    assert raw(db_path, "SELECT user_id, name FROM players ORDER BY user_id") == [(1, "anna"), (2, "bob"), (3, "cy"), (4, "dee")]


def test_known_names_are_forgotten_together_past_their_limit() -> None:
    known = KnownNames(limit=3)
    rows = known.to_write(GUILD, [outcome(1, True, 150), outcome(2, True, 150)])
    known.committed(rows)
    assert known.to_write(GUILD, [outcome(1, True, 150), outcome(3, True, 150)]) == [(GUILD, 3, "user3")]
    known.committed([(GUILD, 3, "user3"), (GUILD, 4, "user4")])  # 4 > 3: the old ones go first
    assert len(known) == 2 and known.to_write(GUILD, [outcome(1, True, 150)]) == [(GUILD, 1, "user1")]
