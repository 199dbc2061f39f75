"""A consistent copy of the database, safe to take while the bot is running: SQLite's online backup,
or PostgreSQL's pg_dump."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bot.storage.errors import StorageError
from bot.storage.factory import postgres_url, sqlite_path
from bot.storage.postgres import describe

BUSY_TIMEOUT_MS = 10_000


class BackupError(RuntimeError):
    """The backup could not be made; the message says why."""


def back_up(database: str | Path, target: Path, overwrite: bool = False) -> str:
    """Back up whichever database ``database`` names to ``target``; returns the line saying what was done."""
    url = postgres_url(database)
    if url is None:
        pages = backup_database(database, target, overwrite)
        return f"Backed up {database} to {target} ({pages} pages, integrity ok)"
    size = dump_postgres(url, target, overwrite)
    return f"Backed up {describe(url)} to {target} ({size} bytes, pg_dump custom format: restore with pg_restore)"


def dump_postgres(url: str, target: Path, overwrite: bool = False) -> int:
    """``pg_dump --format=custom`` of the database at ``url`` into ``target``; returns its size in bytes.

    pg_dump reads one consistent snapshot while the bot writes. The password goes to it in the
    environment, never on its command line (where any user could read it).
    """
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("backing up PostgreSQL needs pg_dump, which is not on PATH; install the PostgreSQL client tools (e.g. apt-get install postgresql-client)")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another path or pass --force")
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = parts.password
        netloc = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username}@{netloc}" if parts.username else netloc)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    done = subprocess.run(
        [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={urlunsplit(parts)}"],
        env=env, capture_output=True, text=True,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        raise BackupError(f"pg_dump of {describe(url)} failed: {reason}")
    partial.replace(target)
    return target.stat().st_size


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
