"""PostgreSQL errors become StorageError, busy exactly for those a later try may get past."""

from __future__ import annotations

import asyncpg
import pytest

from bot.storage import StorageError
from bot.storage.postgres import _translated, describe

BUSY = [
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
]
NOT_BUSY = [
    asyncpg.exceptions.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.exceptions.InvalidPasswordError('password authentication failed for user "bot"'),
    asyncpg.exceptions.UndefinedTableError('relation "nope" does not exist'),
]


@pytest.mark.parametrize("error", BUSY + NOT_BUSY, ids=lambda e: type(e).__name__)
def test_driver_errors_become_storage_errors_busy_only_when_transient(error: BaseException) -> None:
    with pytest.raises(StorageError) as raised:
        with _translated():
            raise error
    assert raised.value.busy is (error in BUSY)
    assert raised.value.__cause__ is error and str(raised.value)


def test_a_database_is_named_without_its_password() -> None:
    assert describe("postgresql://bot:s3cret@db.example:6543/trivia") == "bot@db.example:6543/trivia"
    assert describe("postgresql://db.example/trivia") == "db.example:5432/trivia"
    assert describe("postgresql://bot:s3cret@db.example:notaport/trivia") == "(an unreadable PostgreSQL URL)"
