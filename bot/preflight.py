"""Checks made before the bot connects to Discord: every problem a host can fix is found at once and
reported one line each, before any call to Discord (a database server gets one short connection),
instead of after a login or as a traceback."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.questions import load_packs
from bot.settings import Settings, SettingsError
from bot.storage.errors import StorageError
from bot.storage.factory import create_storage, server_problem, sqlite_path


def startup_problems(settings: Settings) -> list[str]:
    """One line per problem with the token, the database, the questions folder and the log file."""
    problems: list[str] = []
    try:
        settings.check_token()
    except SettingsError as exc:
        problems.append(str(exc))
    problems += database_problems(settings.database)
    problems += questions_problems(settings.questions_dir)
    if settings.log_file is not None:
        problems += writable_file_problems("TRIVIA_LOG_FILE", settings.log_file)
    return problems


def database_problems(database: str | os.PathLike[str]) -> list[str]:
    """The database setting names a backend the bot knows, and a database file it can create or write
    (or a server that accepts a short connection)."""
    try:
        path = sqlite_path(database)
        if path is None:
            create_storage(database)  # not a file: the backend says whether it knows the URL
            problem = asyncio.run(server_problem(database))
            return [] if problem is None else [problem]
    except StorageError as exc:
        return [str(exc)]
    if path == ":memory:":
        return []
    return writable_file_problems("TRIVIA_DATABASE", Path(path))


def writable_file_problems(setting: str, path: Path) -> list[str]:
    """``path`` can be created (its folder too) or, if it exists, read and written by this user."""
    where = f"{setting}={path}"
    if path.is_dir():
        return [f"{where} is a folder; name a file inside it instead (paths are relative to the working directory)"]
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return [f"{where}: cannot create the folder {path.parent}, because {existing} is a file"]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [f"{where}: this user may not create files in {existing}; pick another place or change its permissions"]
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return [f"{where}: this user may not read and write the file; change its owner or permissions"]
    return []


def questions_problems(folder: Path) -> list[str]:
    """The questions folder exists and holds at least one playable question (a bot with none would
    start, answer every /trivia with an apology and look broken)."""
    where = f"TRIVIA_QUESTIONS_DIR={folder}"
    if not folder.exists():
        return [f"{where}: no such folder (paths are relative to the working directory, {Path.cwd()})"]
    if not folder.is_dir():
        return [f"{where} is a file; name the folder that holds the packs (*.yaml)"]
    report = load_packs([folder])
    if report.questions:
        return []
    if not report.rejected:
        return [f"{where}: no question packs (*.yaml) in this folder, so there is nothing to ask"]
    return [f"{where}: no playable questions, every pack has errors; run `trivia-night validate {folder}` to see them"]
