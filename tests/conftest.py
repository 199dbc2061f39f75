"""Shared fixtures: a real bot on SimCord, a temporary database and the test packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Settings, create_bot

TEST_PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "trivia.sqlite3", questions_dir=TEST_PACKS)


@pytest.fixture
def simcord_bot(settings: Settings):
    return create_bot(settings)
