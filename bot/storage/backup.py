"""A consistent copy of the database, safe to take while the bot is running."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.storage.errors import StorageError
from bot.storage.factory import sqlite_path

BUSY_TIMEOUT_MS = 10_000


class BackupError(RuntimeError):
    """The backup could not be made; the message says why."""


def backup_database(database: str | Path, target: Path, overwrite: bool = False) -> int:
    """Copy ``database`` (a path or ``sqlite:///path``) to ``target`` with SQLite's online backup API;
    returns the pages copied.

    The copy is a single consistent snapshot even while the bot writes (WAL mode).
    """
    try:
        path = sqlite_path(database)
    except StorageError as exc:
        raise BackupError(str(exc)) from exc
    if path is None or path == ":memory:":
        raise BackupError("backup copies a SQLite database file; TRIVIA_DATABASE names another kind of database")
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"no database at {source}; set TRIVIA_DATABASE or pass --database")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another path or pass --force")
    if target.resolve() == source.resolve():
        raise BackupError("the backup must not overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            src.backup(dst)
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"the copy at {target} failed SQLite's integrity check")
            return int(pages)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from exc
