"""TRIVIA_LOG_FILE: the log also goes to a file, rotated by size, its folder created."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from bot import logs
from bot.settings import Settings


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_log_file_setting_is_read_from_the_environment(tmp_path):
    assert Settings.from_env({"TRIVIA_LOG_FILE": "logs/trivia.log"}, tmp_path / "none.env").log_file == Path("logs/trivia.log")
    assert Settings.from_env({}, tmp_path / "none.env").log_file is None


def test_log_lines_go_to_a_rotating_file(tmp_path, monkeypatch, restore_logging):
    monkeypatch.setattr(logs, "LOG_FILE_BYTES", 1000)
    monkeypatch.setattr(logs, "LOG_FILE_BACKUPS", 2)
    path = tmp_path / "logs" / "trivia.log"  # the folder does not exist yet
    logs.configure_logging(Settings(log_file=path, log_level="info"))
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert (handler.maxBytes, handler.backupCount) == (1000, 2)

    for number in range(100):
        logging.getLogger("bot.test").info("line %03d of the log", number)
    logging.getLogger("bot.test").debug("not at INFO")
    handler.flush()

    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["trivia.log", "trivia.log.1", "trivia.log.2"]  # older files beyond two were dropped
    assert all(p.stat().st_size <= 1000 for p in path.parent.iterdir())
    newest = path.read_text(encoding="utf-8").splitlines()
    assert newest[-1].endswith("INFO bot.test: line 099 of the log")
    assert "not at INFO" not in path.read_text(encoding="utf-8")


def test_without_a_log_file_only_stderr(tmp_path, restore_logging):
    logs.configure_logging(Settings())
    assert not [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
