"""The one error type every storage backend raises, whatever database is behind it."""

from __future__ import annotations


class StorageError(RuntimeError):
    """The database could not do what was asked; the message says what failed.

    ``busy`` is set when another writer held the database and a later try may well succeed;
    callers retry those and report the others.
    """

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy
