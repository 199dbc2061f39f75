"""The one interface the rest of the bot uses to keep state."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from bot.game.highlights import PlayedRound
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.storage.records import (
    Announcement,
    BoardFilter,
    BoardRow,
    CustomPackRecord,
    GameRecord,
    HiddenPick,
    OpenRound,
    PlayerStats,
    RoundRecord,
    ScheduleRecord,
)


class Storage(Protocol):
    """What the bot keeps, whatever database holds it. Every method raises only
    :class:`bot.storage.StorageError` (``busy`` when a later try may succeed); tests/contract checks
    any backend against this protocol."""

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def claim(self, shard_ids: Collection[int] | None = None) -> None:
        """Make this process the only bot on the database, or on its slice ``shard_ids`` of the gateway
        shards, until it closes (calling again is harmless). Processes with disjoint slices may share a
        database that can tell them apart (PostgreSQL); SQLite's claim is always the whole database.

        Raises :class:`StorageError` saying so when another process holds it (or one of the shards).
        """
        ...

    def identify_turn(self, bucket: int) -> AbstractAsyncContextManager[None]:
        """``async with storage.identify_turn(bucket):`` waits for, and holds, the turn to IDENTIFY with
        Discord in a gateway concurrency bucket, across every process on this database."""
        ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    async def start_game(
        self, guild_id: int, channel_id: int, host_id: int, questions: int, at: float, options: str = "{}"
    ) -> int: ...

    async def unfinished_games(self) -> list[GameRecord]:
        """Games that never ended: the bot stopped while they ran."""
        ...

    async def games(self, guild_id: int) -> list[GameRecord]:
        """A server's games, oldest first, finished or not (``ended_at`` is None for a running one)."""
        ...

    async def game_rounds(self, game_id: int) -> list[RoundRecord]:
        """A game's rounds in the order they were asked, whatever their status."""
        ...

    async def game_outcomes(self, game_id: int) -> list[list[PlayerOutcome]]:
        """Every scored round's saved answers, oldest round first (to rebuild a game's standings)."""
        ...

    async def played_rounds(self, game_id: int) -> list[PlayedRound]:
        """A game's scored rounds, oldest first, each with its question and answers (for the night's highlights)."""
        ...

    async def end_game(self, game_id: int, at: float) -> None: ...

    async def open_round(self, round_: OpenRound) -> int:
        """Save a posted question; returns the round id."""
        ...

    async def close_round(self, round_id: int, guild_id: int, result: RoundResult, opened_at: float, closed_at: float) -> None:
        """Save every answer of a round and mark it closed, atomically."""
        ...

    async def void_round(self, round_id: int, closed_at: float) -> None: ...

    async def save_hidden_picks(self, round_id: int, picks: Sequence[HiddenPick]) -> None:
        """Keep players' current picks on an open round, each replacing that player's earlier one, in one
        write: secret answers as they come, and every tracked pick when the bot shuts down."""
        ...

    async def hidden_picks(self, round_id: int) -> list[HiddenPick]: ...

    async def open_rounds(self) -> list[OpenRound]: ...

    async def add_announcement(self, announcement: Announcement) -> None:
        """Keep a message to post in the outbox; adding the same (kind, key) again changes nothing."""
        ...

    async def pending_announcements(self) -> list[Announcement]:
        """The outbox: messages kept and not done with (unposted, or posted before their round was saved), oldest first."""
        ...

    async def announcement_posted(self, kind: str, key: int, at: float) -> None:
        """The message is up: it must never be posted again."""
        ...

    async def announcement_done(self, kind: str, key: int, at: float) -> None:
        """Take a message out of the outbox: it was posted and its round saved, or it can never be posted."""
        ...

    async def leaderboard(self, guild_id: int, board: BoardFilter = BoardFilter(), limit: int = 10, offset: int = 0) -> list[BoardRow]: ...

    async def leaderboard_size(self, guild_id: int, board: BoardFilter = BoardFilter()) -> int: ...

    async def rebuild_totals(self) -> int:
        """Recompute the running totals boards are served from out of the stored answers (voided rounds
        never count); returns how many totals were written. Boards read the same before and after."""
        ...

    async def leaderboard_row(self, guild_id: int, user_id: int, board: BoardFilter = BoardFilter()) -> BoardRow | None:
        """One player's row of a board, with their rank; None if they have no answers on it."""
        ...

    async def last_game_id(self, guild_id: int) -> int | None:
        """The most recent finished game that revealed at least one question."""
        ...

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats | None: ...

    async def server_settings(self, guild_id: int, defaults: ServerSettings) -> ServerSettings: ...

    async def save_server_settings(self, guild_id: int, settings: ServerSettings) -> None: ...

    async def question_record(self, question_id: str) -> tuple[int, int]:
        """(answers, correct answers) a question has had, over every server."""
        ...

    async def asked_questions(self, guild_id: int) -> set[str]: ...

    async def save_custom_pack(self, pack: CustomPackRecord) -> None:
        """Store a server's pack, replacing the one with the same name (ASCII case ignored)."""
        ...

    async def custom_packs(self, guild_id: int) -> list[CustomPackRecord]:
        """A server's custom packs, by name."""
        ...

    async def custom_pack(self, guild_id: int, name: str) -> CustomPackRecord | None:
        """One of a server's custom packs, the name matched without regard to ASCII case."""
        ...

    async def delete_custom_pack(self, guild_id: int, name: str) -> bool:
        """Remove one of a server's custom packs; False if it had none by that name."""
        ...

    async def add_schedule(self, schedule: ScheduleRecord) -> int:
        """Store a new schedule (its ``id`` is ignored); returns the id it got."""
        ...

    async def schedules(self, guild_id: int | None = None) -> list[ScheduleRecord]:
        """One server's schedules, or every server's, soonest night first."""
        ...

    async def update_schedule(self, schedule: ScheduleRecord) -> bool:
        """Save a schedule's next night (``next_at``, ``remind_at``, ``event_id``, ``game_id``); False if it is gone."""
        ...

    async def delete_schedule(self, guild_id: int, schedule_id: int) -> bool:
        """Remove one of a server's schedules; False if it had none with that id."""
        ...
