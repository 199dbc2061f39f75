"""Shared fixtures: a real bot on SimCord, a temporary database and the test packs."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from bot import Settings, create_bot
from bot.client import TriviaBot
from tests.databases import BACKEND_NAMES, fresh_database

TEST_PACKS = Path(__file__).parent / "packs"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules marked ``both_backends`` run every test that uses the bot's database on each backend."""
    if "database" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("database", BACKEND_NAMES, indirect=True)


@pytest_asyncio.fixture
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Path | str]:
    """The bot's database setting: a fresh SQLite file, or (``both_backends`` modules) a fresh database
    of each backend in turn."""
    async with fresh_database(getattr(request, "param", "sqlite"), tmp_path) as setting:
        yield setting


@pytest.fixture
def settings(database: Path | str) -> Settings:
    return Settings(database=database, questions_dir=TEST_PACKS, shard_count=1)


@pytest_asyncio.fixture
async def make_bot() -> AsyncIterator[Callable[[Settings], TriviaBot]]:
    """Builds bots and, whatever happened in the test, closes their databases afterwards
    (an open aiosqlite connection would keep the test process alive)."""
    made: list[TriviaBot] = []

    def build(settings: Settings) -> TriviaBot:
        bot = create_bot(settings)
        earlier = [b for b in made if b.settings.database == settings.database]
        if earlier:
            bot.storage.claim = _claim_after(earlier, bot.storage.claim)  # type: ignore[method-assign]
        made.append(bot)
        return bot

    yield build
    for bot in made:
        await bot.storage.close()


def _claim_after(earlier: list[TriviaBot], claim: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A bot built again on the same database stands for a restarted process: by the time it claims
    the database (SimCord has detached the earlier bots), the earlier process has died, and with it
    its connections and claim. Closing their storages does that here (PostgreSQL's claim is held by a
    connection, not, as SQLite's lock file, by the process)."""

    async def claim_once_the_earlier_bots_are_gone(*args: object) -> None:
        for bot in earlier:
            await bot.storage.close()
        await claim(*args)

    return claim_once_the_earlier_bots_are_gone


@pytest.fixture
def simcord_bot(settings: Settings, make_bot: Callable[[Settings], TriviaBot]) -> TriviaBot:
    return make_bot(settings)
