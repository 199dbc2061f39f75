"""PostgreSQL from the command line, on a real server: one clear line for a wrong password, port or
database before anything connects to Discord; `migrate`, `copy-db` from SQLite and `backup` (pg_dump)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.game.server_settings import ServerSettings
from bot.storage import BoardFilter, Storage, create_storage
from bot.storage.migrations import SCHEMA_VERSION
from bot.storage.records import Announcement, CustomPackRecord, HiddenPick
from tests.conftest import TEST_PACKS
from tests.contract.test_storage_contract import GUILD, OTHER_GUILD, open_round_record, schedule_record, seed_board
from tests.databases import execute_sql, fresh_database, postgres_server, with_database
from tests.test_cli_start import start
from tests.test_startup_checks import FAKE, env_file, problems


@pytest.fixture
async def database(tmp_path: Path):
    async with fresh_database("postgres", tmp_path) as url:
        yield url


def with_netloc(url: str, **change: object) -> str:
    """The URL with another password or port."""
    parts = urlsplit(url)
    user, password, host, port = parts.username, parts.password, parts.hostname, parts.port
    password = change.get("password", password)
    port = change.get("port", port)
    return parts._replace(netloc=f"{user}:{password}@{host}:{port}").geturl()


def run_bot_on(tmp_path: Path, database: str) -> list[str]:
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_DATABASE={database}\nTRIVIA_QUESTIONS_DIR={TEST_PACKS}\n")
    return problems(start(tmp_path, None, "run"))


def test_a_wrong_password_port_or_database_is_one_line_before_discord(tmp_path: Path) -> None:
    server = postgres_server()
    password = urlsplit(server).password or ""
    [wrong_password] = run_bot_on(tmp_path, with_netloc(server, password="not-the-password"))
    assert wrong_password.startswith("TRIVIA_DATABASE: cannot connect to PostgreSQL at ")
    assert "password authentication failed" in wrong_password and "not-the-password" not in wrong_password
    [wrong_port] = run_bot_on(tmp_path, with_netloc(server, port=1))
    assert wrong_port.startswith("TRIVIA_DATABASE: cannot connect to PostgreSQL at ") and ":1/" in wrong_port
    assert password not in wrong_port
    [no_database] = run_bot_on(tmp_path, with_database(server, "no_such_trivia_database"))
    assert 'database "no_such_trivia_database" does not exist' in no_database and password not in no_database


async def test_a_second_bot_on_the_database_refuses_in_one_line(tmp_path: Path, database: str) -> None:
    running = create_storage(database)
    await running.claim()
    try:
        [line] = run_bot_on(tmp_path, database)
    finally:
        await running.close()
    assert line.startswith("another trivia-night is already running on the database")
    assert (urlsplit(database).password or "") not in line


async def test_migrate_applies_the_schema_and_refuses_a_newer_database(tmp_path: Path, database: str) -> None:
    done = start(tmp_path, None, "migrate", "--database", database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"The database is at schema version {SCHEMA_VERSION}, this bot's."
    storage = create_storage(database)
    await storage.open()  # already current: nothing to do, the data tables are there
    await storage.set_meta("k", "v")
    await storage.close()
    execute_sql(database, "UPDATE schema_version SET version = ?", 99)
    refused = start(tmp_path, None, "migrate", "--database", database)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    [line] = refused.stderr.strip().splitlines()
    assert f"the database is at schema version 99, newer than this bot ({SCHEMA_VERSION}); update the bot" in line


async def fill(store: Storage) -> None:
    """Something in every table: games, rounds (open, closed), answers, names, totals, question counts,
    settings, a custom pack, a hidden pick, the outbox, a schedule and meta."""
    game_id = await seed_board(store)
    await store.end_game(game_id, 500.0)
    pending = await store.open_round(open_round_record(600.0, question_id="q-open", message_id=77))
    await store.save_hidden_picks(pending, [HiddenPick(5, 2, 3.5, "eve")])
    await store.save_server_settings(GUILD, ServerSettings(answer_seconds=25))
    await store.save_custom_pack(CustomPackRecord(GUILD, "Space", "pack: {}", 3, 7, 100.0))
    await store.add_announcement(Announcement("reveal", 77, GUILD, 3003, '{"x": 1}', 610.0))
    await store.add_announcement(Announcement("final", game_id, GUILD, 3003, "{}", 605.0))
    await store.add_schedule(schedule_record(1_000.0))
    await store.set_meta("commands_hash", "abc")


async def everything(store: Storage) -> tuple:
    boards = []
    for guild in (GUILD, OTHER_GUILD):
        boards += [await store.leaderboard(guild, limit=100), await store.player_stats(guild, 1)]
        games = await store.games(guild)
        boards += [games] + [(await store.game_rounds(g.id), await store.game_outcomes(g.id)) for g in games]
        boards.append(await store.leaderboard(guild, BoardFilter(game_id=games[0].id)) if games else None)
    return (
        *boards, await store.open_rounds(), await store.hidden_picks((await store.open_rounds())[0].id),
        await store.server_settings(GUILD, ServerSettings()), await store.custom_packs(GUILD),
        await store.pending_announcements(), await store.schedules(), await store.get_meta("commands_hash"),
        await store.question_record("q-1"), await store.asked_questions(GUILD), await store.last_game_id(GUILD),
    )


async def test_copy_db_copies_every_table_keeps_ids_and_refuses_a_filled_target(tmp_path: Path, database: str) -> None:
    source_path = tmp_path / "old.sqlite3"
    source = create_storage(source_path)
    await source.open()
    await fill(source)
    expected = await everything(source)
    last_game = max(g.id for g in await source.games(GUILD))
    await source.close()

    done = start(tmp_path, None, "copy-db", str(source_path), database)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "games: 1 rows" in lines and "answers: 8 rows" in lines and "schedules: 1 rows" in lines
    assert lines[-1].startswith("Copied ") and lines[-1].endswith("every table's count matches.")
    assert (urlsplit(database).password or "") not in done.stdout

    copied = create_storage(database)
    await copied.open()
    try:
        assert await everything(copied) == expected
        assert await copied.start_game(GUILD, 1, 1, 1, 700.0) > last_game  # ids go on after the copied ones
    finally:
        await copied.close()

    refused = start(tmp_path, None, "copy-db", str(source_path), database)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    [line] = refused.stderr.strip().splitlines()
    assert "already holds data" in line and "--force" in line
    forced = start(tmp_path, None, "copy-db", str(source_path), database, "--force")
    assert forced.returncode == 0, forced.stderr
    again = create_storage(database)
    await again.open()
    try:
        assert await everything(again) == expected  # replaced, not added to
    finally:
        await again.close()


async def test_backup_runs_pg_dump_or_says_to_install_it(tmp_path: Path, database: str) -> None:
    storage = create_storage(database)
    await storage.open()
    await fill(storage)
    await storage.close()
    done = start(tmp_path, None, "backup", str(tmp_path / "trivia.dump"), "--database", database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Backed up ") and "pg_dump custom format" in done.stdout
    assert (urlsplit(database).password or "") not in done.stdout
    assert (tmp_path / "trivia.dump").read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    no_tools = tmp_path / "empty-bin"
    no_tools.mkdir()
    env = {"PATH": str(no_tools)}
    saved_path = os.environ.get("PATH", "")
    try:
        os.environ.update(env)
        missing = start(tmp_path, None, "backup", str(tmp_path / "other.dump"), "--database", database)
    finally:
        os.environ["PATH"] = saved_path
    assert missing.returncode == 1
    [line] = missing.stderr.strip().splitlines()
    assert "needs pg_dump, which is not on PATH; install the PostgreSQL client tools" in line
    assert not (tmp_path / "other.dump").exists()
