"""Persistent state behind one small interface (:class:`Storage`)."""

from bot.storage.base import Storage
from bot.storage.records import BoardFilter, BoardRow, OpenRound, PlayerStats
from bot.storage.sqlite import DatabaseError, SqliteStorage

__all__ = ["BoardFilter", "BoardRow", "PlayerStats", "DatabaseError", "OpenRound", "SqliteStorage", "Storage"]
