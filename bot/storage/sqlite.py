"""SQLite storage through aiosqlite: WAL mode, one transaction per round close.

Every sqlite3/aiosqlite error is translated here into :class:`StorageError` (``busy`` when another
writer held the database), so nothing outside this module needs to know SQLite is behind the storage.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence, TypeVar

import aiosqlite

from bot.game.highlights import PlayedRound
from bot.game.periods import ALL_TIME_BUCKET, DAY_SECONDS, day_buckets, game_bucket
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.storage.errors import StorageError
from bot.storage.known_names import KnownNames
from bot.storage.migrations import FASTEST_RIGHT, MIGRATIONS, NEVER_REACHED, REBUILD_TOTALS, RECORD_COLUMNS, refuse_newer_schema
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
from bot.storage.rows import answered_at, board_bucket, open_round_from, played_rounds_from
from bot.storage.sqlite_checkpoints import BACKSTOP_PAGES, BackgroundCheckpoints
from bot.storage.sqlite_pages import choose_page_size, convert_page_size
from bot.storage.sqlite_threads import (
    close_or_warn,
    connect_in_background,
    in_thread,
    in_transaction,
    is_busy,
    run,
    run_many,
    storage_error,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
BEGIN_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 0.5
# The writer's page cache (SQLite's default is 2 MiB). A 1,000-answer close in a server of 50,000
# players touched some 700 pages (of 4 KiB, see sqlite_pages) across the totals and answers indexes; with 2 MiB most of them were
# read again from the OS at every close (32 MiB: 0.73x the close's time). Filled only as pages are used.
WRITER_CACHE_KIB = 32 * 1024


class SqliteStorage:
    def __init__(self, path: str | Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._checkpoints: BackgroundCheckpoints | None = None
        self._db: aiosqlite.Connection | None = None
        # The writer connection is shared by every game; the lock keeps each transaction's statements
        # together. Reads go to a connection of their own (WAL lets them run beside the writer), so a
        # big leaderboard never waits on a round close; an in-memory database has only the writer.
        self._lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        self._claim: int | None = None  # the open lock file while this process holds the database
        self._read_lock = asyncio.Lock()
        self._identify_locks: dict[int, asyncio.Lock] = {}
        self._names = KnownNames()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("storage is not open")
        return self._db

    async def open(self) -> None:
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = await aiosqlite.connect(self.path, isolation_level=None)
            except (sqlite3.Error, ValueError) as exc:
                raise storage_error(exc) from exc
            await run(self._db, f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await choose_page_size(self._db)
            await run(self._db, "PRAGMA journal_mode = WAL")
            await run(self._db, "PRAGMA synchronous = NORMAL")
            await run(self._db, "PRAGMA foreign_keys = ON")
            await run(self._db, f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
            await self._migrate()
            if self.path != ":memory:":
                await convert_page_size(self._db, self.path, self.busy_timeout_ms)
                self._reader = await connect_in_background(self.path, self.busy_timeout_ms)
                await run(self._reader, "PRAGMA query_only = ON")
                await run(self._db, f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
                self._checkpoints = BackgroundCheckpoints(self.path, self._lock)
                await self._checkpoints.open(self.busy_timeout_ms)
        except (StorageError, OSError) as exc:
            await self.close()  # a refused database must not leave its connection thread running
            raise StorageError(f"cannot open the database {self.path}: {exc}", busy=is_busy(exc)) from exc
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._checkpoints is not None:
            checkpoints, self._checkpoints = self._checkpoints, None
            await checkpoints.close()
        if self._reader is not None:
            reader, self._reader = self._reader, None
            await close_or_warn(reader, "reader", self.path)
        if self._db is not None:
            db, self._db = self._db, None
            try:
                await db.close()
            except (sqlite3.Error, ValueError) as exc:
                raise storage_error(exc) from exc
        if self._claim is not None:
            os.close(self._claim)  # closing the lock file releases the claim
            self._claim = None

    @property
    def lock_path(self) -> str:
        return self.path + ".lock"

    async def claim(self, shard_ids: Collection[int] | None = None) -> None:
        """An exclusive lock on a file beside the database, held while this storage is open.

        A POSIX record lock: the kernel drops it when the process dies, so a crash never leaves
        the database claimed, and it is per process, so a restart within one process keeps it.
        ``shard_ids`` changes nothing: a SQLite database serves one process, whatever its shards.
        """
        if self._claim is not None or self.path == ":memory:":
            return
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(f"cannot create the lock file {self.lock_path}: {exc.strerror}") from exc
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            cluster = "; processes sharing shards need PostgreSQL" if shard_ids is not None else ""
            raise StorageError(
                f"another trivia-night is already running on the database {self.path}; "
                f"stop it first (or give this one its own TRIVIA_DATABASE){cluster}"
            ) from exc
        self._claim = fd

    @asynccontextmanager
    async def identify_turn(self, bucket: int) -> AsyncIterator[None]:
        """The turn to IDENTIFY in a concurrency bucket: one process runs on a SQLite database, so an
        in-process lock per bucket is the whole cluster's."""
        lock = self._identify_locks.setdefault(bucket, asyncio.Lock())
        async with lock:
            yield

    async def schema_version(self) -> int:
        rows = await run(self.db, "PRAGMA user_version")
        return int(rows[0][0]) if rows else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        refuse_newer_schema(current)
        for version in range(current + 1, len(MIGRATIONS) + 1):
            log.info("upgrading the database to schema version %d", version)  # some take a while on big ones
            async with self._transaction() as db:
                for statement in MIGRATIONS[version - 1]:
                    await run(db, statement)
                await run(db, f"PRAGMA user_version = {version}")
            log.info("database upgraded to schema version %d", version)

    async def _unless_busy(self, start: Callable[[], Awaitable[T]]) -> T:
        """``start()``, retried a few times while another process holds the write lock.

        SQLite already waits up to the busy timeout; the retries cover a busy backup or a second bot
        process holding the write lock a little longer. ``start`` must change nothing when it fails busy.
        """
        attempt = 1
        while True:
            try:
                return await start()
            except StorageError as exc:
                if not exc.busy:
                    raise
                if attempt == BEGIN_ATTEMPTS:
                    raise StorageError(
                        f"the database {self.path} stayed locked by another process; is a second bot running on it?",
                        busy=True,
                    ) from exc
                log.warning("database busy (attempt %d of %d); retrying", attempt, BEGIN_ATTEMPTS)
                await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)
                attempt += 1

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            db = self.db
            await self._unless_busy(lambda: run(db, "BEGIN IMMEDIATE"))
            try:
                yield db
                await run(db, "COMMIT")
            except BaseException as exc:
                try:
                    await run(db, "ROLLBACK")
                except StorageError as rollback_error:
                    log.error("could not roll back a failed transaction on %s: %s", self.path, rollback_error)
                    if isinstance(exc, Exception) and not isinstance(exc, StorageError):
                        raise rollback_error from exc
                raise
            self._committed()

    async def _atomically(self, work: Callable[..., T], *args: object) -> T:
        """``work(connection, *args)`` as one transaction, BEGIN to COMMIT in a single hand-over to the
        writer's thread (a round close: each hand-over waits for the event loop and the GIL).

        A busy database is retried as a whole: a failed try has been rolled back and changed nothing.
        """
        async with self._lock:
            db = self.db
            result = await self._unless_busy(lambda: in_thread(db, in_transaction, work, *args))
            self._committed()
            return result

    def _committed(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.committed()

    async def _fetch(self, sql: str, params: Iterable[object] = ()) -> list[aiosqlite.Row]:
        if self._reader is None:
            async with self._lock:
                return await run(self.db, sql, params)
        async with self._read_lock:
            return await run(self._reader, sql, params)

    async def get_meta(self, key: str) -> str | None:
        rows = await self._fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self._transaction() as db:
            await run(
                db,
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def start_game(
        self, guild_id: int, channel_id: int, host_id: int, questions: int, at: float, options: str = "{}"
    ) -> int:
        async with self._transaction() as db:
            rows = await run(
                db,
                """INSERT INTO games (guild_id, channel_id, host_id, started_at, questions_planned, options)
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                (guild_id, channel_id, host_id, at, questions, options),
            )
            return int(rows[0][0])

    async def unfinished_games(self) -> list[GameRecord]:
        rows = await self._fetch(f"SELECT {self._GAME_COLUMNS} FROM games AS g WHERE g.ended_at IS NULL ORDER BY g.id")
        return [GameRecord(*r) for r in rows]

    _GAME_COLUMNS = """g.id, g.guild_id, g.channel_id, g.host_id, g.questions_planned, g.options,
                      (SELECT COUNT(*) FROM rounds AS r WHERE r.game_id = g.id AND r.status != 'open'), g.ended_at"""

    async def games(self, guild_id: int) -> list[GameRecord]:
        rows = await self._fetch(f"SELECT {self._GAME_COLUMNS} FROM games AS g WHERE g.guild_id = ? ORDER BY g.id", (guild_id,))
        return [GameRecord(*r) for r in rows]

    async def game_rounds(self, game_id: int) -> list[RoundRecord]:
        rows = await self._fetch(
            """SELECT id, game_id, question_id, status, opened_at, closed_at, category
               FROM rounds WHERE game_id = ? ORDER BY id""",
            (game_id,),
        )
        return [RoundRecord(*r) for r in rows]

    async def game_outcomes(self, game_id: int) -> list[list[PlayerOutcome]]:
        """Every closed round's saved answers, oldest round first, an empty list for a round nobody
        answered (to rebuild a game's standings, streaks and unanswered-in-a-row count)."""
        rows = await self._fetch(
            """SELECT r.id, a.user_id, COALESCE(p.name, ''), a.choice, a.correct, a.points, a.response_ms, a.streak
               FROM rounds AS r LEFT JOIN answers AS a ON a.round_id = r.id
               LEFT JOIN players AS p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
               WHERE r.game_id = ? AND r.status = 'closed' ORDER BY r.id""",
            (game_id,),
        )
        rounds: dict[int, list[PlayerOutcome]] = {}
        for round_id, *fields in rows:
            user_id, name, choice, correct, points, response_ms, streak = fields
            answers = rounds.setdefault(round_id, [])
            if user_id is not None:
                answers.append(PlayerOutcome(user_id, name, choice, bool(correct), points, response_ms, streak))
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
        return played_rounds_from(rows)

    async def end_game(self, game_id: int, at: float) -> None:
        async with self._transaction() as db:
            await run(db, "UPDATE games SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (at, game_id))

    async def open_round(self, round_: OpenRound) -> int:
        async with self._transaction() as db:
            rows = await run(
                db,
                """INSERT INTO rounds (game_id, guild_id, channel_id, message_id, question_id, choice_order,
                                       seconds, opened_at, deadline, category)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                (
                    round_.game_id, round_.guild_id, round_.channel_id, round_.message_id, round_.question_id,
                    json.dumps(list(round_.choice_order)), round_.seconds, round_.opened_at, round_.deadline,
                    round_.category,
                ),
            )
            return int(rows[0][0])

    async def close_round(self, round_id: int, guild_id: int, result: RoundResult, opened_at: float, closed_at: float) -> None:
        names = self._names.to_write(guild_id, result.outcomes)
        await self._atomically(self._score_round, round_id, guild_id, result, opened_at, closed_at, names)
        self._names.committed(names)

    def _score_round(
        self, db: sqlite3.Connection, round_id: int, guild_id: int, result: RoundResult, opened_at: float,
        closed_at: float, names: list[tuple[int, int, str]],
    ) -> None:
        """A round's close inside its transaction, run on the connection's thread in one go: every
        statement handed over on its own waited for the event loop and the GIL, and beside busy
        readers those waits were most of a close. ``names``: the (guild, user, name) rows to keep."""
        closed = db.execute(
            "UPDATE rounds SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open' RETURNING game_id, category",
            (closed_at, round_id),
        ).fetchall()
        if len(closed) != 1:
            raise StorageError(f"round {round_id} is not open; refusing to score it twice")
        db.execute("DELETE FROM hidden_picks WHERE round_id = ?", (round_id,))
        times = [answered_at(opened_at, o) for o in result.outcomes]
        db.executemany(
            """INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms,
                                    answered_at, streak)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (round_id, guild_id, o.user_id, o.choice, int(o.correct), o.points, o.response_ms, at, o.streak)
                for o, at in zip(result.outcomes, times)
            ],
        )
        if result.outcomes:
            db.execute(
                """INSERT INTO question_stats (question_id, answered, correct) VALUES (?, ?, ?)
                   ON CONFLICT (question_id) DO UPDATE SET answered = answered + excluded.answered,
                                                           correct = correct + excluded.correct""",
                (result.asked.question.id, len(result.outcomes), len(result.winners)),
            )
        db.executemany(
            """INSERT INTO players (guild_id, user_id, name) VALUES (?, ?, ?)
               ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name WHERE players.name != excluded.name""",
            names,
        )
        game_id, category = closed[0]
        if category:
            db.execute(self._COUNT_IN_CATEGORY, (round_id, category))
        buckets = self._round_buckets(round_id, game_id, times)
        db.executemany(self._RAISE_TOTALS, buckets)
        db.executemany(self._COUNT_IN_TOTALS, buckets)

    _COUNT_IN_CATEGORY = """
        INSERT INTO category_totals (guild_id, user_id, category, correct, answered)
        SELECT a.guild_id, a.user_id, ?2, a.correct, 1 FROM answers AS a WHERE a.round_id = ?1
        ON CONFLICT (guild_id, user_id, category) DO UPDATE SET
            correct = category_totals.correct + excluded.correct,
            answered = category_totals.answered + 1"""

    # The answers of one round, at times in [?3, ?4), added to bucket ?2's running totals: one
    # statement per bucket, so SQLite reads the round's answers back rather than Python building a
    # row per answer and bucket. An answer that scored moves its total in the totals_rank index; one
    # that scored nothing (a wrong answer) only counts, and since SQLite leaves an index alone when an
    # upsert sets none of its columns, the two go by separate statements: a wrong answer moves nothing.
    # "reached" keeps the latest scoring answer's time; the records (best streak, fastest right answer,
    # NULL until one) are kept by both statements.
    _RECORDS = f"a.streak, {FASTEST_RIGHT}"
    _ROUND_ANSWERS = "FROM answers AS a WHERE a.round_id = ?1 AND a.answered_at >= ?3 AND a.answered_at < ?4"
    _KEEP_RECORDS = """
            best_streak = MAX(totals.best_streak, excluded.best_streak),
            fastest_ms = COALESCE(MIN(totals.fastest_ms, excluded.fastest_ms), totals.fastest_ms, excluded.fastest_ms)"""
    _RAISE_TOTALS = f"""
        INSERT INTO totals (guild_id, bucket, user_id, points, correct, answered, reached{RECORD_COLUMNS})
        SELECT a.guild_id, ?2, a.user_id, a.points, a.correct, 1, a.answered_at, {_RECORDS}
        {_ROUND_ANSWERS} AND a.points > 0
        ON CONFLICT (guild_id, bucket, user_id) DO UPDATE SET
            points = totals.points + excluded.points,
            correct = totals.correct + excluded.correct,
            answered = totals.answered + 1,
            reached = CASE WHEN totals.reached >= {NEVER_REACHED} THEN excluded.reached
                           ELSE MAX(totals.reached, excluded.reached) END,{_KEEP_RECORDS}"""
    _COUNT_IN_TOTALS = f"""
        INSERT INTO totals (guild_id, bucket, user_id, points, correct, answered, reached{RECORD_COLUMNS})
        SELECT a.guild_id, ?2, a.user_id, 0, a.correct, 1, {NEVER_REACHED}, {_RECORDS}
        {_ROUND_ANSWERS} AND a.points <= 0
        ON CONFLICT (guild_id, bucket, user_id) DO UPDATE SET
            correct = totals.correct + excluded.correct,
            answered = totals.answered + 1,{_KEEP_RECORDS}"""

    @staticmethod
    def _round_buckets(round_id: int, game_id: int | None, times: list[float]) -> list[tuple[object, ...]]:
        """(round, bucket, from, to) for each bucket a round's answers, given at ``times``, fall in.

        All-time and the game take every answer; the calendar buckets are found per UTC day the
        answers span (one, unless the round crossed midnight), each taking that day's answers.
        """
        if not times:
            return []
        everything = (float("-inf"), float("inf"))
        rows: list[tuple[object, ...]] = [(round_id, ALL_TIME_BUCKET, *everything)]
        if game_id is not None:
            rows.append((round_id, game_bucket(game_id), *everything))
        for day in sorted({int(at // DAY_SECONDS) for at in times}):
            start = day * DAY_SECONDS
            rows += [(round_id, bucket, start, start + DAY_SECONDS) for bucket in day_buckets(day)]
        return rows

    async def rebuild_totals(self) -> int:
        """Recompute every running total from the stored answers; returns the totals written."""
        async with self._transaction() as db:
            for statement in REBUILD_TOTALS:
                await run(db, statement)
            rows = await run(db, "SELECT COUNT(*) FROM totals")
        return int(rows[0][0])

    async def void_round(self, round_id: int, closed_at: float) -> None:
        async with self._transaction() as db:
            await run(
                db,
                "UPDATE rounds SET status = 'void', closed_at = ? WHERE id = ? AND status = 'open'",
                (closed_at, round_id),
            )
            await run(db, "DELETE FROM hidden_picks WHERE round_id = ?", (round_id,))

    async def save_hidden_picks(self, round_id: int, picks: Sequence[HiddenPick]) -> None:
        async with self._transaction() as db:
            await run_many(
                db,
                """INSERT INTO hidden_picks (round_id, user_id, choice, seconds, name) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (round_id, user_id) DO UPDATE
                   SET choice = excluded.choice, seconds = excluded.seconds, name = excluded.name""",
                [(round_id, p.user_id, p.choice, p.seconds, p.name) for p in picks],
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
        return [open_round_from(r) for r in rows]

    async def add_announcement(self, announcement: Announcement) -> None:
        a = announcement
        async with self._transaction() as db:
            await run(
                db,
                """INSERT INTO announcements (kind, key, guild_id, channel_id, payload, created_at)
                   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO NOTHING""",
                (a.kind, a.key, a.guild_id, a.channel_id, a.payload, a.created_at),
            )

    async def pending_announcements(self) -> list[Announcement]:
        rows = await self._fetch(
            """SELECT kind, key, guild_id, channel_id, payload, created_at, posted_at IS NOT NULL FROM announcements
               WHERE done_at IS NULL ORDER BY created_at, rowid"""
        )
        return [Announcement(r[0], r[1], r[2], r[3], r[4], r[5], posted=bool(r[6])) for r in rows]

    async def announcement_posted(self, kind: str, key: int, at: float) -> None:
        async with self._transaction() as db:
            await run(db, "UPDATE announcements SET posted_at = ? WHERE kind = ? AND key = ? AND posted_at IS NULL", (at, kind, key))

    async def announcement_done(self, kind: str, key: int, at: float) -> None:
        async with self._transaction() as db:
            await run(db, "UPDATE announcements SET done_at = ? WHERE kind = ? AND key = ? AND done_at IS NULL", (at, kind, key))

    # Per-player totals over the answers a filter selects. The ORDER BY mirrors the game layer's one
    # ranking rule (bot.game.standings.rank_key): points first, then "reached", the time of the answer
    # that last raised the total (round opening + response time, so within a round the faster answer),
    # never-raised totals last, then the user id.
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

    # Served by the totals_rank index: (guild, bucket, points DESC, reached, user).
    _TOTALS_ORDER = "ORDER BY t.points DESC, t.reached, t.user_id"

    # A page of a bucket: its players' ids are read from the totals_rank index alone (it covers
    # them), so the rows skipped before a deep page cost an index step each, never a table lookup;
    # only the page's own rows are then read from the table.
    _BUCKET_PAGE = f"""
        SELECT t.user_id, COALESCE(p.name, ''), t.points, t.correct, t.answered
        FROM (SELECT t.user_id FROM totals AS t INDEXED BY totals_rank WHERE t.guild_id = ?1 AND t.bucket = ?2
              {_TOTALS_ORDER} LIMIT ?3 OFFSET ?4) AS page
        JOIN totals AS t ON t.guild_id = ?1 AND t.bucket = ?2 AND t.user_id = page.user_id
        LEFT JOIN players AS p ON p.guild_id = ?1 AND p.user_id = t.user_id
        {_TOTALS_ORDER}"""

    async def leaderboard(self, guild_id: int, board: BoardFilter = BoardFilter(), limit: int = 10, offset: int = 0) -> list[BoardRow]:
        bucket = board_bucket(board)
        if bucket is not None:
            rows = await self._fetch(self._BUCKET_PAGE, (guild_id, bucket, limit, offset))
            return [BoardRow(offset + i + 1, *r) for i, r in enumerate(rows)]
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
        bucket = board_bucket(board)
        if bucket is not None:
            rows = await self._fetch("SELECT COUNT(*) FROM totals WHERE guild_id = ? AND bucket = ?", (guild_id, bucket))
            return int(rows[0][0])
        totals, params = self._totals(guild_id, board)
        rows = await self._fetch(f"SELECT COUNT(*) FROM ({totals})", params)
        return int(rows[0][0])

    async def leaderboard_row(self, guild_id: int, user_id: int, board: BoardFilter = BoardFilter()) -> BoardRow | None:
        bucket = board_bucket(board)
        if bucket is not None:
            rows = await self._fetch(
                f"""WITH me AS (SELECT * FROM totals WHERE guild_id = ? AND bucket = ? AND user_id = ?)
                    SELECT {self._RANK}, me.user_id, COALESCE(p.name, ''), me.points, me.correct, me.answered
                    FROM me LEFT JOIN players AS p ON p.guild_id = me.guild_id AND p.user_id = me.user_id""",
                (guild_id, bucket, user_id),
            )
            return BoardRow(*rows[0]) if rows else None
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

    # A player's rank within their bucket: one more than the players ahead under the ranking rule
    # (``me`` is their row of ``totals``). Counted as two ranges of the totals_rank index, more
    # points, then the same points reached earlier (or at once by a lower id), so neither count
    # reads a row that is not ahead.
    _RANK = """1 + (SELECT COUNT(*) FROM totals AS t
                    WHERE t.guild_id = me.guild_id AND t.bucket = me.bucket AND t.points > me.points)
                 + (SELECT COUNT(*) FROM totals AS t
                    WHERE t.guild_id = me.guild_id AND t.bucket = me.bucket AND t.points = me.points
                      AND (t.reached, t.user_id) < (me.reached, me.user_id))"""

    # /trivia-stats' favourite category (most right, then most answered, then by name) of player ?3 in
    # server ?1. category_totals is keyed (server, category, player) so that a round's upserts share one
    # range of it; a player's rows are then one per category played, so _CATEGORIES walks the server's
    # categories an index seek each (a loose index scan, which SQLite does not do on its own) and
    # _FAVOURITE looks the player up in each.
    _CATEGORIES = """categories (category) AS (
            SELECT MIN(category) FROM category_totals WHERE guild_id = ?1
            UNION ALL
            SELECT (SELECT MIN(c.category) FROM category_totals AS c
                    WHERE c.guild_id = ?1 AND c.category > categories.category)
            FROM categories WHERE categories.category IS NOT NULL)"""
    _FAVOURITE = """(SELECT ct.category FROM categories
                        JOIN category_totals AS ct ON ct.guild_id = ?1 AND ct.category = categories.category AND ct.user_id = ?3
                        ORDER BY ct.correct DESC, ct.answered DESC, ct.category LIMIT 1)"""

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats | None:
        rows = await self._fetch(
            f"""WITH RECURSIVE {self._CATEGORIES},
                me AS (SELECT * FROM totals WHERE guild_id = ?1 AND bucket = ?2 AND user_id = ?3)
                SELECT me.points, {self._RANK}, me.answered, me.correct, me.best_streak, me.fastest_ms,
                       {self._FAVOURITE},
                       COALESCE((SELECT name FROM players WHERE guild_id = ?1 AND user_id = ?3), '')
                FROM me""",
            [guild_id, ALL_TIME_BUCKET, user_id],
        )
        if not rows:
            return None
        points, rank, answered, correct, best, fastest, favourite, name = rows[0]
        return PlayerStats(user_id, name, points, rank, answered, correct, best, fastest, favourite)

    async def server_settings(self, guild_id: int, defaults: ServerSettings) -> ServerSettings:
        rows = await self._fetch("SELECT settings FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return ServerSettings.from_json(rows[0][0], defaults) if rows else defaults

    async def save_server_settings(self, guild_id: int, settings: ServerSettings) -> None:
        async with self._transaction() as db:
            await run(
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
            await run(
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
            deleted = await run(db, "DELETE FROM custom_packs WHERE guild_id = ? AND name = ? RETURNING 1", (guild_id, name))
            return bool(deleted)

    _SCHEDULE_COLUMNS = """guild_id, channel_id, host_id, title, choices, repeat_rule, timezone, local_time,
                           next_at, remind_at, event_id, game_id"""

    async def add_schedule(self, schedule: ScheduleRecord) -> int:
        async with self._transaction() as db:
            rows = await run(
                db,
                f"INSERT INTO schedules ({self._SCHEDULE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    schedule.guild_id, schedule.channel_id, schedule.host_id, schedule.title, schedule.choices,
                    schedule.repeat, schedule.timezone, schedule.local_time, schedule.next_at, schedule.remind_at,
                    schedule.event_id, schedule.game_id,
                ),
            )
            return int(rows[0][0])

    async def schedules(self, guild_id: int | None = None) -> list[ScheduleRecord]:
        where, params = ("WHERE guild_id = ?", (guild_id,)) if guild_id is not None else ("", ())
        rows = await self._fetch(f"SELECT {self._SCHEDULE_COLUMNS}, id FROM schedules {where} ORDER BY next_at, id", params)
        return [ScheduleRecord(*r) for r in rows]

    async def update_schedule(self, schedule: ScheduleRecord) -> bool:
        async with self._transaction() as db:
            changed = await run(
                db,
                "UPDATE schedules SET next_at = ?, remind_at = ?, event_id = ?, game_id = ? WHERE id = ? RETURNING 1",
                (schedule.next_at, schedule.remind_at, schedule.event_id, schedule.game_id, schedule.id),
            )
            return bool(changed)

    async def delete_schedule(self, guild_id: int, schedule_id: int) -> bool:
        async with self._transaction() as db:
            deleted = await run(db, "DELETE FROM schedules WHERE guild_id = ? AND id = ? RETURNING 1", (guild_id, schedule_id))
            return bool(deleted)
