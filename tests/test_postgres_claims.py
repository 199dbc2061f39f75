"""PostgreSQL claims: processes on one database with disjoint shard slices run side by side,
overlapping ones (or one claiming the whole database) refuse in one line; the turn to IDENTIFY is
shared by every process on the database."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Callable

import pytest

from bot.storage import Storage, StorageError, create_storage
from tests.contract.test_storage_contract import hold_turns
from tests.databases import fresh_database


@pytest.fixture
async def storages(tmp_path: Path) -> AsyncIterator[Callable[[], Storage]]:
    """Builds storages on one fresh PostgreSQL database, each standing for a process; closes them all."""
    made: list[Storage] = []
    async with fresh_database("postgres", tmp_path) as database:

        def build() -> Storage:
            made.append(create_storage(database))
            return made[-1]

        yield build
        for storage in made:
            await storage.close()


async def test_a_second_whole_database_claim_refuses_until_the_first_closes(storages) -> None:
    first, second = storages(), storages()
    await first.claim()
    with pytest.raises(StorageError, match=r"^another trivia-night is already running on the database \S+@127\.0\.0\.1:\d+/\S+; stop it first") as refused:
        await second.claim()
    assert "\n" not in str(refused.value) and "trivia-test" not in str(refused.value)  # no password
    await first.close()
    await second.claim()


async def test_disjoint_shard_slices_share_the_database_and_overlapping_ones_refuse(storages) -> None:
    await storages().claim([0, 1])
    await storages().claim([4, 5])
    with pytest.raises(StorageError, match=r"^another trivia-night process already runs shard\(s\) 1, 4 on this database"):
        await storages().claim([1, 2, 3, 4])
    await storages().claim([2, 3])  # the refused claim let go of the shards it did get


async def test_a_whole_database_claim_and_a_shard_slice_exclude_each_other(storages) -> None:
    whole = storages()
    await whole.claim()
    with pytest.raises(StorageError, match="already runs every shard on the database"):
        await storages().claim([0])
    await whole.close()
    await storages().claim([0])
    with pytest.raises(StorageError, match="another trivia-night is already running on the database"):
        await storages().claim()


async def test_identify_turns_are_shared_by_every_process_on_the_database(storages) -> None:
    assert await hold_turns(storages(), storages()) == [
        "first in", "other bucket in", "other bucket out", "first out", "same bucket in", "same bucket out",
    ]


async def test_a_claim_whose_connection_dies_is_logged_and_free_for_another_process(storages, caplog) -> None:
    import asyncio
    import logging

    from bot.storage.postgres import CLAIM_LOCK

    first, other = storages(), storages()
    await first.claim()
    await other.open()
    holders = await other._fetch(  # the server process holding the claim (two-key advisory locks keep key 1 in classid)
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND granted", CLAIM_LOCK
    )
    with caplog.at_level(logging.ERROR, logger="bot.storage.postgres"):
        assert await other._value("SELECT pg_terminate_backend($1)", holders[0]["pid"])  # as a server restart would
        for _ in range(200):
            if "lost the connection holding this process's claim" in caplog.text:
                break
            await asyncio.sleep(0.05)
    assert "lost the connection holding this process's claim on " in caplog.text
    await other.claim()
