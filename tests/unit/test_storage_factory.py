"""create_storage: which backend a TRIVIA_DATABASE value names, and Settings keeping URLs intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.storage import SqliteStorage, StorageError
from bot.storage.factory import create_storage
from bot.storage.postgres import PostgresStorage


@pytest.mark.parametrize(
    ("database", "path"),
    [
        ("data/trivia.sqlite3", "data/trivia.sqlite3"),
        (Path("/var/lib/trivia/db.sqlite3"), "/var/lib/trivia/db.sqlite3"),
        ("sqlite:///data/trivia.sqlite3", "data/trivia.sqlite3"),
        ("sqlite:////var/lib/trivia/db.sqlite3", "/var/lib/trivia/db.sqlite3"),
        ("SQLite:///:memory:", ":memory:"),
    ],
)
def test_paths_and_sqlite_urls_name_the_sqlite_backend(database, path) -> None:
    storage = create_storage(database)
    assert isinstance(storage, SqliteStorage) and storage.path == path


async def test_the_storage_comes_back_unopened_and_opens(tmp_path: Path) -> None:
    storage = create_storage(f"sqlite:///{tmp_path}/t.sqlite3")
    assert not (tmp_path / "t.sqlite3").exists()
    await storage.open()
    try:
        await storage.set_meta("k", "v")
        assert await storage.get_meta("k") == "v"
    finally:
        await storage.close()
    memory = create_storage("sqlite:///:memory:")
    await memory.open()
    await memory.close()


@pytest.mark.parametrize("url", ["postgresql://bot:s3cret@db.example/trivia", "postgres://bot:s3cret@db.example/trivia",
                                 "postgresql+asyncpg://bot:s3cret@db.example/trivia"])
def test_postgresql_urls_build_an_unopened_postgres_storage_that_never_shows_the_password(url: str) -> None:
    storage = create_storage(url)
    assert isinstance(storage, PostgresStorage)
    assert storage.url == "postgresql://bot:s3cret@db.example/trivia"  # what asyncpg is given
    assert storage.where == "bot@db.example:5432/trivia"  # what messages name


async def test_an_unopened_postgres_storage_says_so() -> None:
    with pytest.raises(StorageError, match="storage is not open"):
        await create_storage("postgresql://bot:s3cret@db.example/trivia").get_meta("x")


@pytest.mark.parametrize("url", ["mysql://db/trivia", "redis://localhost"])
def test_an_unknown_scheme_is_one_clear_line(url: str) -> None:
    with pytest.raises(StorageError, match=r"unknown database scheme '\w+://'; use a file path or sqlite:///path, or postgresql://"):
        create_storage(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite://relative.db", "sqlite:///"])
def test_a_sqlite_url_without_a_file_is_refused(url: str) -> None:
    with pytest.raises(StorageError, match="has no file"):
        create_storage(url)


def test_settings_keep_urls_as_given_and_paths_as_paths(tmp_path: Path) -> None:
    url = "postgresql://bot@db.example:5432/trivia"
    assert Settings(database=url).database == url
    assert Settings.from_env({"TRIVIA_DATABASE": url}, tmp_path / "none.env").database == url
    assert Settings(database="sqlite:///data/t.sqlite3").database == "sqlite:///data/t.sqlite3"
    plain = Settings.from_env({"TRIVIA_DATABASE": "data/t.sqlite3"}, tmp_path / "none.env").database
    assert plain == Path("data/t.sqlite3") and isinstance(plain, Path)
