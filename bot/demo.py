"""`trivia-night demo`: the real, unmodified bot playing in a simulated Discord in your browser.

SimCord stands in for Discord (no token, no network) and its interactive preview serves a
Discord-like page on 127.0.0.1 where you run the slash commands, react and switch between members.
Nothing is stubbed: the bot is built by ``create_bot`` on a temporary database, and its timers run on
the real clock, so a question closes when its countdown does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Coroutine

from bot.client import create_bot
from bot.settings import DEFAULT_QUESTIONS_DIR, Settings

if TYPE_CHECKING:
    from simcord import ChannelHandle, Env, MemberActor

BOT_NAME = "Trivia Night"
SERVER_NAME = "Trivia Night demo"
CHANNEL_NAME = "trivia"
HOST_NAME = "host"  # has Manage Server, so /trivia-settings and /trivia-pack work from the first viewer
PLAYER_NAMES = ("ada", "grace", "linus")
ANSWER_SECONDS = 15  # short, so a first question is over quickly; /trivia seconds:N still picks any time
INSTALL_HINT = (
    "the demo needs SimCord's preview, an optional extra: "
    'pip install -e ".[demo]" (in a checkout) or pip install "trivia-night[demo]"'
)


class DemoError(Exception):
    """The demo cannot start; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class DemoOptions:
    packs: Path | None = None  # None: the shipped packs
    port: int = 0  # 0: any free port
    open_browser: bool = True


def check_simcord() -> None:
    """Raise :class:`DemoError` with the install command when SimCord is not installed at all
    (a SimCord without its preview extra is reported when the page starts)."""
    try:
        import simcord  # noqa: F401
    except ImportError:
        raise DemoError(INSTALL_HINT) from None


def seed_server(env: Env) -> tuple[ChannelHandle, list[MemberActor]]:
    """The demo server: a #trivia channel, a host with Manage Server and a few players."""
    import discord

    guild = env.create_guild(SERVER_NAME)
    channel = guild.create_text_channel(CHANNEL_NAME, topic="Run /trivia here, then react with a letter.")
    hosts = guild.create_role("Hosts", permissions=discord.Permissions(manage_guild=True))
    host = guild.add_member(env.create_user(HOST_NAME), roles=[hosts])
    players = [guild.add_member(env.create_user(name)) for name in PLAYER_NAMES]
    return channel, [host, *players]


def can_open_browser() -> bool:
    """False on a Linux or BSD machine without a desktop, where `webbrowser` would start a text browser."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


async def run_demo(options: DemoOptions) -> None:
    """Serve the demo until Ctrl-C (or the page's End preview session)."""
    import simcord

    with tempfile.TemporaryDirectory(prefix="trivia-night-demo-") as folder:
        settings = Settings(
            database=Path(folder) / "demo.sqlite3",
            questions_dir=options.packs or DEFAULT_QUESTIONS_DIR,
            answer_seconds=ANSWER_SECONDS,
            shard_count=1,
        )
        bot = create_bot(settings)
        try:
            async with simcord.run(bot, check_errors=False) as env:
                if bot.user is not None and bot.user.name != BOT_NAME:
                    await bot.user.edit(username=BOT_NAME)  # the simulated account starts out as "TestBot"
                channel, members = seed_server(env)
                try:
                    preview = env.preview(channel, viewers=members, layout="channel", port=options.port)
                    await preview.__aenter__()
                except simcord.SetupError as exc:
                    if "simcord[preview]" in str(exc):  # SimCord's words for its missing preview extra
                        raise DemoError(INSTALL_HINT) from None
                    raise DemoError(f"the demo could not start its page: {exc}") from None
                try:
                    print(
                        f"Trivia Night demo: {len(bot.bank)} questions from {settings.questions_dir}, "
                        f"answer time {ANSWER_SECONDS} s.",
                        flush=True,
                    )
                    print(f"Open {preview.url} in your browser. Press Ctrl-C to stop.", flush=True)
                    if options.open_browser and can_open_browser():
                        webbrowser.open(preview.url)
                    await _until_stopped(preview.wait_closed())
                finally:
                    await preview.close()
        finally:
            await bot.storage.close()  # SimCord detaches the bot without closing it; open connections keep the process alive


async def _until_stopped(closed: Coroutine[Any, Any, None]) -> None:
    """Wait for ``closed`` (End preview session on the page) or for Ctrl-C / SIGTERM.

    The signals set an event rather than cancelling the running task: a cancellation that lands
    inside SimCord's settling leaves the demo hanging instead of exiting."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C arrives as KeyboardInterrupt
            loop.add_signal_handler(number, stop.set)
    waiters = [asyncio.ensure_future(closed), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        for number in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(number)


def main(options: DemoOptions) -> int:
    """Run the demo; problems are one line on stderr and a non-zero exit status."""
    try:
        check_simcord()
        # The problems of your own packs (--packs) are worth reading; the shipped packs' warnings are not.
        level = logging.WARNING if options.packs else logging.ERROR
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        asyncio.run(run_demo(options))
    except DemoError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # where the loop takes no signal handlers (Windows)
        pass
    print("Demo stopped.", flush=True)
    return 0
