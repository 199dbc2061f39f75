"""A cluster for real: two bot processes, each running its own shards in a SimCord world of its own,
play games at the same time on one PostgreSQL database; every answer is counted once and every
leaderboard equals the ground truth the players' answers make."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.storage import BoardFilter, create_storage
from tests.cluster_process import GAMES, PACK_QUESTIONS, SERVERS_PER_SHARD
from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parent.parent
SHARDS = 2


async def run_process(database: str, shard_id: int, out: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.cluster_process", "--database", database, "--shard-count", str(SHARDS),
        "--shard-ids", str(shard_id), "--seed", str(shard_id), "--out", str(out),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=300)
    assert process.returncode == 0, output.decode(errors="replace")


async def test_two_processes_on_one_postgresql_count_every_answer_once(tmp_path: Path) -> None:
    async with fresh_database("postgres", tmp_path) as database:
        assert isinstance(database, str)
        outs = [tmp_path / f"shard-{shard}.json" for shard in range(SHARDS)]
        await asyncio.gather(*(run_process(database, shard, out) for shard, out in enumerate(outs)))
        truth: dict[str, dict[str, list[int]]] = {}
        for out in outs:
            truth.update(json.loads(out.read_text()))
        assert len(truth) == SERVERS_PER_SHARD * SHARDS  # each process played in its own servers

        storage = create_storage(database)
        await storage.open()
        try:
            for guild, players in truth.items():
                answered = {user: tally for user, tally in players.items() if tally[0]}
                rows = await storage.leaderboard(int(guild), BoardFilter(), limit=100)
                assert {str(r.user_id): [r.answered, r.correct] for r in rows} == answered
                assert await storage.leaderboard_size(int(guild)) == len(answered)
                games = await storage.games(int(guild))
                assert len(games) == GAMES and all(g.ended_at is not None for g in games)
            # Question statistics count every process's answers, each once.
            records = [await storage.question_record(f"cluster-{n}") for n in range(PACK_QUESTIONS)]
            everyone = [tally for players in truth.values() for tally in players.values()]
            assert sum(answered for answered, _ in records) == sum(t[0] for t in everyone)
            assert sum(right for _, right in records) == sum(t[1] for t in everyone)
        finally:
            await storage.close()
