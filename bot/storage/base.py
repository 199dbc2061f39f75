"""The one interface the rest of the bot uses to keep state."""

from __future__ import annotations

from typing import Protocol

from bot.game.highlights import PlayedRound
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.storage.records import (
    BoardFilter, BoardRow, CustomPackRecord, GameRecord, HiddenPick, OpenRound, PlayerStats,
)


class Storage(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    async def start_game(
        self, guild_id: int, channel_id: int, host_id: int, questions: int, at: float, options: str = "{}"
    ) -> int: ...

    async def unfinished_games(self) -> list[GameRecord]:
        """Games that never ended: the bot stopped while they ran."""
        ...

    async def game_outcomes(self, game_id: int) -> list[list[PlayerOutcome]]: ...

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

    async def save_hidden_pick(self, round_id: int, pick: HiddenPick) -> None:
        """Keep a player's current secret answer on an open round (replacing their earlier one)."""
        ...

    async def hidden_picks(self, round_id: int) -> list[HiddenPick]: ...

    async def open_rounds(self) -> list[OpenRound]: ...

    async def leaderboard(self, guild_id: int, board: BoardFilter = BoardFilter(), limit: int = 10, offset: int = 0) -> list[BoardRow]: ...

    async def leaderboard_size(self, guild_id: int, board: BoardFilter = BoardFilter()) -> int: ...

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
