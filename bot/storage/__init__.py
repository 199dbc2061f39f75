"""Persistent state behind one small interface (:class:`Storage`); every backend raises :class:`StorageError`."""

from bot.storage.base import Storage
from bot.storage.errors import StorageError
from bot.storage.factory import create_storage
from bot.storage.records import BoardFilter, BoardRow, OpenRound, PlayerStats
from bot.storage.sqlite import SqliteStorage

__all__ = ["BoardFilter", "BoardRow", "OpenRound", "PlayerStats", "SqliteStorage", "Storage", "StorageError", "create_storage"]
