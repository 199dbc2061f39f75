"""Where the bot's log goes: stderr always, and a rotating file when ``TRIVIA_LOG_FILE`` names one."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from bot.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_BYTES = 5 * 1024 * 1024  # a file is rotated when it reaches this size ...
LOG_FILE_BACKUPS = 5  # ... and this many older files are kept (trivia.log.1 … trivia.log.5)


def configure_logging(settings: Settings) -> None:
    """Send every log line to stderr (where systemd's journal picks it up) and to the log file, if any."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if settings.log_file is not None:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            RotatingFileHandler(settings.log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
        )
    logging.basicConfig(level=settings.log_level.upper(), format=LOG_FORMAT, handlers=handlers, force=True)
