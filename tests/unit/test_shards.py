"""Shard slices: how they are written, checked and owned, and how connecting is paced across processes."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from bot.cli import run_settings
from bot.settings import Settings, SettingsError
from bot.shards import IdentifyPacer, ShardSlice, ShardSpecError, format_shard_ids, parse_shard_ids, shard_of
from bot.storage import SqliteStorage


def test_shard_ids_are_numbers_and_ranges() -> None:
    assert parse_shard_ids("0-3,8") == (0, 1, 2, 3, 8)
    assert parse_shard_ids(" 5 , 2-2, 1-3") == (1, 2, 3, 5)
    assert format_shard_ids((8, 0, 1, 2, 3, 5)) == "0-3, 5, 8"
    for bad in ("two", "0-", "3-1", "-1", "1,,2"):
        with pytest.raises(ShardSpecError):
            parse_shard_ids(bad)


def test_a_slice_owns_the_servers_of_its_shards() -> None:
    guild_on = {shard: ((100 + shard) << 22) + 77 for shard in range(4)}  # Discord: shard (id >> 22) % count
    assert [shard_of(guild_on[s], 4) for s in range(4)] == [0, 1, 2, 3]
    owned = ShardSlice(4, (0, 1))
    assert [owned.owns(guild_on[s]) for s in range(4)] == [True, True, False, False]
    assert ShardSlice(4, None).owns(guild_on[3]) and ShardSlice(None, None).owns(guild_on[3])
    assert ShardSlice(4, (0, 1)).syncs_commands and not ShardSlice(4, (2, 3)).syncs_commands
    assert ShardSlice(4, None).syncs_commands


def test_shard_ids_come_from_the_environment_and_are_checked(tmp_path: Path) -> None:
    missing = tmp_path / "missing.env"
    settings = Settings.from_env({"TRIVIA_SHARD_COUNT": "8", "TRIVIA_SHARD_IDS": "4-7"}, missing)
    assert settings.shard_ids == (4, 5, 6, 7)
    assert Settings(shard_count=4, shard_ids=[3, 1, 1]).shard_ids == (1, 3)
    with pytest.raises(SettingsError, match="TRIVIA_SHARD_IDS needs TRIVIA_SHARD_COUNT"):
        Settings(shard_ids=(0,))
    with pytest.raises(SettingsError, match="TRIVIA_SHARD_IDS 4-5 not below TRIVIA_SHARD_COUNT=4"):
        Settings(shard_count=4, shard_ids=(0, 4, 5))
    with pytest.raises(SettingsError, match="TRIVIA_SHARD_IDS: shard ids must be numbers"):
        Settings.from_env({"TRIVIA_SHARD_COUNT": "4", "TRIVIA_SHARD_IDS": "all"}, missing)


def test_run_options_override_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIVIA_SHARD_COUNT", "2")
    monkeypatch.setenv("TRIVIA_SHARD_IDS", "0")
    args = argparse.Namespace(env_file=tmp_path / "missing.env", shard_count=6, shard_ids="2-3", sync=True)
    settings = run_settings(args)
    assert (settings.shard_count, settings.shard_ids, settings.force_sync) == (6, (2, 3), True)
    plain = run_settings(argparse.Namespace(env_file=tmp_path / "missing.env", shard_count=None, shard_ids=None, sync=False))
    assert (plain.shard_count, plain.shard_ids, plain.force_sync) == (2, (0,), False)


async def test_identify_turns_of_one_bucket_wait_for_the_spacing_of_the_one_before(tmp_path: Path) -> None:
    storage = SqliteStorage(str(tmp_path / "pace.sqlite3"))
    spacings: list[asyncio.Event] = []

    async def spacing() -> None:  # stands for the 5 seconds Discord wants; ends when the test says
        event = asyncio.Event()
        spacings.append(event)
        await event.wait()

    pacer = IdentifyPacer(storage, spacing)
    await pacer.wait_turn(0, max_concurrency=2)  # bucket 0: at once
    await pacer.wait_turn(1, max_concurrency=2)  # bucket 1 is another bucket: at once too
    second_of_bucket_0 = asyncio.create_task(pacer.wait_turn(2, max_concurrency=2))
    await asyncio.sleep(0.01)
    assert not second_of_bucket_0.done()  # shard 0's spacing is not over
    spacings[1].set()  # bucket 1's spacing ending changes nothing for bucket 0
    await asyncio.sleep(0.01)
    assert not second_of_bucket_0.done()
    spacings[0].set()
    await asyncio.wait_for(second_of_bucket_0, 5)
    await pacer.close()  # gives back the turn still held (shard 2's)
    await asyncio.wait_for(pacer.wait_turn(4, max_concurrency=2), 5)
    await pacer.close()
