"""Opening the storage backend a database setting names (placeholder until the storage branch lands)."""

from __future__ import annotations

import os

from bot.storage.base import Storage
from bot.storage.sqlite import SqliteStorage


def create_storage(database: str | os.PathLike[str]) -> Storage:
    return SqliteStorage(database)
