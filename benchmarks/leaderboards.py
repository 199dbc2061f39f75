"""Leaderboards at 1M answers / 50k players, round closes with and without concurrent reads, and
1,000-answer closes (beside the same storage with SQLite's own checkpoints), on the SQLite backend. Builds its own database (bulk inserts + rebuild_totals).
With ``--postgres URL`` (an empty database) the same data is copied there (COPY, through
``trivia-night copy-db``'s code) and every figure is measured on PostgreSQL too, side by side.

    python -m benchmarks.leaderboards [--answers 1000000] [--players 50000] [--pairs 5] [--database PATH]
                                      [--postgres postgresql://...]

``--database`` keeps the built SQLite database at PATH and reuses it when it is already there (the
closes add rounds to other servers, and the big server's 1,000-answer closes a few per cent more
answers, so the boards of a reused database move a little).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from bot.game.periods import Period, period_start
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.storage import BoardFilter, OpenRound, Storage, create_storage
from bot.storage.copy_db import copy_sqlite_to_postgres
from bot.storage.postgres import describe
from bot.storage.sqlite import SqliteStorage

GUILD = 1
QUESTION = Question(id="q", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Bench")
ASKED = AskedQuestion(QUESTION, (0, 1, 2, 3))
# Rounds are asked across a bank's categories, so each player has a category total in most of them
# and a close's category upserts land among all of those rows, as they do in a real server.
CATEGORIES = tuple(f"Category {i}" for i in range(12))


async def build(path: Path, answers: int, players: int, now: float) -> None:
    storage = create_storage(path)
    await storage.open()  # creates the schema
    await storage.close()
    rng = random.Random(1)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    per_round = 50
    rounds = answers // per_round
    with db:
        db.executemany("INSERT INTO games (id, guild_id, channel_id, host_id, started_at, questions_planned, ended_at) VALUES (?, ?, 1, 1, ?, 10, ?)",
                       [(g, GUILD, now - 90 * 86400, now) for g in range(1, rounds // 10 + 2)])
        db.executemany("INSERT INTO rounds (id, game_id, guild_id, channel_id, message_id, question_id, choice_order, seconds, opened_at, deadline, closed_at, status, category) VALUES (?, ?, ?, 1, ?, 'q', '[0,1,2,3]', 20, ?, ?, ?, 'closed', ?)",
                       ((r, r // 10 + 1, GUILD, r, now - 90 * 86400 * (1 - r / rounds), 0, 0, rng.choice(CATEGORIES))
                        for r in range(rounds)))
        opened = dict(db.execute("SELECT id, opened_at FROM rounds"))
        def rows() -> Iterator[tuple[object, ...]]:
            for r in range(rounds):
                for u in rng.sample(range(players), per_round):
                    right = rng.random() < 0.5
                    ms = rng.randrange(20000)
                    yield (r, GUILD, u, 0, int(right), 150 if right else 0, ms, opened[r] + ms / 1000, 0)
        db.executemany("INSERT INTO answers (round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at, streak) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        db.executemany("INSERT INTO players (guild_id, user_id, name) VALUES (?, ?, ?)", ((GUILD, u, f"p{u}") for u in range(players)))
        # 100 other servers, 2,000 answers each.
        base = rounds
        for g in range(2, 102):
            db.executemany("INSERT INTO rounds (id, guild_id, channel_id, message_id, question_id, choice_order, seconds, opened_at, deadline, status) VALUES (?, ?, 1, ?, 'q', '[0]', 20, ?, 0, 'closed')",
                           [(base + i, g, i, now - i * 3600) for i in range(40)])
            db.executemany("INSERT INTO answers VALUES (?, ?, ?, 0, 1, 150, 100, ?, 0)",
                           [(base + i, g, u, now - i * 3600) for i in range(40) for u in range(50)])
            base += 40
    db.close()
    storage = create_storage(path)
    await storage.open()
    await storage.rebuild_totals()
    await storage.close()


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def pct(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples) * 1000:7.2f} ms  p95 {p95(samples) * 1000:7.2f} ms"


async def timed(call: Callable[[], Awaitable[object]], n: int = 50) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        await call()
        out.append(time.perf_counter() - t)
    return out


async def closes(storage: Storage, count: int, players: int, reads: bool) -> list[float]:
    """``count`` simultaneous round closes (other servers), optionally beside all-time board reads."""
    ids = [await storage.open_round(OpenRound(5000 + i, 1, i, "q", (0, 1, 2, 3), 20, time.time(), time.time() + 20,
                                                category=CATEGORIES[i % len(CATEGORIES)])) for i in range(count)]
    stop = asyncio.Event()

    async def reader() -> None:
        while not stop.is_set():
            await storage.leaderboard(GUILD, BoardFilter(), 10, 20000)
            await storage.leaderboard_size(GUILD)

    async def close(i: int, round_id: int) -> float:
        outcomes = tuple(PlayerOutcome(u, f"p{u}", 0, True, 150, 100) for u in range(players))
        t = time.perf_counter()
        await storage.close_round(round_id, 5000 + i, RoundResult(ASKED, outcomes), time.time(), time.time())
        return time.perf_counter() - t

    readers = [asyncio.create_task(reader()) for _ in range(4)] if reads else []
    latencies = await asyncio.gather(*(close(i, r) for i, r in enumerate(ids)))
    stop.set()
    await asyncio.gather(*readers)
    return list(latencies)


async def paired_closes(storage: Storage, pairs: int) -> None:
    """200 simultaneous closes alone and beside board reads, ``pairs`` times side by side (the order
    alternating within each pair), so a noisy moment on the machine hits both sides alike; the median
    of the pairs' ratios is the figure."""
    quiet: list[float] = []
    busy: list[float] = []
    ratios50: list[float] = []
    ratios95: list[float] = []
    for pair in range(pairs):
        sides = {}
        for reads in (False, True) if pair % 2 == 0 else (True, False):
            sides[reads] = await closes(storage, 200, 5, reads=reads)
        quiet += sides[False]
        busy += sides[True]
        ratios50.append(statistics.median(sides[True]) / statistics.median(sides[False]))
        ratios95.append(p95(sides[True]) / p95(sides[False]))
    print(f"200 closes alone        {pct(quiet)}  ({pairs} runs)")
    print(f"200 closes beside reads {pct(busy)}  ({pairs} runs)")
    print(f"  ratio beside / alone, median of {pairs} pairs: p50 {statistics.median(ratios50):.2f}, "
          f"p95 {statistics.median(ratios95):.2f}  (pairs: p95 {', '.join(f'{r:.2f}' for r in ratios95)})")


SMALL_SERVER = 4000  # a server of 1,000 players, all of whom answer each round


async def big_closes(storage: Storage, count: int, guild: int, everyone: int, seed: int = 1) -> list[float]:
    """``count`` closes of one game's rounds in ``guild``, each answered by 1,000 of its ``everyone``
    players (the same 1,000 when that is all of them, else a random 1,000 each time), half of them
    right: five buckets per answer, the all-time, the game's and this month's, week's and day's, and
    the player's total in the round's category."""
    rng = random.Random(seed)
    latencies = []
    game_id = await storage.start_game(guild, 1, 1, count, time.time())
    for i in range(count):
        now = time.time()
        round_id = await storage.open_round(OpenRound(guild, 1, i, "q", (0, 1, 2, 3), 20, now, now + 20, game_id=game_id,
                                                         category=rng.choice(CATEGORIES)))
        users = range(everyone) if everyone == 1000 else rng.sample(range(everyone), 1000)
        outcomes = tuple(PlayerOutcome(u, f"p{u}", 0, u % 2 == 0, 150 if u % 2 == 0 else 0, rng.randrange(20000))
                         for u in users)
        t = time.perf_counter()
        await storage.close_round(round_id, guild, RoundResult(ASKED, outcomes), now, now + 20)
        latencies.append(time.perf_counter() - t)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--players", type=int, default=50_000)
    parser.add_argument("--pairs", type=int, default=5, help="paired runs of the closes with and without reads")
    parser.add_argument("--database", type=Path, help="keep the built database here, or reuse it if present")
    parser.add_argument("--postgres", metavar="URL", help="also measure on this (empty) PostgreSQL database")
    args = parser.parse_args()
    now_dt = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.database or Path(tmp) / "bench.sqlite3"
        if path.exists():
            print(f"reusing {path}")
        else:
            t = time.perf_counter()
            await build(path, args.answers, args.players, now_dt.timestamp())
            print(f"built {args.answers:,} answers by {args.players:,} players (+100 servers) in {time.perf_counter() - t:.1f} s")
        if args.postgres:
            t = time.perf_counter()
            await copy_sqlite_to_postgres(path, args.postgres)
            await vacuum(args.postgres)
            print(f"copied to PostgreSQL {describe(args.postgres)} in {time.perf_counter() - t:.1f} s")
        await measure(create_storage(path), "SQLite", now_dt, args.players, args.pairs)
        if args.postgres:
            await measure(create_storage(args.postgres), "PostgreSQL", now_dt, args.players, args.pairs)


async def vacuum(url: str) -> None:
    """What autovacuum does soon after a bulk load: planner statistics and the visibility map (so the
    ranking index answers pages on its own)."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def measure(storage: Storage, backend: str, now_dt: datetime, players: int, pairs: int) -> None:
    print(f"--- {backend}")
    await storage.open()
    try:
        deep = players // 2
        for period in (Period.ALL_TIME, Period.MONTH, Period.WEEK, Period.TODAY, Period.LAST_GAME):
            if period is Period.LAST_GAME:
                board = BoardFilter(game_id=await storage.last_game_id(GUILD))
            else:
                start = period_start(period, now_dt)
                board = BoardFilter(since=start, period=period if start is not None else None)
            size = await storage.leaderboard_size(GUILD, board)
            print(f"{period.value:>10} page 1     {pct(await timed(partial(storage.leaderboard, GUILD, board)))}")
            offset = min(deep, max(0, size - 10))
            print(f"{period.value:>10} deep page  {pct(await timed(partial(storage.leaderboard, GUILD, board, 10, offset)))}  (offset {offset:,})")
            print(f"{period.value:>10} size       {pct(await timed(partial(storage.leaderboard_size, GUILD, board)))}  ({size:,} players)")
        print(f"{'stats':>10}            {pct(await timed(lambda: storage.player_stats(GUILD, 4242)))}")
        await paired_closes(storage, pairs)
        scenarios = ((SMALL_SERVER, 1000, "a server of 1,000 players"), (GUILD, players, f"the big server, 1,000 of {players:,}"))
        for guild, everyone, where in scenarios:
            if isinstance(storage, SqliteStorage):
                await big_closes_beside_writer_checkpoints(storage, pairs, guild, everyone, where)
            else:
                print(f"1,000-answer close      {pct(await big_closes(storage, 25 * pairs, guild, everyone))}  ({where})")
        # The big server's totals were just rewritten by its closes: on PostgreSQL the ranking index's
        # pages are no longer all-visible until a vacuum, so a skip checks each row it passes in the table.
        offset = min(deep, max(0, await storage.leaderboard_size(GUILD) - 10))
        print(f"  all-time deep page after the closes  {pct(await timed(partial(storage.leaderboard, GUILD, BoardFilter(), 10, offset)))}")
    finally:
        await storage.close()


class WriterCheckpoints(SqliteStorage):
    """The SQLite storage as it would be without its background checkpoints: the committing
    connection copies the log back into the file every 1,000 pages, SQLite's default."""

    async def open(self) -> None:
        await super().open()
        if self._checkpoints is not None:
            await self._checkpoints.close()
            self._checkpoints = None
        await self.db.execute_fetchall("PRAGMA wal_autocheckpoint = 1000")


async def big_closes_beside_writer_checkpoints(storage: SqliteStorage, pairs: int, guild: int, everyone: int, where: str) -> None:
    """1,000-answer closes with the storage as shipped and with the writer's own checkpoints, 25 each
    per pair, the order alternating (the figure: the shipped side's closes). Each side has a database
    of its own, the writer's side a page-for-page copy (SQLite's backup), so neither side's commits
    empty the other's page cache or lengthen its log."""
    copy = Path(storage.path + ".writer-side")
    source, target = sqlite3.connect(storage.path), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    writer = WriterCheckpoints(copy)
    await writer.open()
    try:
        sides: dict[bool, list[float]] = {True: [], False: []}
        for pair in range(pairs):
            for as_shipped in (True, False) if pair % 2 == 0 else (False, True):
                sides[as_shipped] += await big_closes(storage if as_shipped else writer, 25, guild, everyone, seed=pair)
    finally:
        await writer.close()
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)
    shipped, own = sides[True], sides[False]
    print(f"1,000-answer close      {pct(shipped)}  ({len(shipped)} closes, {where})")
    print(f"  with the writer's own checkpoints: {pct(own)}; ratio p50 "
          f"{statistics.median(shipped) / statistics.median(own):.2f}, p95 {p95(shipped) / p95(own):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
