"""Moving a bot from SQLite to PostgreSQL: every table copied, ids kept, counts checked."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Callable

import asyncpg

from bot.storage.errors import StorageError
from bot.storage.postgres import PostgresStorage
from bot.storage.postgres_migrations import COUNT_TOTALS, IDENTITY_TABLES, TABLES
from bot.storage.sqlite import SqliteStorage

# How a SQLite value becomes the PostgreSQL column's type (SQLite keeps 1000.0 as 1000, and so on).
_CONVERT: dict[str, Callable[[Any], Any]] = {"double precision": float, "bigint": int, "integer": int, "text": str}


async def copy_sqlite_to_postgres(source: Path, url: str, force: bool = False) -> dict[str, int]:
    """Copy every row of the SQLite database ``source`` into the PostgreSQL database ``url``; returns
    the rows per table, checked equal on both sides.

    Both databases are first brought to the current schema (as the bot would on start). The target must
    hold no data unless ``force``, which empties it first. The copy is one transaction: all or nothing.
    """
    if not source.is_file():
        raise StorageError(f"no SQLite database at {source}")
    for storage in (SqliteStorage(source), PostgresStorage(url)):
        await storage.open()  # applies migrations (and refuses a database from a newer bot)
        await storage.close()
    target = PostgresStorage(url)
    try:
        connection = await asyncpg.connect(url)
    except (asyncpg.PostgresError, OSError, ValueError) as exc:
        raise StorageError(f"cannot connect to {target.where}: {exc}") from exc
    try:
        with closing(sqlite3.connect(source)) as db:
            async with connection.transaction():
                await _empty_or_refuse(connection, target.where, force)
                for table in TABLES:
                    await _copy_table(db, connection, table)
                await connection.execute(COUNT_TOTALS)  # derived from totals, which SQLite does not keep
                for table in IDENTITY_TABLES:  # new rows must get ids after the copied ones
                    await connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                    )
            return await _checked_counts(db, connection)
    except (asyncpg.PostgresError, sqlite3.Error) as exc:
        raise StorageError(f"copy failed, nothing was copied: {exc}") from exc
    finally:
        await connection.close()


async def _empty_or_refuse(connection: Any, where: str, force: bool) -> None:
    filled = [t for t in TABLES if await connection.fetchval(f"SELECT EXISTS (SELECT 1 FROM {t})")]
    if filled and not force:
        raise StorageError(f"{where} already holds data (in {', '.join(filled)}); copy into an empty database, or pass --force to replace it")
    if filled:
        await connection.execute(f"TRUNCATE {', '.join(TABLES)}, totals_points RESTART IDENTITY")


async def _copy_table(db: sqlite3.Connection, connection: Any, table: str) -> None:
    types = {
        r["column_name"]: r["data_type"]
        for r in await connection.fetch(
            """SELECT column_name, data_type FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'""",
            table,
        )
    }
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1] in types]
    convert = [_CONVERT[types[c]] for c in columns]
    order = " ORDER BY rowid" if table == "announcements" else ""  # the outbox keeps its order
    records = [
        tuple(None if value is None else to(value) for to, value in zip(convert, row))
        for row in db.execute(f"SELECT {', '.join(columns)} FROM {table}{order}")
    ]
    if records:
        await connection.copy_records_to_table(table, records=records, columns=columns)


async def _checked_counts(db: sqlite3.Connection, connection: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in TABLES:
        copied = int(await connection.fetchval(f"SELECT COUNT(*) FROM {table}"))
        expected = int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        if copied != expected:
            raise StorageError(f"{table}: {expected} rows in SQLite but {copied} in PostgreSQL; the copy is not complete")
        counts[table] = copied
    return counts
