"""One process of a test cluster: a real bot running some shards, in a SimCord world of its own.

``python -m tests.cluster_process --database URL --shard-count 2 --shard-ids 0 --seed 1 --out truth.json``
plays games in servers on its shards (several at the same time), players answering at random, and
writes what they did as the ground truth: per server and player, questions answered and answered
right. tests/test_cluster.py runs two of these at once on one PostgreSQL and checks the boards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections import defaultdict
from pathlib import Path

import discord
import simcord

from bot import Settings, create_bot
from tests.helpers import burst, choice_letters

SERVERS_PER_SHARD = 2
GAMES = 2
QUESTIONS = 3
SECONDS = 20
BREAK = 5
PLAYERS = 6
PACK_QUESTIONS = 40


def write_pack(folder: Path, count: int = PACK_QUESTIONS) -> None:
    """A pack whose right answers say so, so a player (and the truth) knows them."""
    entries = "".join(
        f"""  - id: cluster-{n}
    question: "Cluster question number {n}?"
    choices: ["Right {n}", "Wrong {n}", "Off {n}", "Far {n}"]
    answer: "Right {n}"
    category: Cluster
    difficulty: easy
    explanation: "Its answer says it is right."
"""
        for n in range(count)
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cluster.yaml").write_text(f"pack:\n  name: Cluster\n  license: CC0\nquestions:\n{entries}", encoding="utf-8")


def right_letter(question: discord.Message) -> str:
    return next(letter for choice, letter in choice_letters(question).items() if choice.startswith("Right"))


async def play(args: argparse.Namespace) -> dict[str, dict[str, list[int]]]:
    packs = args.out.with_suffix(".packs")
    write_pack(packs)
    settings = Settings(
        database=args.database, questions_dir=packs, shard_count=args.shard_count, shard_ids=tuple(args.shard_ids), bank_cache="off"
    )
    bot = create_bot(settings)
    rng = random.Random(args.seed)
    truth: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # guild -> user -> [answered, right]
    # Each process has a Discord of its own here, where only the one running shard 0 would sync the
    # commands: the others' worlds register them as Discord would have (they are global on Discord).
    async with simcord.run(bot, strict_sync=False) as env:
        servers = []
        for shard in args.shard_ids:
            for n in range(SERVERS_PER_SHARD):
                guild = env.create_guild(f"Shard {shard} server {n}", shard_id=shard)
                channel = guild.create_text_channel("trivia")
                players = [guild.add_member(env.create_user(f"p{shard}-{n}-{i}")) for i in range(PLAYERS)]
                servers.append((guild, channel, players))
        for _ in range(GAMES):
            for _guild, channel, players in servers:
                await players[0].slash(channel, "trivia", questions=QUESTIONS, seconds=SECONDS)
            for _ in range(QUESTIONS):
                reactions = []
                for guild, channel, players in servers:
                    question = channel.last_message
                    letters = choice_letters(question)
                    right = right_letter(question)
                    for player in players:
                        if rng.random() < 0.2:
                            continue  # sits this one out
                        letter = right if rng.random() < 0.5 else rng.choice(sorted(letters.values()))
                        reactions.append((player, question, letter, True))
                        tally = truth[str(guild.id)][str(player.id)]
                        tally[0] += 1
                        tally[1] += letter == right
                await burst(env, reactions)
                await env.advance_time(SECONDS + 1)
                await env.advance_time(BREAK + 1)
            await env.advance_time(60)  # final standings, then the next game
    await bot.storage.close()  # an open connection would keep the process alive
    return {guild: dict(players) for guild, players in truth.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--shard-count", type=int, required=True)
    parser.add_argument("--shard-ids", type=int, nargs="+", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(asyncio.run(play(args))))


if __name__ == "__main__":
    main()
