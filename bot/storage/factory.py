"""Which storage backend a ``TRIVIA_DATABASE`` value names, built but not opened.

Accepted today:

- a plain file path (``data/trivia.sqlite3``) or an ``os.PathLike``: SQLite in that file;
- ``sqlite:///relative/path``, ``sqlite:////absolute/path`` (the SQLAlchemy spelling) and
  ``sqlite:///:memory:``: SQLite;
- ``postgresql://...``: refused for now (it is planned).

Adding a backend is one branch in :func:`create_storage`.
"""

from __future__ import annotations

import os

from bot.storage.base import Storage
from bot.storage.errors import StorageError
from bot.storage.sqlite import SqliteStorage

SQLITE_PREFIX = "sqlite://"


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


def create_storage(database: str | os.PathLike[str]) -> Storage:
    """The unopened backend for a database setting (see the module docstring); call ``open()`` on it.

    Raises :class:`StorageError` with a one-line explanation for a scheme it does not know.
    """
    path = sqlite_path(database)
    if path is not None:
        return SqliteStorage(path)
    scheme = str(database).split("://", 1)[0].lower()  # never echo the rest: it may hold a password
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        raise StorageError("TRIVIA_DATABASE: PostgreSQL is not supported yet; use a file path or sqlite:///path")
    raise StorageError(f"TRIVIA_DATABASE: unknown database scheme {scheme + '://'!r}; use a file path or sqlite:///path")
