"""The player names a SQLite database is known to hold, so a round close writes only new or changed ones.

Looking up a thousand unchanged names cost a close more than a millisecond. Only this process writes a
SQLite database while the bot runs (it holds the database's lock file), so what it has committed is what
the file holds. PostgreSQL has no such cache: several processes may write one database there.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.game.rounds import PlayerOutcome

KNOWN_NAMES_LIMIT = 200_000  # forgotten all at once past this: a miss only costs a lookup


class KnownNames:
    def __init__(self, limit: int = KNOWN_NAMES_LIMIT) -> None:
        self._names: dict[tuple[int, int], str] = {}
        self._limit = limit

    def to_write(self, guild_id: int, outcomes: Iterable[PlayerOutcome]) -> list[tuple[int, int, str]]:
        """(guild, user, name) for each named player whose name the database may not hold yet."""
        names = self._names
        return [(guild_id, o.user_id, o.name) for o in outcomes if o.name and names.get((guild_id, o.user_id)) != o.name]

    def committed(self, rows: list[tuple[int, int, str]]) -> None:
        """``rows`` (from :meth:`to_write`) are in the database now."""
        if len(self._names) + len(rows) > self._limit:
            self._names.clear()
        self._names.update(((guild_id, user_id), name) for guild_id, user_id, name in rows)

    def __len__(self) -> int:
        return len(self._names)
