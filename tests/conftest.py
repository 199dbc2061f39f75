"""Shared fixtures: a real bot on SimCord, a temporary database and the test packs."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator, Callable

import pytest
import pytest_asyncio

from bot import Settings, create_bot
from bot.client import TriviaBot

TEST_PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "trivia.sqlite3", questions_dir=TEST_PACKS, shard_count=1)


@pytest_asyncio.fixture
async def make_bot() -> AsyncIterator[Callable[[Settings], TriviaBot]]:
    """Builds bots and, whatever happened in the test, closes their databases afterwards
    (an open aiosqlite connection would keep the test process alive)."""
    made: list[TriviaBot] = []

    def build(settings: Settings) -> TriviaBot:
        made.append(create_bot(settings))
        return made[-1]

    yield build
    for bot in made:
        await bot.storage.close()


@pytest.fixture
def simcord_bot(settings: Settings, make_bot: Callable[[Settings], TriviaBot]) -> TriviaBot:
    return make_bot(settings)
