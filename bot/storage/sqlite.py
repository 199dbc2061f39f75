"""SQLite storage through aiosqlite: WAL mode, one transaction per round close."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Iterable

import aiosqlite

from bot.game.highlights import PlayedRound
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.storage.migrations import MIGRATIONS
from bot.storage.records import (
    BoardFilter, BoardRow, CustomPackRecord, GameRecord, HiddenPick, OpenRound, PlayerStats,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
BEGIN_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 0.5


async def _run(db: aiosqlite.Connection, sql: str, params: Iterable[object] = ()) -> tuple[int, int]:
    """Execute one statement and close its cursor (an open cursor blocks COMMIT)."""
    cursor = await db.execute(sql, tuple(params))
    try:
        return cursor.lastrowid or 0, cursor.rowcount
    finally:
        await cursor.close()


async def _run_many(db: aiosqlite.Connection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        cursor = await db.executemany(sql, rows)
        await cursor.close()


class DatabaseError(RuntimeError):
    """The database could not be opened or upgraded."""


class SqliteStorage:
    def __init__(self, path: str | Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._db: aiosqlite.Connection | None = None
        # One connection is shared by every game; the lock keeps each
        # transaction's statements together.
        self._lock = asyncio.Lock()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("storage is not open")
        return self._db

    async def open(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = await aiosqlite.connect(self.path, isolation_level=None)
            await _run(self._db, f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await _run(self._db, "PRAGMA journal_mode = WAL")
            await _run(self._db, "PRAGMA synchronous = NORMAL")
            await _run(self._db, "PRAGMA foreign_keys = ON")
            await self._migrate()
        except Exception as exc:
            await self.close()  # a refused database must not leave its connection thread running
            if isinstance(exc, aiosqlite.Error):
                raise DatabaseError(f"cannot open the database {self.path}: {exc}") from exc
            raise

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise DatabaseError(
                f"the database is at schema version {current}, newer than this bot ({len(MIGRATIONS)}); update the bot"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            async with self._transaction() as db:
                for statement in MIGRATIONS[version - 1]:
                    await _run(db, statement)
                await _run(db, f"PRAGMA user_version = {version}")
            log.info("database upgraded to schema version %d", version)

    async def _begin(self, db: aiosqlite.Connection) -> None:
        """Start a write transaction, retrying a few times while another process holds the lock.

        SQLite already waits up to the busy timeout; the retries cover a busy
        backup or a second bot process holding the write lock a little longer.
        """
        for attempt in range(1, BEGIN_ATTEMPTS + 1):
            try:
                await _run(db, "BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if attempt == BEGIN_ATTEMPTS:
                    raise DatabaseError(
                        f"the database {self.path} stayed locked by another process; is a second bot running on it?"
                    ) from exc
                log.warning("database busy (attempt %d of %d); retrying", attempt, BEGIN_ATTEMPTS)
                await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            db = self.db
            await self._begin(db)
            try:
                yield db
            except BaseException:
                await _run(db, "ROLLBACK")
                raise
            await _run(db, "COMMIT")

    async def _fetch(self, sql: str, params: Iterable[object] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            async with self.db.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())

    async def get_meta(self, key: str) -> str | None:
        rows = await self._fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self._transaction() as db:
            await _run(
                db,
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def start_game(
        self, guild_id: int, channel_id: int, host_id: int, questions: int, at: float, options: str = "{}"
    ) -> int:
        async with self._transaction() as db:
            game_id, _ = await _run(
                db,
                """INSERT INTO games (guild_id, channel_id, host_id, started_at, questions_planned, options)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (guild_id, channel_id, host_id, at, questions, options),
            )
            return game_id

    async def unfinished_games(self) -> list[GameRecord]:
        rows = await self._fetch(
            """SELECT g.id, g.guild_id, g.channel_id, g.host_id, g.questions_planned, g.options,
                      (SELECT COUNT(*) FROM rounds AS r WHERE r.game_id = g.id AND r.status != 'open')
               FROM games AS g WHERE g.ended_at IS NULL ORDER BY g.id"""
        )
        return [GameRecord(*r) for r in rows]

    async def game_outcomes(self, game_id: int) -> list[list[PlayerOutcome]]:
        """Every closed round's saved answers, oldest round first (to rebuild a game's standings)."""
        rows = await self._fetch(
            """SELECT a.round_id, a.user_id, COALESCE(p.name, ''), a.choice, a.correct, a.points, a.response_ms, a.streak
               FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
               LEFT JOIN players AS p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
               WHERE r.game_id = ? ORDER BY a.round_id""",
            (game_id,),
        )
        rounds: dict[int, list[PlayerOutcome]] = {}
        for round_id, *fields in rows:
            user_id, name, choice, correct, points, response_ms, streak = fields
            rounds.setdefault(round_id, []).append(
                PlayerOutcome(user_id, name, choice, bool(correct), points, response_ms, streak)
            )
        return list(rounds.values())

    async def played_rounds(self, game_id: int) -> list[PlayedRound]:
        rows = await self._fetch(
            """SELECT r.id, r.question_id, a.user_id, COALESCE(p.name, ''), a.choice, a.correct, a.points,
                      a.response_ms, a.streak
               FROM rounds AS r
               LEFT JOIN answers AS a ON a.round_id = r.id
               LEFT JOIN players AS p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
               WHERE r.game_id = ? AND r.status = 'closed' ORDER BY r.id""",
            (game_id,),
        )
        questions: dict[int, str] = {}
        outcomes: dict[int, list[PlayerOutcome]] = {}
        for round_id, question_id, user_id, name, choice, correct, points, response_ms, streak in rows:
            questions[round_id] = question_id
            answers = outcomes.setdefault(round_id, [])
            if user_id is not None:
                answers.append(PlayerOutcome(user_id, name, choice, bool(correct), points, response_ms, streak))
        return [PlayedRound(questions[r], tuple(outcomes[r])) for r in questions]

    async def end_game(self, game_id: int, at: float) -> None:
        async with self._transaction() as db:
            await _run(db, "UPDATE games SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (at, game_id))

    async def open_round(self, round_: OpenRound) -> int:
        async with self._transaction() as db:
            round_id, _ = await _run(
                db,
                """INSERT INTO rounds (game_id, guild_id, channel_id, message_id, question_id, choice_order,
                                       seconds, opened_at, deadline, category)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    round_.game_id, round_.guild_id, round_.channel_id, round_.message_id, round_.question_id,
                    json.dumps(list(round_.choice_order)), round_.seconds, round_.opened_at, round_.deadline,
                    round_.category,
                ),
            )
            return round_id

    async def close_round(self, round_id: int, guild_id: int, result: RoundResult, opened_at: float, closed_at: float) -> None:
        async with self._transaction() as db:
            _, changed = await _run(
                db,
                "UPDATE rounds SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
                (closed_at, round_id),
            )
            if changed != 1:
                raise RuntimeError(f"round {round_id} is not open; refusing to score it twice")
            await _run(db, "DELETE FROM hidden_picks WHERE round_id = ?", (round_id,))
            await _run_many(
                db,
                """INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms,
                                        answered_at, streak)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (round_id, guild_id, o.user_id, o.choice, int(o.correct), o.points, o.response_ms,
                     opened_at + o.response_ms / 1000, o.streak)
                    for o in result.outcomes
                ],
            )
            if result.outcomes:
                await _run(
                    db,
                    """INSERT INTO question_stats (question_id, answered, correct) VALUES (?, ?, ?)
                       ON CONFLICT (question_id) DO UPDATE SET answered = answered + excluded.answered,
                                                               correct = correct + excluded.correct""",
                    (result.asked.question.id, len(result.outcomes), len(result.winners)),
                )
            await _run_many(
                db,
                """INSERT INTO players (guild_id, user_id, name) VALUES (?, ?, ?)
                   ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name""",
                [(guild_id, o.user_id, o.name) for o in result.outcomes if o.name],
            )

    async def void_round(self, round_id: int, closed_at: float) -> None:
        async with self._transaction() as db:
            await _run(
                db,
                "UPDATE rounds SET status = 'void', closed_at = ? WHERE id = ? AND status = 'open'",
                (closed_at, round_id),
            )
            await _run(db, "DELETE FROM hidden_picks WHERE round_id = ?", (round_id,))

    async def save_hidden_pick(self, round_id: int, pick: HiddenPick) -> None:
        async with self._transaction() as db:
            await _run(
                db,
                """INSERT INTO hidden_picks (round_id, user_id, choice, seconds, name) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (round_id, user_id) DO UPDATE
                   SET choice = excluded.choice, seconds = excluded.seconds, name = excluded.name""",
                (round_id, pick.user_id, pick.choice, pick.seconds, pick.name),
            )

    async def hidden_picks(self, round_id: int) -> list[HiddenPick]:
        rows = await self._fetch(
            "SELECT user_id, choice, seconds, name FROM hidden_picks WHERE round_id = ? ORDER BY seconds", (round_id,)
        )
        return [HiddenPick(*row) for row in rows]

    async def open_rounds(self) -> list[OpenRound]:
        rows = await self._fetch(
            """SELECT guild_id, channel_id, message_id, question_id, choice_order, seconds, opened_at, deadline,
                      game_id, id, category
               FROM rounds WHERE status = 'open' ORDER BY id"""
        )
        return [
            OpenRound(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6], r[7], r[8], r[9], r[10])
            for r in rows
        ]

    # Per-player totals over the answers a filter selects; "reached" is when the total was last raised,
    # which breaks ties in favour of whoever got there first.
    _TOTALS = """
        SELECT a.user_id, SUM(a.points) AS points, SUM(a.correct) AS correct, COUNT(*) AS answered,
               MAX(CASE WHEN a.points > 0 THEN a.answered_at END) AS reached
        FROM answers AS a {join}
        WHERE a.guild_id = ? {where}
        GROUP BY a.user_id"""
    _ORDER = "ORDER BY t.points DESC, t.reached ASC NULLS LAST, t.user_id"

    def _totals(self, guild_id: int, board: BoardFilter) -> tuple[str, list[object]]:
        params: list[object] = [guild_id]
        join = where = ""
        if board.game_id is not None:
            join = "JOIN rounds AS r ON r.id = a.round_id"
            where += " AND r.game_id = ?"
            params.append(board.game_id)
        if board.since is not None:
            where += " AND a.answered_at >= ?"
            params.append(board.since)
        return self._TOTALS.format(join=join, where=where), params

    async def leaderboard(self, guild_id: int, board: BoardFilter = BoardFilter(), limit: int = 10, offset: int = 0) -> list[BoardRow]:
        totals, params = self._totals(guild_id, board)
        rows = await self._fetch(
            f"""SELECT t.user_id, COALESCE(p.name, ''), t.points, t.correct, t.answered
                FROM ({totals}) AS t
                LEFT JOIN players AS p ON p.guild_id = ? AND p.user_id = t.user_id
                {self._ORDER} LIMIT ? OFFSET ?""",
            [*params, guild_id, limit, offset],
        )
        return [BoardRow(offset + i + 1, *r) for i, r in enumerate(rows)]

    async def leaderboard_size(self, guild_id: int, board: BoardFilter = BoardFilter()) -> int:
        totals, params = self._totals(guild_id, board)
        rows = await self._fetch(f"SELECT COUNT(*) FROM ({totals})", params)
        return int(rows[0][0])

    async def leaderboard_row(self, guild_id: int, user_id: int, board: BoardFilter = BoardFilter()) -> BoardRow | None:
        totals, params = self._totals(guild_id, board)
        rows = await self._fetch(
            f"""WITH t AS ({totals}), ranked AS (SELECT t.*, ROW_NUMBER() OVER ({self._ORDER}) AS rank FROM t)
                SELECT ranked.rank, ranked.user_id, COALESCE(p.name, ''), ranked.points, ranked.correct, ranked.answered
                FROM ranked LEFT JOIN players AS p ON p.guild_id = ? AND p.user_id = ranked.user_id
                WHERE ranked.user_id = ?""",
            [*params, guild_id, user_id],
        )
        return BoardRow(*rows[0]) if rows else None

    async def last_game_id(self, guild_id: int) -> int | None:
        rows = await self._fetch(
            """SELECT g.id FROM games AS g
               WHERE g.guild_id = ? AND g.ended_at IS NOT NULL
                 AND EXISTS (SELECT 1 FROM rounds AS r WHERE r.game_id = g.id AND r.status = 'closed')
               ORDER BY g.ended_at DESC, g.id DESC LIMIT 1""",
            (guild_id,),
        )
        return rows[0][0] if rows else None

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats | None:
        totals, params = self._totals(guild_id, BoardFilter())
        rows = await self._fetch(
            f"""WITH t AS ({totals}),
                     ranked AS (SELECT t.*, ROW_NUMBER() OVER ({self._ORDER}) AS rank FROM t)
                SELECT ranked.points, ranked.rank, ranked.answered, ranked.correct,
                       (SELECT MAX(streak) FROM answers WHERE guild_id = ? AND user_id = ?),
                       (SELECT MIN(response_ms) FROM answers WHERE guild_id = ? AND user_id = ? AND correct = 1),
                       (SELECT r.category FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
                         WHERE a.guild_id = ? AND a.user_id = ? AND r.category != ''
                         GROUP BY r.category ORDER BY SUM(a.correct) DESC, COUNT(*) DESC, r.category LIMIT 1),
                       COALESCE((SELECT name FROM players WHERE guild_id = ? AND user_id = ?), '')
                FROM ranked WHERE ranked.user_id = ?""",
            [*params, *(guild_id, user_id) * 4, user_id],
        )
        if not rows:
            return None
        points, rank, answered, correct, best, fastest, favourite, name = rows[0]
        return PlayerStats(user_id, name, points, rank, answered, correct, best or 0, fastest, favourite)

    async def server_settings(self, guild_id: int, defaults: ServerSettings) -> ServerSettings:
        rows = await self._fetch("SELECT settings FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return ServerSettings.from_json(rows[0][0], defaults) if rows else defaults

    async def save_server_settings(self, guild_id: int, settings: ServerSettings) -> None:
        async with self._transaction() as db:
            await _run(
                db,
                """INSERT INTO guild_settings (guild_id, settings) VALUES (?, ?)
                   ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings""",
                (guild_id, settings.to_json()),
            )

    async def question_record(self, question_id: str) -> tuple[int, int]:
        rows = await self._fetch("SELECT answered, correct FROM question_stats WHERE question_id = ?", (question_id,))
        return (rows[0][0], rows[0][1]) if rows else (0, 0)

    async def asked_questions(self, guild_id: int) -> set[str]:
        rows = await self._fetch(
            "SELECT DISTINCT question_id FROM rounds WHERE guild_id = ? AND status != 'void'", (guild_id,)
        )
        return {r[0] for r in rows}

    _PACK_COLUMNS = "guild_id, name, yaml, question_count, uploaded_by, uploaded_at"

    async def save_custom_pack(self, pack: CustomPackRecord) -> None:
        async with self._transaction() as db:
            await _run(
                db,
                f"""INSERT INTO custom_packs ({self._PACK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (guild_id, name) DO UPDATE SET
                        name = excluded.name, yaml = excluded.yaml, question_count = excluded.question_count,
                        uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at""",
                (pack.guild_id, pack.name, pack.yaml, pack.question_count, pack.uploaded_by, pack.uploaded_at),
            )

    async def custom_packs(self, guild_id: int) -> list[CustomPackRecord]:
        rows = await self._fetch(
            f"SELECT {self._PACK_COLUMNS} FROM custom_packs WHERE guild_id = ? ORDER BY name", (guild_id,)
        )
        return [CustomPackRecord(*r) for r in rows]

    async def custom_pack(self, guild_id: int, name: str) -> CustomPackRecord | None:
        rows = await self._fetch(
            f"SELECT {self._PACK_COLUMNS} FROM custom_packs WHERE guild_id = ? AND name = ?", (guild_id, name)
        )
        return CustomPackRecord(*rows[0]) if rows else None

    async def delete_custom_pack(self, guild_id: int, name: str) -> bool:
        async with self._transaction() as db:
            _, deleted = await _run(db, "DELETE FROM custom_packs WHERE guild_id = ? AND name = ?", (guild_id, name))
            return deleted > 0
