"""Upgrading databases from every earlier schema version, and online backups."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.game.server_settings import ServerSettings
from bot.storage import BoardFilter, SqliteStorage
from bot.storage.migrations import MIGRATIONS, REBUILD_TOTALS, SCHEMA_VERSION, TOTALS_BUCKETS, sum_totals
from tests.helpers import start_and_answer_right

GUILD = 42


async def assert_old_data_kept(storage, version: int) -> None:
    """What :func:`make_old_database` (and tests/test_postgres_schema.py's twin for PostgreSQL) put in
    a database at ``version`` reads back the same after the upgrade, /trivia-stats' records included."""
    rows = await storage.leaderboard(GUILD, BoardFilter())
    assert [(r.name, r.points, r.correct, r.answered) for r in rows] == [("alice", 212, 1, 1), ("bob", 0, 0, 1)]
    assert await storage.last_game_id(GUILD) == 1
    assert await storage.question_record("science-001") == (2, 1)
    assert await storage.server_settings(GUILD, ServerSettings()) == ServerSettings()
    assert await storage.unfinished_games() == []
    assert await storage.custom_packs(GUILD) == []
    stats = await storage.player_stats(GUILD, 100)
    assert stats is not None and stats.points == 212 and stats.rank == 1
    assert (stats.best_streak, stats.fastest_correct_ms) == (1 if version >= 2 else 0, 3000)
    assert stats.favourite_category == ("Science" if version >= 2 else None)
    bob = await storage.player_stats(GUILD, 200)
    assert bob is not None and (bob.best_streak, bob.fastest_correct_ms, bob.favourite_category) == (0, None, (
        "Science" if version >= 2 else None))


# What make_old_database adds from version 2 on, when rounds keep a category and answers a streak.
CATEGORY_AND_STREAK = ("UPDATE rounds SET category = 'Science'", "UPDATE answers SET streak = 1 WHERE user_id = 100")


def make_old_database(path: Path, version: int) -> None:
    """A database at ``version`` holding one finished game with two answers (first-release columns only)."""
    with sqlite3.connect(path) as db:
        for step in MIGRATIONS[:version]:
            for statement in step:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
        db.execute(
            """INSERT INTO games (id, guild_id, channel_id, host_id, started_at, ended_at, questions_planned)
               VALUES (1, ?, 7, 100, 1000.0, 1010.0, 1)""",
            (GUILD,),
        )
        db.execute(
            """INSERT INTO rounds (id, game_id, guild_id, channel_id, message_id, question_id, choice_order,
                                   seconds, opened_at, deadline, closed_at, status)
               VALUES (1, 1, ?, 7, 555, 'science-001', '[1, 0, 2, 3]', 20, 1000.0, 1020.0, 1020.0, 'closed')""",
            (GUILD,),
        )
        db.executemany(
            """INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at)
               VALUES (1, ?, ?, ?, ?, ?, ?, ?)""",
            [(GUILD, 100, 1, 1, 212, 3000, 1003.0), (GUILD, 200, 0, 0, 0, 5000, 1005.0)],
        )
        db.executemany("INSERT INTO players VALUES (?, ?, ?)", [(GUILD, 100, "alice"), (GUILD, 200, "bob")])
        if version >= 2:
            for statement in CATEGORY_AND_STREAK:
                db.execute(statement)
        if version >= 3:  # from version 3 on, the bot keeps this table up to date as rounds close
            db.execute("INSERT INTO question_stats VALUES ('science-001', 2, 1)")
        if version >= 10:  # from version 10 on, the totals keep records and category_totals exists
            for statement in REBUILD_TOTALS:  # what version 10's closes keep equal to a rebuild
                db.execute(statement)
        elif version >= 7:  # from version 7 on, the bot keeps the running totals up to date as rounds close
            for statement in sum_totals(TOTALS_BUCKETS):  # as version 7 counted them
                db.execute(statement)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
async def test_upgrade_from_every_earlier_version_keeps_the_data(tmp_path, version):
    path = tmp_path / "old.sqlite3"
    make_old_database(path, version)
    storage = SqliteStorage(path)
    await storage.open()
    try:
        assert await storage.schema_version() == SCHEMA_VERSION
        await assert_old_data_kept(storage, version)
    finally:
        await storage.close()


async def test_a_database_from_a_newer_bot_is_refused_with_a_clear_message(tmp_path):
    from bot.storage import StorageError

    path = tmp_path / "new.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    storage = SqliteStorage(path)
    with pytest.raises(StorageError, match="newer than this bot"):
        await storage.open()
    with pytest.raises(RuntimeError, match="not open"):  # and its connection was closed
        storage.db


async def test_backup_of_a_running_bot_is_a_consistent_copy(simcord_env, settings, tmp_path):
    env = simcord_env
    channel, alice, question = await start_and_answer_right(env)
    await env.advance_time(11)

    target = tmp_path / "backups" / "copy.sqlite3"
    code, out, err = await run_cli("backup", str(target), "--database", str(settings.database))
    assert code == 0, err
    assert "integrity ok" in out
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*), SUM(correct) FROM answers").fetchone() == (1, 1)
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION

    code, out, err = await run_cli("backup", str(target), "--database", str(settings.database))
    assert code == 1 and "already exists" in err and "Traceback" not in err


async def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m bot ...` without blocking the event loop the running bot lives on."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


def test_backup_without_a_database_says_so(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(tmp_path / "b.sqlite3"), "--database", str(tmp_path / "none.sqlite3")],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1 and "no database at" in done.stderr


async def test_the_bots_database_is_wal_with_a_schema_version(simcord_env, settings):
    """The SQLite file a running bot made (the SQLite backend's own promise, so read from the file)."""
    with sqlite3.connect(settings.database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
