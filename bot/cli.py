"""Command line: `trivia-night [run|validate] ...` (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

import discord

from bot.questions import load_packs
from bot.settings import Settings, SettingsError
from bot.storage import DatabaseError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trivia-night", description="Trivia Night, a Discord trivia bot.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="start the bot (the default)")
    run.add_argument("--sync", action="store_true", help="sync slash commands with Discord even if unchanged")
    validate = commands.add_parser("validate", help="check question packs and report every problem")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack files or folders of packs")
    return parser


def validate(paths: Sequence[Path]) -> int:
    """Print every problem as file:line:column; exit status 1 on any error."""
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"{path}: error: no such file or folder", file=sys.stderr)
    report = load_packs([p for p in paths if p.exists()])
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if missing or report.errors:
        print(f"{len(report.errors) + len(missing)} error(s) in {len(report.rejected) + len(missing)} file(s)", file=sys.stderr)
        return 1
    questions = report.questions
    categories = Counter(q.category for q in questions)
    print(f"OK: {len(report.packs)} packs, {len(questions)} questions, {len(categories)} categories")
    return 0


def run(settings: Settings) -> int:
    from bot.client import create_bot

    try:
        settings.check_token()
    except SettingsError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bot = create_bot(settings)
    try:
        asyncio.run(_start(bot, settings.token))
    except discord.LoginFailure:
        print("trivia-night: Discord rejected DISCORD_TOKEN; reset the token in the Developer Portal and update .env.", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("trivia-night: Discord refused the gateway intents; the bot needs none of the privileged ones, so check the application settings.", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def _start(bot: discord.Client, token: str) -> None:
    async with bot:
        await bot.start(token)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return validate(args.paths)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "sync", False):
        settings = dataclasses.replace(settings, force_sync=True)
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
