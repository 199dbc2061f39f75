"""CPU per raw reaction add and remove: the bot with 200 live games vs a bare discord.py client.

    python -m benchmarks.reactions [--guilds 20] [--channels 10] [--players 20] [--repeat 7]

Setup (the honest one: nothing of the bot is stubbed). The real bot runs under SimCord with the
shipped packs; 20 servers × 10 channels each get a ``/trivia`` game (120-second answer window), so
200 games have a question open. Every player then really reacts (letter A) on their game's question
and takes it back, through SimCord's gateway; the MESSAGE_REACTION_ADD / _REMOVE payloads SimCord
sent are captured from its transcript. That is the workload replayed below.

The bare client is a ``discord.AutoShardedClient`` with the bot's intents (guilds + guild_reactions),
``max_messages=None``, the bot's member cache flags and shard count, and a no-op
``on_raw_reaction_add`` / ``on_raw_reaction_remove``. Its cache is filled from the same GUILD_CREATE
payloads the bot received (pruned by SimCord for these intents), so it knows the same servers and
members, and it is fed the very same reaction payloads.

Both sides are fed through discord.py's own parser (``_connection.parse_message_reaction_add`` /
``_remove``), which builds the payload objects and dispatches them (the bare client's listeners run as
tasks; the bot's game takes each reaction within its ``dispatch``); the loop is then drained so every
listener has run. CPU is ``time.process_time()`` around parse + drain, per event.
Adds and removes alternate between the two sides in one run (bot adds, bare adds, bot removes, bare
removes), ``--repeat`` times; medians are printed. On the bot each add records a pick on the open
question's answer sheet and each remove withdraws it, so every repeat does the same real work.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import itertools
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmark this checkout even if another copy is installed

import discord  # noqa: E402
import simcord  # noqa: E402
from simcord import intents as simcord_intents  # noqa: E402

from bot import Settings, create_bot  # noqa: E402
from bot.client import TriviaBot, bot_intents  # noqa: E402
from bot.constants import LETTERS  # noqa: E402

Payload = dict[str, Any]


def bare_client(bot: TriviaBot) -> discord.AutoShardedClient:
    """A bare client with the bot's intents, cache flags and shard count, and no-op raw listeners."""
    client = discord.AutoShardedClient(
        intents=bot_intents(),
        max_messages=None,
        member_cache_flags=bot._connection.member_cache_flags,
        chunk_guilds_at_startup=bot._connection._chunk_guilds,
        shard_count=bot.shard_count,
    )

    @client.event
    async def on_raw_reaction_add(payload: discord.RawReactionActionEvent) -> None:
        pass

    @client.event
    async def on_raw_reaction_remove(payload: discord.RawReactionActionEvent) -> None:
        pass

    return client


async def drain() -> None:
    """Let every listener task scheduled by the parser run to its end."""
    for _ in range(3):
        await asyncio.sleep(0)


async def cpu_per_event(env: Any, parse: Callable[[Any], None], payloads: list[Payload]) -> float:
    """CPU seconds per event for parsing ``payloads`` and running the listeners they dispatch.

    Fed in SimCord's bot scope, as its gateway delivers events, so the listener tasks read the
    simulated clock (the open questions' deadlines are on it), on a loop without SimCord's tracking.
    """
    gc.collect()
    with env._bot_scope(), plain_loop(env):
        start = time.process_time()
        for payload in payloads:
            parse(payload)
        await drain()
        return (time.process_time() - start) / len(payloads)


@contextmanager
def plain_loop(env: Any) -> Iterator[None]:
    """Lift SimCord's bookkeeping from the loop and the clock while events are replayed.

    SimCord wraps ``loop.create_task`` and ``loop.call_soon`` to track the bot's work (about 200 µs
    an event at this size) and replaces ``time.monotonic`` by its virtual clock (about 4 µs a
    read); production has neither, and either would drown the figures. The virtual clock does not
    move during a replay, so it is read once and served by a C callable as cheap as the real one:
    the games' deadlines still hold.
    """
    loop, runtime = asyncio.get_running_loop(), env._runtime
    wrapped = {name: getattr(loop, name) for name in ("create_task", "call_soon")}
    clock = time.monotonic
    time.monotonic = itertools.repeat(clock()).__next__
    loop.create_task, loop.call_soon = runtime.create_task, runtime.call_soon  # type: ignore[method-assign]
    try:
        yield
    finally:
        time.monotonic = clock
        for name, method in wrapped.items():
            setattr(loop, name, method)


async def build_games(env: Any, bot: TriviaBot, guilds: int, channels: int, players: int) -> list[Any]:
    """Start a game in every channel; return the members as (member, question message) pairs."""
    pairs: list[tuple[Any, Any]] = []
    for g in range(guilds):
        guild = env.create_guild(f"Server {g}")
        members = [guild.add_member(env.create_user(f"g{g}p{p}")) for p in range(players)]
        for c in range(channels):
            channel = guild.create_text_channel(f"trivia-{c}")
            await members[0].slash(channel, "trivia", seconds=120)
            pairs.extend((member, channel.last_message) for member in members)
    return pairs


async def capture(env: Any, pairs: list[Any]) -> tuple[list[Payload], list[Payload]]:
    """Really react with A on each question and take it back; return the gateway payloads sent."""
    mark = len(env.backend.transcript)
    for added in (True, False):
        for member, message in pairs:
            env.backend.set_reaction(message.channel.id, message.id, LETTERS[0], member.id, added)
        await env.settle()
    sent = env.backend.transcript[mark:]
    adds = [p for kind, event, p in sent if kind == "GATEWAY" and event == "MESSAGE_REACTION_ADD"]
    removes = [p for kind, event, p in sent if kind == "GATEWAY" and event == "MESSAGE_REACTION_REMOVE"]
    return adds, removes


def fill_cache(client: discord.AutoShardedClient, env: Any) -> None:
    """Give the bare client the servers the bot knows, from the same GUILD_CREATE payloads."""
    for kind, event, payload in list(env.backend.transcript):
        if kind == "GATEWAY" and event == "GUILD_CREATE":
            data = copy.deepcopy(dict(payload))
            simcord_intents.prune_guild_create(data, client.intents, env.backend.bot_user.id)
            client._connection.parse_guild_create(data)


async def run(args: argparse.Namespace) -> None:
    logging.disable(logging.WARNING)  # the bot logs each game start at INFO
    with tempfile.TemporaryDirectory(prefix="trivia-bench-") as tmp:
        bot = create_bot(Settings(database=Path(tmp) / "bench.sqlite3", shard_count=1))
        try:
            await measure(bot, args)
        finally:
            await bot.storage.close()  # SimCord detaches the bot without closing it


async def measure(bot: TriviaBot, args: argparse.Namespace) -> None:
    async with simcord.run(bot) as env:
        started = time.perf_counter()
        pairs = await build_games(env, bot, args.guilds, args.channels, args.players)
        adds, removes = await capture(env, pairs)
        bare = bare_client(bot)
        await bare._async_setup_hook()
        fill_cache(bare, env)
        live = [game.live for game in bot.games if game.live is not None]
        with env._bot_scope():
            left = min(g.deadline for g in live) - asyncio.get_running_loop().time()
        print(f"discord.py {discord.__version__}, SimCord {simcord.__version__}, Python {sys.version.split()[0]}")
        print(f"{len(bot.games)} live games ({len(live)} with a question open, {left:.0f} s left to answer), "
              f"{len(bare.guilds)} servers in the bare client's cache; set up in {time.perf_counter() - started:.1f} s")
        print(f"{len(adds):,} adds and {len(removes):,} removes per batch, {args.repeat} repeats, medians\n")
        if len(live) != len(bot.games) or len(adds) != len(pairs) or len(removes) != len(pairs):
            sys.exit("setup did not produce one open question per game and one event per reaction")

        figures: dict[str, list[float]] = {"bot add": [], "bare add": [], "bot remove": [], "bare remove": []}
        held = 0
        for _ in range(args.repeat):
            figures["bot add"].append(await cpu_per_event(env, bot._connection.parse_message_reaction_add, adds))
            held = max(held, sum(len(round_.sheet) for round_ in live))
            figures["bare add"].append(await cpu_per_event(env, bare._connection.parse_message_reaction_add, adds))
            figures["bot remove"].append(await cpu_per_event(env, bot._connection.parse_message_reaction_remove, removes))
            figures["bare remove"].append(await cpu_per_event(env, bare._connection.parse_message_reaction_remove, removes))
        if held != len(pairs) or any(len(round_.sheet) for round_ in live):
            sys.exit("the replayed adds and removes did not reach the games' answer sheets")
        for kind in ("add", "remove"):
            ours, theirs = statistics.median(figures[f"bot {kind}"]), statistics.median(figures[f"bare {kind}"])
            print(f"raw reaction {kind:<6}  bot {ours * 1e6:6.1f} µs   bare discord.py {theirs * 1e6:6.1f} µs   "
                  f"ratio {ours / theirs:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per raw reaction event, bot vs bare discord.py.")
    parser.add_argument("--guilds", type=int, default=20)
    parser.add_argument("--channels", type=int, default=10, help="channels (games) per server")
    parser.add_argument("--players", type=int, default=20, help="members per server, each reacting in every game")
    parser.add_argument("--repeat", type=int, default=7)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
