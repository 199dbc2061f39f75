"""Which storage backend a ``TRIVIA_DATABASE`` value names, built but not opened.

Accepted today:

- a plain file path (``data/trivia.sqlite3``) or an ``os.PathLike``: SQLite in that file;
- ``sqlite:///relative/path``, ``sqlite:////absolute/path`` (the SQLAlchemy spelling) and
  ``sqlite:///:memory:``: SQLite;
- ``postgresql://user:password@host:port/dbname`` (also ``postgres://`` and SQLAlchemy's
  ``postgresql+asyncpg://``): PostgreSQL on that server (:mod:`bot.storage.postgres`).

Adding a backend is one branch in :func:`create_storage`.
"""

from __future__ import annotations

import os

from bot.storage.base import Storage
from bot.storage.errors import StorageError
from bot.storage.postgres import PostgresStorage, connection_problem
from bot.storage.sqlite import SqliteStorage

SQLITE_PREFIX = "sqlite://"
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_url(database: str | os.PathLike[str]) -> bool:
    """True for ``scheme://...``; a plain path (even ``C:\\...``) is not a URL."""
    return not isinstance(database, os.PathLike) and "://" in str(database)


def sqlite_path(database: str | os.PathLike[str]) -> str | None:
    """The SQLite file (or ``:memory:``) a database setting names; None if it names another backend."""
    if not is_url(database):
        return os.fspath(database)
    text = str(database)
    if not text.lower().startswith(SQLITE_PREFIX):
        return None
    rest = text[len(SQLITE_PREFIX):]
    if not rest.startswith("/") or rest == "/":
        raise StorageError(
            f"TRIVIA_DATABASE={text!r} has no file: write sqlite:///relative/path, sqlite:////absolute/path or sqlite:///:memory:"
        )
    return rest[1:]


def postgres_url(database: str | os.PathLike[str]) -> str | None:
    """The URL to hand asyncpg if the setting names a PostgreSQL database, else None."""
    if not is_url(database):
        return None
    scheme, rest = str(database).split("://", 1)
    scheme = scheme.lower()
    if scheme in POSTGRES_SCHEMES or scheme.startswith("postgresql+"):
        return f"postgresql://{rest}"
    return None


def create_storage(database: str | os.PathLike[str]) -> Storage:
    """The unopened backend for a database setting (see the module docstring); call ``open()`` on it.

    Raises :class:`StorageError` with a one-line explanation for a scheme it does not know.
    """
    path = sqlite_path(database)
    if path is not None:
        return SqliteStorage(path)
    url = postgres_url(database)
    if url is not None:
        return PostgresStorage(url)
    scheme = str(database).split("://", 1)[0].lower()  # never echo the rest: it may hold a password
    raise StorageError(
        f"TRIVIA_DATABASE: unknown database scheme {scheme + '://'!r}; use a file path or sqlite:///path, "
        "or postgresql://user:password@host/dbname"
    )


async def server_problem(database: str | os.PathLike[str]) -> str | None:
    """For a database on a server: one line if a short connection to it fails (unreachable, refused
    credentials, no such database); None when it connects, or for a database in a file."""
    url = postgres_url(database)
    return None if url is None else await connection_problem(url)
