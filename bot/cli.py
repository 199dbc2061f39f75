"""Command line: `trivia-night [run|validate|import|backup|migrate|copy-db|...] ...` (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Sequence

from bot.importers import ENCODINGS, ImporterError, import_csv, import_opentdb
from bot.logs import configure_logging
from bot.preflight import startup_problems
from bot.questions import load_packs
from bot.settings import ENV_FILE_VARIABLE, Settings, SettingsError, named_env_file
from bot.stopping import stop_on_signals
from bot.storage.backup import BackupError, back_up
from bot.storage.base import Storage
from bot.storage.copy_db import copy_sqlite_to_postgres
from bot.storage.errors import StorageError
from bot.storage.factory import create_storage, postgres_url
from bot.storage.migrations import SCHEMA_VERSION
from bot.storage.postgres import describe
from bot.version import version

if TYPE_CHECKING:
    import discord


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trivia-night", description="Trivia Night, a Discord trivia bot.")
    parser.add_argument("--version", action="version", version=f"trivia-night {version()}")
    parser.add_argument(
        "--env-file", type=Path, metavar="PATH",
        help=f"the settings file to read instead of .env in the working directory (also: {ENV_FILE_VARIABLE})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="start the bot (the default)")
    run.add_argument("--sync", action="store_true", help="sync slash commands with Discord even if unchanged")
    run.add_argument("--shard-count", type=int, metavar="N", help="the number of gateway shards of the whole bot (default: TRIVIA_SHARD_COUNT, else as Discord recommends)")
    run.add_argument("--shard-ids", metavar="IDS", help="run only these shards, like 0-3 or 0,2,4 (default: TRIVIA_SHARD_IDS, else all); needs a shard count")
    validate = commands.add_parser("validate", help="check question packs and report every problem")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack files or folders of packs")
    importer = commands.add_parser("import", help="convert questions from another format into a pack file")
    formats = importer.add_subparsers(dest="format", metavar="FORMAT", required=True)
    opentdb = formats.add_parser("opentdb", help="an Open Trivia DB API response (.json)")
    opentdb.add_argument("--encoding", choices=ENCODINGS, default="auto", help="how the API encoded the text (default: detect)")
    sheet = formats.add_parser("csv", help="a CSV sheet with a header row", description="Header: question,answer,wrong_answers,category,difficulty,explanation,learn_more (wrong_answers separated by |).")
    for fmt in (opentdb, sheet):
        fmt.add_argument("file", type=Path, metavar="FILE", help="the file to import")
        fmt.add_argument("--out", type=Path, required=True, metavar="PATH", help="the pack file to write, e.g. questions/imported.yaml")
        fmt.add_argument("--name", help="the pack name (default: the category, if all questions share one)")
        fmt.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup = commands.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, metavar="PATH", help="where to write the copy")
    backup.add_argument("--database", help="the database to copy, a path, sqlite:///path or postgresql://... (default: TRIVIA_DATABASE)")
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    demo = commands.add_parser("demo", help="play in a simulated Discord in your browser: no token, no network")
    demo.add_argument("--packs", type=Path, metavar="DIR", help="preview the packs in DIR instead of the shipped ones")
    demo.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 to serve the page on (default: any free one)")
    demo.add_argument("--no-browser", action="store_true", help="only print the page's address; do not open a browser")
    migrate = commands.add_parser("migrate", help="upgrade the database to this bot's schema and say its version")
    migrate.add_argument("--database", help="the database, a path, sqlite:///path or postgresql://... (default: TRIVIA_DATABASE)")
    copy = commands.add_parser("copy-db", help="copy a SQLite database into PostgreSQL, checking every table's count")
    copy.add_argument("source", type=Path, metavar="SQLITE_PATH", help="the SQLite database file to copy")
    copy.add_argument("target", metavar="POSTGRESQL_URL", help="postgresql://user:password@host:port/dbname, an empty database")
    copy.add_argument("--force", action="store_true", help="replace whatever the target database holds")
    rebuild = commands.add_parser("rebuild-totals", help="recompute the leaderboard totals from the stored answers")
    rebuild.add_argument("--database", help="the database, a path or sqlite:///path (default: TRIVIA_DATABASE)")
    return parser


def rebuild_totals(args: argparse.Namespace) -> int:
    """Recompute every running total from the answers table (e.g. after restoring an old backup)."""

    async def rebuild() -> int:
        storage = create_storage(args.database or Settings.from_env(env_file=args.env_file).database)
        await storage.open()
        try:
            return await storage.rebuild_totals()
        finally:
            await storage.close()

    try:
        written = asyncio.run(rebuild())
    except (StorageError, SettingsError) as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 1
    print(f"Rebuilt {written} leaderboard totals from the stored answers")
    return 0


def demo(args: argparse.Namespace) -> int:
    """The real bot in SimCord's browser preview (the optional `demo` extra)."""
    from bot.demo import DemoOptions
    from bot.demo import main as run_demo

    return run_demo(DemoOptions(packs=args.packs, port=args.port, open_browser=not args.no_browser))


def backup(args: argparse.Namespace) -> int:
    source = args.database or Settings.from_env(env_file=args.env_file).database
    try:
        done = back_up(source, args.path, overwrite=args.force)
    except BackupError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 1
    print(done)
    return 0


def migrate(args: argparse.Namespace) -> int:
    """Bring the database to this bot's schema (what the bot does as it starts) and say its version."""

    async def upgrade() -> None:
        storage = create_storage(args.database or Settings.from_env(env_file=args.env_file).database)
        await storage.open()  # applies every missing migration, or refuses a newer database
        await storage.close()

    try:
        asyncio.run(upgrade())
    except (StorageError, SettingsError) as exc:
        report(str(exc))
        return 2
    print(f"The database is at schema version {SCHEMA_VERSION}, this bot's.")
    return 0


def copy_db(args: argparse.Namespace) -> int:
    """Copy a SQLite database into PostgreSQL and print the rows per table, checked on both sides."""
    url = postgres_url(args.target)
    if url is None:
        report("copy-db copies into PostgreSQL: the target must be a postgresql://user:password@host/dbname URL")
        return 2
    try:
        counts = asyncio.run(copy_sqlite_to_postgres(args.source, url, force=args.force))
    except StorageError as exc:
        report(str(exc))
        return 2
    for table, rows in counts.items():
        print(f"{table}: {rows} rows")
    print(f"Copied {sum(counts.values())} rows from {args.source} to {describe(url)}; every table's count matches.")
    return 0


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


def import_questions(args: argparse.Namespace) -> int:
    """Write a pack from another format and print what was imported and skipped; exit status 1 on failure."""
    try:
        if args.format == "opentdb":
            result = import_opentdb(args.file, args.out, name=args.name, encoding=args.encoding, force=args.force)
        else:
            result = import_csv(args.file, args.out, name=args.name, force=args.force)
    except ImporterError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def run(settings: Settings) -> int:
    # Only here: validate, import and backup must not load discord.py or the client.
    import aiohttp
    import discord

    from bot.client import create_bot

    problems = startup_problems(settings)
    if problems:
        report("\n".join(problems))
        return 2
    storage = create_storage(settings.database)
    try:
        asyncio.run(_check_claim(storage, settings.shard_ids))  # first of all: a second bot on this database stops here, in one line
    except StorageError as exc:
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    bot = create_bot(settings, storage)
    try:
        asyncio.run(_start(bot, settings.token))
    except discord.LoginFailure:
        print("trivia-night: Discord rejected DISCORD_TOKEN; reset the token in the Developer Portal and update .env.", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("trivia-night: Discord refused the gateway intents; the bot needs none of the privileged ones, so check the application settings.", file=sys.stderr)
        return 2
    except (aiohttp.ClientError, OSError) as exc:
        print(f"trivia-night: cannot reach Discord ({type(exc).__name__}); check the machine's internet connection.", file=sys.stderr)
        return 2
    except StorageError as exc:  # the database cannot be opened or upgraded
        print(f"trivia-night: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def _check_claim(storage: Storage, shard_ids: Collection[int] | None) -> None:
    """Claim the database (or these shards of it) and let it go: the bot claims it again, in its own
    event loop, as it starts (a claim held by a database connection cannot outlive the loop it was made in)."""
    try:
        await storage.claim(shard_ids)
    finally:
        await storage.close()


async def _start(bot: discord.Client, token: str) -> None:
    stop_on_signals(bot)
    async with bot:
        await bot.start(token)


def report(message: str) -> None:
    """Print a problem on stderr, one line per line of ``message``, each naming the program."""
    for line in message.splitlines():
        print(f"trivia-night: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.env_file is not None:
        try:
            named_env_file(args.env_file, "--env-file")
        except SettingsError as exc:
            report(str(exc))
            return 2
    if args.command == "validate":
        return validate(args.paths)
    if args.command == "import":
        return import_questions(args)
    if args.command == "demo":
        return demo(args)
    if args.command == "rebuild-totals":
        return rebuild_totals(args)
    if args.command == "copy-db":
        return copy_db(args)
    if args.command == "migrate":
        return migrate(args)
    if args.command == "backup":
        try:
            return backup(args)
        except SettingsError as exc:
            report(str(exc))
            return 2
    try:
        settings = run_settings(args)
    except SettingsError as exc:
        report(str(exc))
        return 2
    return run(settings)


def run_settings(args: argparse.Namespace) -> Settings:
    """The settings from the environment and `.env`, with what `run`'s options say over them."""
    environ = dict(os.environ)
    if getattr(args, "shard_count", None) is not None:
        environ[Settings.ENV_NAMES["shard_count"]] = str(args.shard_count)
    if getattr(args, "shard_ids", None) is not None:
        environ[Settings.ENV_NAMES["shard_ids"]] = args.shard_ids
    settings = Settings.from_env(environ, env_file=args.env_file)
    if getattr(args, "sync", False):
        settings = dataclasses.replace(settings, force_sync=True)
    return settings


if __name__ == "__main__":
    sys.exit(main())
