"""Resident memory with 5,000 servers: the bot vs a bare discord.py client, each under SimCord.

    python -m benchmarks.memory [--guilds 5000] [--members 3] [--repeat 3]

Each side runs in a subprocess of its own (``--side bot`` / ``--side bare``), so each RSS is clean.
The bot is the real one (``create_bot`` on a fresh SQLite database, the shipped packs, its cogs and
commands); the bare client is a ``discord.AutoShardedClient`` with the bot's intents (guilds +
guild_reactions), ``max_messages=None``, the same member cache flags and shard count. Under one
SimCord world per process, ``--guilds`` servers are created, each with one text channel and
``--members`` members, and delivered to the client over SimCord's gateway (GUILD_CREATE); then
garbage is collected and VmRSS is read from /proc. Both figures include SimCord's own world of
the same servers, and the Python interpreter with discord.py loaded. Sides alternate ``--repeat``
times; medians are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmark this checkout even if another copy is installed


def rss_mib() -> float:
    """This process's resident set size, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def measure(side: str, guilds: int, members: int) -> tuple[float, float]:
    """(RSS once connected with no server, RSS with every server), in MiB."""
    import discord
    import simcord

    from bot import Settings, create_bot
    from bot.client import bot_intents

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="trivia-bench-") as tmp:
        if side == "bot":
            client: discord.Client = create_bot(Settings(database=Path(tmp) / "bench.sqlite3", shard_count=1))
        else:
            client = discord.AutoShardedClient(intents=bot_intents(), max_messages=None, shard_count=1)
        try:
            async with simcord.run(client) as env:
                gc.collect()
                empty = rss_mib()
                for g in range(guilds):
                    guild = env.create_guild(f"Server {g}")
                    guild.create_text_channel("trivia")
                    for m in range(members):
                        guild.add_member(env.create_user(f"g{g}m{m}"))
                    if g % 500 == 499:
                        await env.settle()
                await env.settle()
                if len(client.guilds) != guilds:
                    sys.exit(f"{side}: {len(client.guilds)} servers reached the client, expected {guilds}")
                gc.collect()
                return empty, rss_mib()
        finally:
            storage = getattr(client, "storage", None)
            if storage is not None:
                await storage.close()  # SimCord detaches the bot without closing it


def run_side(side: str, guilds: int, members: int) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--side", side, "--guilds", str(guilds), "--members", str(members)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="RSS with many servers, bot vs bare discord.py.")
    parser.add_argument("--guilds", type=int, default=5000)
    parser.add_argument("--members", type=int, default=3, help="members per server besides the bot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--side", choices=("bot", "bare"), help=argparse.SUPPRESS)  # one side, in a subprocess
    args = parser.parse_args()
    if args.side:
        empty, full = asyncio.run(measure(args.side, args.guilds, args.members))
        print(f"{empty:.1f} {full:.1f}")
        return
    figures: dict[str, list[tuple[float, float]]] = {"bot": [], "bare": []}
    for _ in range(args.repeat):
        for side in figures:
            figures[side].append(run_side(side, args.guilds, args.members))
    print(f"{args.guilds:,} servers, one channel and {args.members} members each, under SimCord; "
          f"median of {args.repeat} runs per side, each in its own process\n")
    medians = {side: (statistics.median(e for e, _ in runs), statistics.median(f for _, f in runs)) for side, runs in figures.items()}
    for side, label in (("bot", "bot"), ("bare", "bare discord.py")):
        empty, full = medians[side]
        print(f"{label:<16} RSS {full:7.1f} MiB   (connected, no servers: {empty:6.1f} MiB; servers add {full - empty:6.1f} MiB)")
    (bot_empty, bot_full), (bare_empty, bare_full) = medians["bot"], medians["bare"]
    print(f"\nratio bot / bare: {bot_full / bare_full:.2f}x RSS; {(bot_full - bot_empty) / (bare_full - bare_empty):.2f}x for the servers alone")


if __name__ == "__main__":
    main()
