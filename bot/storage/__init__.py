"""Persistent state behind one small interface (:class:`Storage`)."""

from bot.storage.base import Storage
from bot.storage.records import BoardRow, OpenRound
from bot.storage.sqlite import DatabaseError, SqliteStorage

__all__ = ["BoardRow", "DatabaseError", "OpenRound", "SqliteStorage", "Storage"]
