"""A fresh database of each backend for one test: a SQLite file in the test's folder, or a database of
its own on the PostgreSQL server TRIVIA_TEST_POSTGRES_URL names (created, then dropped).

Without that variable the PostgreSQL half of the tests is skipped, saying why; with
TRIVIA_REQUIRE_POSTGRES=1 (as .ci/run sets) a missing server fails them instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.storage.factory import postgres_url
from bot.storage.factory import sqlite_path as _sqlite_path

BACKEND_NAMES = ("postgres", "sqlite")
POSTGRES_VARIABLE = "TRIVIA_TEST_POSTGRES_URL"
WHY_SKIPPED = f"set {POSTGRES_VARIABLE}, or run .ci/run which starts a server"


def postgres_server() -> str:
    """The test server's URL; skips the test (or fails it under TRIVIA_REQUIRE_POSTGRES=1) without one."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if url:
        return url
    if os.environ.get("TRIVIA_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"TRIVIA_REQUIRE_POSTGRES=1 but no PostgreSQL server: {WHY_SKIPPED}")
    pytest.skip(f"PostgreSQL tests skipped: {WHY_SKIPPED}")


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path) -> AsyncIterator[Path | str]:
    """A database setting (a path, or a URL) naming an empty database of ``backend`` for one test."""
    if backend == "sqlite":
        yield tmp_path / "trivia.sqlite3"
        return
    import asyncpg

    server = postgres_server()
    name = f"trivia_test_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield with_database(server, name)
        finally:
            await _drop(admin, name)
    finally:
        await admin.close()


async def _drop(admin: Any, name: str, attempts: int = 20) -> None:
    """Drop a test's database, its connections too; a server process that is not ours (autovacuum on
    a server of the developer's) may hold it a moment longer."""
    import asyncpg

    for attempt in range(attempts):
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (asyncpg.InsufficientPrivilegeError, asyncpg.ObjectInUseError):
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.1)


def execute_sql(database: Path | str, sql: str, *params: Any) -> None:
    """Run one statement (``?`` placeholders) on a test's database, whichever backend holds it.

    Blocking, like sqlite3: the PostgreSQL statement runs on a thread with its own event loop, so a
    test calls it between actions as it would a SQLite edit.
    """
    path = _sqlite_path(database)
    if path is not None:
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute(sql, params)
        return
    url = postgres_url(database)
    assert url is not None, database
    numbered = iter(range(1, sql.count("?") + 1))
    statement = re.sub(r"\?", lambda _: f"${next(numbered)}", sql)

    async def run() -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            await connection.execute(statement, *params)
        finally:
            await connection.close()

    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # handed to the test's thread below
            errors.append(exc)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
