"""PostgreSQL storage through asyncpg: a connection pool, one transaction per round close.

The same contract and the same answers as :mod:`bot.storage.sqlite` (tests/contract checks both).
Every asyncpg or socket error is translated here into :class:`StorageError` (``busy`` for those a later
try may get past: a lost connection, a serialization failure or deadlock, too many connections, a
server shutting down). Claims and the turn to IDENTIFY are session-level advisory locks, each on a
connection of its own, so they last exactly as long as that connection (a crashed process loses them).
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager, contextmanager
from typing import Any, AsyncIterator, Collection, Iterator, Sequence
from urllib.parse import urlsplit

import asyncpg

from bot.game.highlights import PlayedRound
from bot.game.periods import ALL_TIME_BUCKET
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.storage.errors import StorageError
from bot.storage.migrations import FASTEST_RIGHT, NEVER_REACHED, RECORD_COLUMNS, SCHEMA_VERSION, refuse_newer_schema
from bot.storage.postgres_migrations import MIGRATIONS, REBUILD_TOTALS
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
from bot.storage.rows import answered_at, board_bucket, bucket_rows, open_round_from, played_rounds_from

log = logging.getLogger(__name__)

# Advisory lock namespaces (the first key of the two-key form): "TRIV" and its neighbours.
CLAIM_LOCK = 0x54524956  # (CLAIM_LOCK, -1): the whole database; (CLAIM_LOCK, shard): one shard
IDENTIFY_LOCK = 0x54524957  # (IDENTIFY_LOCK, bucket): the turn to IDENTIFY in a concurrency bucket
MIGRATE_LOCK = 0x54524958  # (MIGRATE_LOCK, 0): one process upgrades the schema at a time
WHOLE_DATABASE = -1

POOL_SIZE = 10
CONNECT_TIMEOUT_SECONDS = 10.0

# SQLSTATEs a later try may well get past: serialization failure, deadlock, lock not available, too
# many connections, the server shutting down or starting; and class 08, the connection's own failures.
_BUSY_STATES = {"40001", "40P01", "55P03", "53300", "57P01", "57P02", "57P03"}
_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAME_KEY = f"translate($2, '{_ASCII_UPPER}', '{_ASCII_UPPER.lower()}')"  # custom_packs.name_key of a name


def describe(url: str) -> str:
    """The database a URL names, as ``user@host:port/dbname``: never the password."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 5432
    except ValueError:
        return "(an unreadable PostgreSQL URL)"
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{host}:{port}{parts.path or '/'}"


def _is_busy(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.PostgresError):
        state = exc.sqlstate or ""
        return state in _BUSY_STATES or state.startswith("08")
    return isinstance(exc, (OSError, TimeoutError))


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


# What asyncpg and the socket raise; ValueError for a URL asyncpg cannot read.
_DRIVER_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError, ValueError)


@contextmanager
def _translated() -> Iterator[None]:
    """Any driver error raised inside becomes a StorageError saying what the server said."""
    try:
        yield
    except _DRIVER_ERRORS as exc:
        raise StorageError(_reason(exc), busy=_is_busy(exc)) from exc


async def _connect(url: str) -> Any:
    """One connection of its own (for a lock that must last exactly as long as it)."""
    with _translated():
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_SECONDS, max_cached_statement_lifetime=0)


async def connection_problem(url: str) -> str | None:
    """None if a short connection to the server succeeds, else one line saying why it did not."""
    try:
        connection = await _connect(url)
    except StorageError as exc:
        return f"TRIVIA_DATABASE: cannot connect to PostgreSQL at {describe(url)}: {exc}"
    await connection.close()
    return None


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows turned into ``width`` columns, for ``unnest``: one array parameter per column."""
    return [[row[i] for row in rows] for i in range(width)]


async def _keep_session(connection: Any) -> None:
    """A pooled connection goes back to the pool as it is (see ``open``)."""


class PostgresStorage:
    def __init__(self, url: str, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: Any = None
        self._claim: Any = None  # the connection holding this process's claim

    @property
    def where(self) -> str:
        return describe(self.url)

    @property
    def pool(self) -> Any:
        if self._pool is None:
            raise StorageError("storage is not open")
        return self._pool

    async def open(self) -> None:
        try:
            with _translated():
                # No timers (idle-connection expiry, prepared statements' expiry): a timer per statement
                # would also run on a test's virtual clock and hold up every SimCord settle. No reset
                # query on every release: pooled connections never change their session's state (locks
                # that outlive a transaction live on connections of their own).
                self._pool = await asyncpg.create_pool(
                    self.url, min_size=1, max_size=self.pool_size, max_inactive_connection_lifetime=0,
                    max_cached_statement_lifetime=0, timeout=CONNECT_TIMEOUT_SECONDS, reset=_keep_session,
                )
            await self._migrate()
        except StorageError as exc:
            await self.close()
            raise StorageError(f"cannot open the database {self.where}: {exc}", busy=exc.busy) from exc
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            with _translated():
                await pool.close()
        if self._claim is not None:
            claim, self._claim = self._claim, None
            with _translated():
                await claim.close()  # closing the connection releases the claim

    async def claim(self, shard_ids: Collection[int] | None = None) -> None:
        """Session-level advisory locks, held on a connection of their own until this storage closes.

        None claims the whole database: an exclusive lock on (CLAIM_LOCK, -1). A slice of the shards
        takes that lock shared (no whole-database process may run beside it) and an exclusive lock per
        shard, so processes with disjoint slices share the database and overlapping ones refuse.
        """
        if self._claim is not None:
            return
        connection = await _connect(self.url)
        try:
            with _translated():
                await self._take_claim(connection, shard_ids)
        except BaseException:
            with _translated():
                await connection.close()
            raise
        connection.add_termination_listener(self._claim_lost)
        self._claim = connection

    def _claim_lost(self, connection: Any) -> None:
        if connection is self._claim:  # not closed by close(): the server or the network dropped it
            log.error("lost the connection holding this process's claim on %s; another process may now take it", self.where)

    async def _take_claim(self, connection: Any, shard_ids: Collection[int] | None) -> None:
        if shard_ids is None:
            if not await connection.fetchval("SELECT pg_try_advisory_lock($1, $2)", CLAIM_LOCK, WHOLE_DATABASE):
                raise StorageError(
                    f"another trivia-night is already running on the database {self.where}; "
                    "stop it first (or give this one its own TRIVIA_DATABASE)"
                )
            return
        if not await connection.fetchval("SELECT pg_try_advisory_lock_shared($1, $2)", CLAIM_LOCK, WHOLE_DATABASE):
            raise StorageError(f"another trivia-night process already runs every shard on the database {self.where}")
        taken = [
            shard for shard in sorted(set(shard_ids))
            if not await connection.fetchval("SELECT pg_try_advisory_lock($1, $2)", CLAIM_LOCK, shard)
        ]
        if taken:
            shards = ", ".join(str(s) for s in taken)
            raise StorageError(f"another trivia-night process already runs shard(s) {shards} on this database ({self.where})")

    @asynccontextmanager
    async def identify_turn(self, bucket: int) -> AsyncIterator[None]:
        """Wait for, and hold, the cluster-wide turn to IDENTIFY in a gateway concurrency bucket."""
        connection = await _connect(self.url)
        try:
            with _translated():
                await connection.execute("SELECT pg_advisory_lock($1, $2)", IDENTIFY_LOCK, bucket)
            yield
        finally:
            with _translated():
                await connection.close()  # releases the lock

    async def schema_version(self) -> int:
        return int(await self._value("SELECT COALESCE(MAX(version), 0) FROM schema_version"))

    async def _migrate(self) -> None:
        """Bring the schema up to date in one transaction, one process at a time."""
        async with self._transaction() as db:
            await db.execute("SELECT pg_advisory_xact_lock($1, 0)", MIGRATE_LOCK)
            await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            refuse_newer_schema(current)
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version - 1]:
                    await db.execute(statement)
                log.info("database upgraded to schema version %d", version)
            if current < SCHEMA_VERSION:
                await db.execute("DELETE FROM schema_version")
                await db.execute("INSERT INTO schema_version (version) VALUES ($1)", SCHEMA_VERSION)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Any]:
        with _translated():
            async with self.pool.acquire() as db, db.transaction():
                yield db

    async def _fetch(self, sql: str, *params: object) -> list[Any]:
        with _translated():
            return list(await self.pool.fetch(sql, *params))

    async def _value(self, sql: str, *params: object) -> Any:
        with _translated():
            return await self.pool.fetchval(sql, *params)

    async def _write(self, sql: str, *params: object) -> int:
        """Run one INSERT, UPDATE or DELETE (atomic on its own); returns the rows it changed."""
        with _translated():
            status = await self.pool.execute(sql, *params)  # e.g. "UPDATE 1", "INSERT 0 1"
        return int(status.rsplit(" ", 1)[-1])

    async def get_meta(self, key: str) -> str | None:
        value = await self._value("SELECT value FROM meta WHERE key = $1", key)
        return None if value is None else str(value)

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value
        )

    async def start_game(
        self, guild_id: int, channel_id: int, host_id: int, questions: int, at: float, options: str = "{}"
    ) -> int:
        return int(await self._value(
            """INSERT INTO games (guild_id, channel_id, host_id, started_at, questions_planned, options)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""",
            guild_id, channel_id, host_id, at, questions, options,
        ))

    _GAME_COLUMNS = """g.id, g.guild_id, g.channel_id, g.host_id, g.questions_planned, g.options,
                      (SELECT COUNT(*) FROM rounds AS r WHERE r.game_id = g.id AND r.status != 'open'), g.ended_at"""

    async def unfinished_games(self) -> list[GameRecord]:
        rows = await self._fetch(f"SELECT {self._GAME_COLUMNS} FROM games AS g WHERE g.ended_at IS NULL ORDER BY g.id")
        return [GameRecord(*r) for r in rows]

    async def games(self, guild_id: int) -> list[GameRecord]:
        rows = await self._fetch(f"SELECT {self._GAME_COLUMNS} FROM games AS g WHERE g.guild_id = $1 ORDER BY g.id", guild_id)
        return [GameRecord(*r) for r in rows]

    async def game_rounds(self, game_id: int) -> list[RoundRecord]:
        rows = await self._fetch(
            "SELECT id, game_id, question_id, status, opened_at, closed_at, category FROM rounds WHERE game_id = $1 ORDER BY id",
            game_id,
        )
        return [RoundRecord(*r) for r in rows]

    async def game_outcomes(self, game_id: int) -> list[list[PlayerOutcome]]:
        return [list(played.outcomes) for played in await self.played_rounds(game_id)]

    async def played_rounds(self, game_id: int) -> list[PlayedRound]:
        rows = await self._fetch(
            """SELECT r.id, r.question_id, a.user_id, COALESCE(p.name, ''), a.choice, a.correct, a.points,
                      a.response_ms, a.streak
               FROM rounds AS r
               LEFT JOIN answers AS a ON a.round_id = r.id
               LEFT JOIN players AS p ON p.guild_id = a.guild_id AND p.user_id = a.user_id
               WHERE r.game_id = $1 AND r.status = 'closed' ORDER BY r.id, a.user_id""",
            game_id,
        )
        return played_rounds_from(rows)

    async def end_game(self, game_id: int, at: float) -> None:
        await self._write("UPDATE games SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL", at, game_id)

    async def open_round(self, round_: OpenRound) -> int:
        return int(await self._value(
            """INSERT INTO rounds (game_id, guild_id, channel_id, message_id, question_id, choice_order,
                                   seconds, opened_at, deadline, category)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id""",
            round_.game_id, round_.guild_id, round_.channel_id, round_.message_id, round_.question_id,
            json.dumps(list(round_.choice_order)), round_.seconds, round_.opened_at, round_.deadline, round_.category,
        ))

    # A round's whole close in one statement (so one round trip, and atomic without a transaction):
    # mark it closed, drop its hidden picks, store the answers, count the question, keep the names
    # (a name is rewritten only when it changed: every update leaves a dead row version behind), count
    # the answers in their category and add to the running totals. Nothing is written unless the round
    # was open; the game's bucket is added here, from the closed round's game. "reached" keeps the
    # latest raising answer's time; each total keeps its best streak and fastest right answer.
    _CLOSE_ROUND = f"""
        WITH closed AS (
            UPDATE rounds SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open' RETURNING game_id, category
        ), picks AS (
            DELETE FROM hidden_picks WHERE round_id = $2 AND EXISTS (SELECT 1 FROM closed)
        ), answer AS (
            SELECT * FROM unnest($6::bigint[], $7::int[], $8::int[], $9::int[], $10::int[], $11::float8[], $12::int[])
                AS a (user_id, choice, correct, points, response_ms, answered_at, streak)
            WHERE EXISTS (SELECT 1 FROM closed)
        ), saved AS (
            INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at, streak)
            SELECT $2, $3, a.* FROM answer AS a
        ), stats AS (
            INSERT INTO question_stats (question_id, answered, correct)
            SELECT $4, cardinality($6::bigint[]), $5 WHERE cardinality($6::bigint[]) > 0 AND EXISTS (SELECT 1 FROM closed)
            ON CONFLICT (question_id) DO UPDATE SET answered = question_stats.answered + excluded.answered,
                                                    correct = question_stats.correct + excluded.correct
        ), names AS (
            INSERT INTO players (guild_id, user_id, name)
            SELECT $3, p.user_id, p.name FROM unnest($13::bigint[], $14::text[]) AS p (user_id, name)
            WHERE EXISTS (SELECT 1 FROM closed)
            ON CONFLICT (guild_id, user_id) DO UPDATE SET name = excluded.name WHERE players.name != excluded.name
        ), categories AS (
            INSERT INTO category_totals (guild_id, user_id, category, correct, answered)
            SELECT $3, a.user_id, c.category, a.correct, 1 FROM answer AS a CROSS JOIN closed AS c WHERE c.category != ''
            ON CONFLICT (guild_id, user_id, category) DO UPDATE SET
                correct = category_totals.correct + excluded.correct,
                answered = category_totals.answered + 1
        ), adding AS (
            SELECT a.bucket, a.user_id, a.points, a.correct, CASE WHEN a.points > 0 THEN a.answered_at ELSE {NEVER_REACHED} END
                   AS reached, a.streak, {FASTEST_RIGHT} AS fastest
            FROM (
                SELECT * FROM unnest($15::text[], $16::bigint[], $17::bigint[], $18::bigint[], $19::float8[], $20::int[], $21::int[])
                    AS u (bucket, user_id, points, correct, answered_at, streak, response_ms)
                WHERE EXISTS (SELECT 1 FROM closed)
                UNION ALL
                SELECT 'g:' || c.game_id, a.user_id, a.points, a.correct, a.answered_at, a.streak, a.response_ms
                FROM answer AS a CROSS JOIN closed AS c WHERE c.game_id IS NOT NULL
            ) AS a
        ), added AS (
            INSERT INTO totals (guild_id, bucket, user_id, points, correct, answered, reached{RECORD_COLUMNS})
            SELECT $3, t.bucket, t.user_id, t.points, t.correct, 1, t.reached, t.streak, t.fastest FROM adding AS t
            ON CONFLICT (guild_id, bucket, user_id) DO UPDATE SET
                points = totals.points + excluded.points,
                correct = totals.correct + excluded.correct,
                answered = totals.answered + 1,
                reached = CASE WHEN excluded.reached >= {NEVER_REACHED} THEN totals.reached
                               WHEN totals.reached >= {NEVER_REACHED} THEN excluded.reached
                               ELSE GREATEST(totals.reached, excluded.reached) END,
                best_streak = GREATEST(totals.best_streak, excluded.best_streak),
                fastest_ms = LEAST(totals.fastest_ms, excluded.fastest_ms)
            RETURNING totals.bucket, totals.user_id, totals.points, xmax = 0 AS new
        ), moved AS (  -- each total that changed leaves the count of its old value for its new one's
            SELECT d.bucket, d.points, SUM(d.players) AS players FROM (
                SELECT n.bucket, n.points, 1 AS players FROM added AS n
                UNION ALL
                SELECT n.bucket, n.points - t.points, -1 FROM added AS n
                JOIN adding AS t ON t.bucket = n.bucket AND t.user_id = n.user_id WHERE NOT n.new
            ) AS d GROUP BY d.bucket, d.points HAVING SUM(d.players) != 0
        ), counted AS (
            INSERT INTO totals_points (guild_id, bucket, points, players)
            SELECT $3, m.bucket, m.points, m.players FROM moved AS m ORDER BY m.bucket, m.points
            ON CONFLICT (guild_id, bucket, points) DO UPDATE SET players = totals_points.players + excluded.players
        )
        SELECT COUNT(*) FROM closed"""

    async def close_round(self, round_id: int, guild_id: int, result: RoundResult, opened_at: float, closed_at: float) -> None:
        # Rows go in sorted by key, so two rounds closing at once lock shared totals in the same order.
        outcomes = sorted(result.outcomes, key=lambda o: o.user_id)
        answers = [(o.user_id, o.choice, int(o.correct), o.points, o.response_ms, answered_at(opened_at, o), o.streak)
                   for o in outcomes]
        names = [(o.user_id, o.name) for o in outcomes if o.name]
        totals = sorted(bucket_rows(result, opened_at))  # the game's bucket: in SQL
        closed = await self._value(
            self._CLOSE_ROUND, closed_at, round_id, guild_id, result.asked.question.id, len(result.winners),
            *_columns(answers, 7), *_columns(names, 2), *_columns(totals, 7),
        )
        if closed != 1:
            raise StorageError(f"round {round_id} is not open; refusing to score it twice")

    async def rebuild_totals(self) -> int:
        """Recompute every running total from the stored answers; returns the totals written."""
        async with self._transaction() as db:
            for statement in REBUILD_TOTALS:
                await db.execute(statement)
            return int(await db.fetchval("SELECT COUNT(*) FROM totals"))

    async def void_round(self, round_id: int, closed_at: float) -> None:
        async with self._transaction() as db:
            await db.execute("UPDATE rounds SET status = 'void', closed_at = $1 WHERE id = $2 AND status = 'open'", closed_at, round_id)
            await db.execute("DELETE FROM hidden_picks WHERE round_id = $1", round_id)

    async def save_hidden_picks(self, round_id: int, picks: Sequence[HiddenPick]) -> None:
        if not picks:
            return
        async with self._transaction() as db:
            await db.executemany(
                """INSERT INTO hidden_picks (round_id, user_id, choice, seconds, name) VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (round_id, user_id) DO UPDATE
                   SET choice = excluded.choice, seconds = excluded.seconds, name = excluded.name""",
                [(round_id, p.user_id, p.choice, p.seconds, p.name) for p in picks],
            )

    async def hidden_picks(self, round_id: int) -> list[HiddenPick]:
        rows = await self._fetch(
            "SELECT user_id, choice, seconds, name FROM hidden_picks WHERE round_id = $1 ORDER BY seconds, user_id", round_id
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
        await self._write(
            """INSERT INTO announcements (kind, key, guild_id, channel_id, payload, created_at)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, key) DO NOTHING""",
            a.kind, a.key, a.guild_id, a.channel_id, a.payload, a.created_at,
        )

    async def pending_announcements(self) -> list[Announcement]:
        rows = await self._fetch(
            """SELECT kind, key, guild_id, channel_id, payload, created_at, posted_at IS NOT NULL FROM announcements
               WHERE done_at IS NULL ORDER BY created_at, seq"""
        )
        return [Announcement(r[0], r[1], r[2], r[3], r[4], r[5], posted=bool(r[6])) for r in rows]

    async def announcement_posted(self, kind: str, key: int, at: float) -> None:
        await self._write(
            "UPDATE announcements SET posted_at = $1 WHERE kind = $2 AND key = $3 AND posted_at IS NULL", at, kind, key
        )

    async def announcement_done(self, kind: str, key: int, at: float) -> None:
        await self._write("UPDATE announcements SET done_at = $1 WHERE kind = $2 AND key = $3 AND done_at IS NULL", at, kind, key)

    # Per-player totals over the answers a filter with no bucket selects (an arbitrary start time),
    # ranked by the game layer's rule (bot.game.standings.rank_key): points, then the time the total
    # was last raised (never-raised last), then the user id.
    _TOTALS = """
        SELECT a.user_id, SUM(a.points) AS points, SUM(a.correct) AS correct, COUNT(*) AS answered,
               MAX(CASE WHEN a.points > 0 THEN a.answered_at END) AS reached
        FROM answers AS a
        WHERE a.guild_id = $1 AND a.answered_at >= $2
        GROUP BY a.user_id"""
    _ORDER = "ORDER BY t.points DESC, t.reached ASC NULLS LAST, t.user_id"
    # The same rule on running totals (reached is never NULL there), served by the totals_rank index.
    _TOTALS_ORDER = "ORDER BY t.points DESC, t.reached, t.user_id"

    # A page of a bucket, from the totals_rank index. The skip starts at the distinct total the page
    # begins in, found by adding up totals_points from the top: an index scan checks each row it skips in
    # the table unless its page is marked all-visible, which a close undoes until the next vacuum, so
    # skipping 25,000 players of a big server that is playing took 15 ms; now only those of that total.
    _BUCKET_PAGE = f"""
        WITH counts AS (
            SELECT n.points, n.players, SUM(n.players) OVER (ORDER BY n.points DESC) AS through
            FROM totals_points AS n WHERE n.guild_id = $1 AND n.bucket = $2
        ), start AS (
            SELECT c.points, c.through - c.players AS ahead FROM counts AS c WHERE c.through > $4
            ORDER BY c.points DESC LIMIT 1
        )
        SELECT t.user_id, COALESCE(p.name, ''), t.points, t.correct, t.answered
        FROM start CROSS JOIN LATERAL (
            SELECT t.user_id, t.points, t.correct, t.answered, t.reached FROM totals AS t
            WHERE t.guild_id = $1 AND t.bucket = $2 AND t.points <= start.points
            {_TOTALS_ORDER} LIMIT $3 OFFSET $4 - start.ahead) AS t
        LEFT JOIN players AS p ON p.guild_id = $1 AND p.user_id = t.user_id
        {_TOTALS_ORDER}"""

    @staticmethod
    def _since(board: BoardFilter) -> float:
        """A board without a bucket has a start time and no game (a game's board always has a bucket)."""
        assert board.since is not None and board.game_id is None
        return board.since

    async def leaderboard(self, guild_id: int, board: BoardFilter = BoardFilter(), limit: int = 10, offset: int = 0) -> list[BoardRow]:
        bucket = board_bucket(board)
        if bucket is not None:
            rows = await self._fetch(self._BUCKET_PAGE, guild_id, bucket, limit, offset)
        else:
            rows = await self._fetch(
                f"""SELECT t.user_id, COALESCE(p.name, ''), t.points, t.correct, t.answered
                    FROM ({self._TOTALS}) AS t
                    LEFT JOIN players AS p ON p.guild_id = $1 AND p.user_id = t.user_id
                    {self._ORDER} LIMIT $3 OFFSET $4""",
                guild_id, self._since(board), limit, offset,
            )
        return [BoardRow(offset + i + 1, *r) for i, r in enumerate(rows)]

    async def leaderboard_size(self, guild_id: int, board: BoardFilter = BoardFilter()) -> int:
        bucket = board_bucket(board)
        if bucket is not None:
            return int(await self._value(  # the players of every distinct total
                "SELECT COALESCE(SUM(players), 0) FROM totals_points WHERE guild_id = $1 AND bucket = $2", guild_id, bucket
            ))
        return int(await self._value(f"SELECT COUNT(*) FROM ({self._TOTALS}) AS t", guild_id, self._since(board)))

    # A player's rank within their bucket: one more than the players ahead under the ranking rule
    # (``me`` is their row of ``totals``): those with more points, summed over the distinct totals above
    # theirs (totals_points), and those with the same points who reached them earlier (or at the same
    # time with a lower user id), a range of the totals_rank index.
    _RANK = """1 + (SELECT COALESCE(SUM(n.players), 0) FROM totals_points AS n
                    WHERE n.guild_id = me.guild_id AND n.bucket = me.bucket AND n.points > me.points)
                 + (SELECT COUNT(*) FROM totals AS t
                    WHERE t.guild_id = me.guild_id AND t.bucket = me.bucket AND t.points = me.points
                      AND (t.reached, t.user_id) < (me.reached, me.user_id))"""

    async def leaderboard_row(self, guild_id: int, user_id: int, board: BoardFilter = BoardFilter()) -> BoardRow | None:
        bucket = board_bucket(board)
        if bucket is not None:
            rows = await self._fetch(
                f"""WITH me AS (SELECT * FROM totals WHERE guild_id = $1 AND bucket = $2 AND user_id = $3)
                    SELECT {self._RANK}, me.user_id, COALESCE(p.name, ''), me.points, me.correct, me.answered
                    FROM me LEFT JOIN players AS p ON p.guild_id = me.guild_id AND p.user_id = me.user_id""",
                guild_id, bucket, user_id,
            )
        else:
            rows = await self._fetch(
                f"""WITH t AS ({self._TOTALS}), ranked AS (SELECT t.*, ROW_NUMBER() OVER ({self._ORDER}) AS rank FROM t)
                    SELECT ranked.rank, ranked.user_id, COALESCE(p.name, ''), ranked.points, ranked.correct, ranked.answered
                    FROM ranked LEFT JOIN players AS p ON p.guild_id = $1 AND p.user_id = ranked.user_id
                    WHERE ranked.user_id = $3""",
                guild_id, self._since(board), user_id,
            )
        return BoardRow(*rows[0]) if rows else None

    async def last_game_id(self, guild_id: int) -> int | None:
        value = await self._value(
            """SELECT g.id FROM games AS g
               WHERE g.guild_id = $1 AND g.ended_at IS NOT NULL
                 AND EXISTS (SELECT 1 FROM rounds AS r WHERE r.game_id = g.id AND r.status = 'closed')
               ORDER BY g.ended_at DESC, g.id DESC LIMIT 1""",
            guild_id,
        )
        return None if value is None else int(value)

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats | None:
        rows = await self._fetch(
            f"""WITH me AS (SELECT * FROM totals WHERE guild_id = $1 AND bucket = $2 AND user_id = $3)
                SELECT me.points, {self._RANK}, me.answered, me.correct, me.best_streak, me.fastest_ms,
                       (SELECT category FROM category_totals WHERE guild_id = $1 AND user_id = $3
                         ORDER BY correct DESC, answered DESC, category LIMIT 1),
                       COALESCE((SELECT name FROM players WHERE guild_id = $1 AND user_id = $3), '')
                FROM me""",
            guild_id, ALL_TIME_BUCKET, user_id,
        )
        if not rows:
            return None
        points, rank, answered, correct, best, fastest, favourite, name = rows[0]
        return PlayerStats(user_id, name, points, rank, answered, correct, best, fastest, favourite)

    async def server_settings(self, guild_id: int, defaults: ServerSettings) -> ServerSettings:
        value = await self._value("SELECT settings FROM guild_settings WHERE guild_id = $1", guild_id)
        return defaults if value is None else ServerSettings.from_json(value, defaults)

    async def save_server_settings(self, guild_id: int, settings: ServerSettings) -> None:
        await self._write(
            """INSERT INTO guild_settings (guild_id, settings) VALUES ($1, $2)
               ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings""",
            guild_id, settings.to_json(),
        )

    async def question_record(self, question_id: str) -> tuple[int, int]:
        rows = await self._fetch("SELECT answered, correct FROM question_stats WHERE question_id = $1", question_id)
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    async def asked_questions(self, guild_id: int) -> set[str]:
        rows = await self._fetch("SELECT DISTINCT question_id FROM rounds WHERE guild_id = $1 AND status != 'void'", guild_id)
        return {r[0] for r in rows}

    _PACK_COLUMNS = "guild_id, name, yaml, question_count, uploaded_by, uploaded_at"

    async def save_custom_pack(self, pack: CustomPackRecord) -> None:
        await self._write(
            f"""INSERT INTO custom_packs ({self._PACK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (guild_id, name_key) DO UPDATE SET
                    name = excluded.name, yaml = excluded.yaml, question_count = excluded.question_count,
                    uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at""",
            pack.guild_id, pack.name, pack.yaml, pack.question_count, pack.uploaded_by, pack.uploaded_at,
        )

    async def custom_packs(self, guild_id: int) -> list[CustomPackRecord]:
        rows = await self._fetch(f"SELECT {self._PACK_COLUMNS} FROM custom_packs WHERE guild_id = $1 ORDER BY name_key", guild_id)
        return [CustomPackRecord(*r) for r in rows]

    async def custom_pack(self, guild_id: int, name: str) -> CustomPackRecord | None:
        rows = await self._fetch(
            f"SELECT {self._PACK_COLUMNS} FROM custom_packs WHERE guild_id = $1 AND name_key = {_NAME_KEY}", guild_id, name
        )
        return CustomPackRecord(*rows[0]) if rows else None

    async def delete_custom_pack(self, guild_id: int, name: str) -> bool:
        return await self._write(f"DELETE FROM custom_packs WHERE guild_id = $1 AND name_key = {_NAME_KEY}", guild_id, name) > 0

    _SCHEDULE_COLUMNS = """guild_id, channel_id, host_id, title, choices, repeat_rule, timezone, local_time,
                           next_at, remind_at, event_id, game_id"""

    async def add_schedule(self, schedule: ScheduleRecord) -> int:
        s = schedule
        return int(await self._value(
            f"""INSERT INTO schedules ({self._SCHEDULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                RETURNING id""",
            s.guild_id, s.channel_id, s.host_id, s.title, s.choices, s.repeat, s.timezone, s.local_time, s.next_at,
            s.remind_at, s.event_id, s.game_id,
        ))

    async def schedules(self, guild_id: int | None = None) -> list[ScheduleRecord]:
        if guild_id is None:
            rows = await self._fetch(f"SELECT {self._SCHEDULE_COLUMNS}, id FROM schedules ORDER BY next_at, id")
        else:
            rows = await self._fetch(
                f"SELECT {self._SCHEDULE_COLUMNS}, id FROM schedules WHERE guild_id = $1 ORDER BY next_at, id", guild_id
            )
        return [ScheduleRecord(*r) for r in rows]

    async def update_schedule(self, schedule: ScheduleRecord) -> bool:
        return await self._write(
            "UPDATE schedules SET next_at = $1, remind_at = $2, event_id = $3, game_id = $4 WHERE id = $5",
            schedule.next_at, schedule.remind_at, schedule.event_id, schedule.game_id, schedule.id,
        ) > 0

    async def delete_schedule(self, guild_id: int, schedule_id: int) -> bool:
        return await self._write("DELETE FROM schedules WHERE guild_id = $1 AND id = $2", guild_id, schedule_id) > 0

