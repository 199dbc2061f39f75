"""The PostgreSQL schema and connections: an old database is upgraded from any earlier version with its
data kept, processes starting together on a new database upgrade it once, and a dropped connection is a
busy StorageError that the next call gets past; a close rewrites a player's name only when it changed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from bot.storage import create_storage
from bot.storage.migrations import SCHEMA_VERSION, sum_totals
from bot.storage.postgres import PostgresStorage
from bot.storage.postgres_migrations import COUNT_TOTALS, MIGRATIONS, REBUILD_TOTALS, TOTALS_BUCKETS
from tests.databases import fresh_database
from tests.test_storage_upgrades_and_backup import CATEGORY_AND_STREAK, GUILD, assert_old_data_kept


async def make_old_database(url: str, version: int) -> None:
    """A database left by a bot at schema ``version``: a finished game with one round, two answers."""
    db = await asyncpg.connect(url)
    try:
        async with db.transaction():
            for step in MIGRATIONS[:version]:
                for statement in step:
                    await db.execute(statement)
            await db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            await db.execute("INSERT INTO schema_version VALUES ($1)", version)
            await db.execute("INSERT INTO games (id, guild_id, channel_id, host_id, started_at, ended_at, questions_planned) VALUES (1, $1, 5, 100, 1000, 1100, 1)", GUILD)
            await db.execute("""INSERT INTO rounds (id, game_id, guild_id, channel_id, message_id, question_id, choice_order, seconds,
                                                    opened_at, deadline, closed_at, status)
                                VALUES (1, 1, $1, 5, 9, 'science-001', '[0, 1, 2, 3]', 20, 1000, 1020, 1020, 'closed')""", GUILD)
            await db.executemany(
                "INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
                [(GUILD, 100, 1, 1, 212, 3000, 1003.0), (GUILD, 200, 0, 0, 0, 5000, 1005.0)],
            )
            await db.executemany("INSERT INTO players VALUES ($1, $2, $3)", [(GUILD, 100, "alice"), (GUILD, 200, "bob")])
            if version >= 2:
                for statement in CATEGORY_AND_STREAK:
                    await db.execute(statement)
            if version >= 3:  # from version 3 on, the bot keeps this table up to date as rounds close
                await db.execute("INSERT INTO question_stats VALUES ('science-001', 2, 1)")
            if version >= 10:  # from version 10 on, the totals keep records and category_totals exists
                for statement in REBUILD_TOTALS:  # what version 10's closes keep equal to a rebuild
                    await db.execute(statement)
            elif version >= 7:  # from version 7 on, the bot keeps the running totals up to date as rounds close
                for statement in (*sum_totals(TOTALS_BUCKETS), COUNT_TOTALS):  # as version 7 counted them
                    await db.execute(statement)
    finally:
        await db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
async def test_upgrade_from_every_earlier_version_keeps_the_data(tmp_path: Path, version: int) -> None:
    async with fresh_database("postgres", tmp_path) as url:
        await make_old_database(str(url), version)
        storage = PostgresStorage(str(url))
        await storage.open()
        try:
            assert await storage.schema_version() == SCHEMA_VERSION
            await assert_old_data_kept(storage, version)
        finally:
            await storage.close()


async def test_processes_starting_together_on_a_new_database_upgrade_it_once(tmp_path: Path) -> None:
    async with fresh_database("postgres", tmp_path) as url:
        storages = [create_storage(url) for _ in range(4)]
        await asyncio.gather(*(s.open() for s in storages))  # without the migration lock, CREATE TABLEs collide
        try:
            assert [await s.schema_version() for s in storages] == [SCHEMA_VERSION] * 4
            await storages[0].set_meta("k", "v")
            assert await storages[3].get_meta("k") == "v"
        finally:
            for storage in storages:
                await storage.close()


async def test_a_dropped_connection_is_a_busy_storage_error_and_the_next_call_reconnects(tmp_path: Path) -> None:
    from bot.storage import StorageError

    async with fresh_database("postgres", tmp_path) as url:
        storage = create_storage(url)
        await storage.open()
        admin = await asyncpg.connect(str(url))
        try:
            async with admin.transaction():  # the write waits on this lock, then loses its connection
                await admin.execute("LOCK TABLE meta IN ACCESS EXCLUSIVE MODE")
                write = asyncio.create_task(storage.set_meta("k", "v"))
                for _ in range(600):
                    waiting = await admin.fetchval(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    if waiting is not None:
                        break
                    await asyncio.sleep(0.05)
                assert await admin.fetchval("SELECT pg_terminate_backend($1)", waiting)  # as a server restart would
                with pytest.raises(StorageError) as raised:
                    await write
            assert raised.value.busy  # worth retrying
            await storage.set_meta("k", "v")  # the pool opened a new connection
            assert await storage.get_meta("k") == "v"
        finally:
            await admin.close()
            await storage.close()


async def test_a_close_rewrites_a_players_name_only_when_it_changed(tmp_path: Path) -> None:
    """Every rewrite leaves a dead row version for vacuum, so an unchanged name is left as it is."""
    from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
    from bot.questions.model import Question
    from bot.storage import OpenRound

    asked = AskedQuestion(Question(id="q", text="Which?", choices=("A", "B"), answer="A", category="Test"), (0, 1))

    async def close(storage, name: str) -> None:
        game_id = await storage.start_game(GUILD, 5, 100, 1, 1000.0)
        round_id = await storage.open_round(OpenRound(GUILD, 5, 9, "q", (0, 1), 20.0, 1000.0, 1020.0, game_id=game_id))
        await storage.close_round(round_id, GUILD, RoundResult(asked, (PlayerOutcome(100, name, 0, True, 150, 900),)), 1000.0, 1020.0)

    async with fresh_database("postgres", tmp_path) as url:
        storage = create_storage(url)
        await storage.open()
        admin = await asyncpg.connect(str(url))
        try:
            version = "SELECT xmin::text, name FROM players WHERE user_id = 100"
            await close(storage, "alice")
            first = await admin.fetchrow(version)
            await close(storage, "alice")
            assert await admin.fetchrow(version) == first  # the same row version: not rewritten
            await close(storage, "Alice")
            renamed = await admin.fetchrow(version)
            assert renamed["name"] == "Alice" and renamed["xmin"] != first["xmin"]
        finally:
            await admin.close()
            await storage.close()
