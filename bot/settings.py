"""Bot configuration, from keyword arguments or from the environment and `.env`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS_DIR = PROJECT_ROOT / "questions"

# Discord bot tokens are three dot-separated base64url parts.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

BANK_CACHE_NAME = "question-bank.cache"
MIN_ANSWER_SECONDS = 5
MAX_ANSWER_SECONDS = 120


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says what to do."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to start. Every field has a default except the token for `run`."""

    token: str = field(default="", repr=False)
    # A file path (kept as a Path) or a database URL such as ``sqlite:///path`` (kept as given); see
    # bot.storage.factory.create_storage for what each names.
    database: str | Path = Path("data/trivia.sqlite3")
    questions_dir: Path = DEFAULT_QUESTIONS_DIR
    answer_seconds: int = 20
    log_level: str = "INFO"
    force_sync: bool = False
    shard_count: int | None = None  # None: as many gateway shards as Discord recommends
    # Where the validated question bank is cached between starts: "" beside the database (or in the
    # user cache folder for a database URL), "off" for no cache, or a file path.
    bank_cache: str = ""

    # Environment variable for each field.
    ENV_NAMES = {
        "token": "DISCORD_TOKEN",
        "database": "TRIVIA_DATABASE",
        "questions_dir": "TRIVIA_QUESTIONS_DIR",
        "answer_seconds": "TRIVIA_ANSWER_SECONDS",
        "log_level": "TRIVIA_LOG_LEVEL",
        "force_sync": "TRIVIA_FORCE_SYNC",
        "shard_count": "TRIVIA_SHARD_COUNT",
        "bank_cache": "TRIVIA_BANK_CACHE",
    }

    def __post_init__(self) -> None:
        if not (isinstance(self.database, str) and "://" in self.database):
            object.__setattr__(self, "database", Path(self.database))
        object.__setattr__(self, "questions_dir", Path(self.questions_dir))
        if not MIN_ANSWER_SECONDS <= self.answer_seconds <= MAX_ANSWER_SECONDS:
            raise SettingsError(
                f"TRIVIA_ANSWER_SECONDS must be between {MIN_ANSWER_SECONDS} and {MAX_ANSWER_SECONDS}, got {self.answer_seconds}"
            )
        if self.shard_count is not None and self.shard_count < 1:
            raise SettingsError(f"TRIVIA_SHARD_COUNT must be 1 or more (or empty to let Discord choose), got {self.shard_count}")

    @property
    def bank_cache_file(self) -> Path | None:
        """The question bank cache file, or None when caching is off."""
        if self.bank_cache.strip().lower() == "off":
            return None
        if self.bank_cache.strip():
            return Path(self.bank_cache.strip()).expanduser()
        if isinstance(self.database, Path):
            return self.database.parent / BANK_CACHE_NAME
        cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(cache_home) / "trivia-night" / BANK_CACHE_NAME

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> Settings:
        """Read settings from ``environ`` (default: the process environment) over the `.env` file."""
        values = dict(read_env_file(Path(env_file)))
        values.update(os.environ if environ is None else environ)
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            raw = values.get(cls.ENV_NAMES[f.name], "").strip()
            if raw:
                kwargs[f.name] = _convert(cls.ENV_NAMES[f.name], raw, f.type)
        return cls(**kwargs)  # type: ignore[arg-type]

    def check_token(self) -> None:
        """Raise :class:`SettingsError` with a one-line fix if the token is missing or malformed."""
        if not self.token:
            raise SettingsError(
                "DISCORD_TOKEN is not set: copy .env.example to .env and paste your bot token "
                "from the Discord Developer Portal (Bot > Reset Token)."
            )
        if not TOKEN_PATTERN.fullmatch(self.token):  # fullmatch: `$` alone lets a trailing newline through
            raise SettingsError(
                "DISCORD_TOKEN does not look like a bot token (three dot-separated parts): "
                "copy it again from the Discord Developer Portal (Bot > Reset Token), without quotes or spaces."
            )


def _convert(name: str, raw: str, kind: object) -> object:
    if kind in (bool, "bool"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name} must be true or false, got {raw!r}")
    if kind in (int, "int", "int | None"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    return raw


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a `.env` file: KEY=VALUE lines, `#` comments, optional quotes. Missing file: empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):]
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        value = value.strip()
        quote = value[:1]
        end = value.find(quote, 1) if quote in ("'", '"') else -1
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif end > 0 and value[end + 1:].lstrip().startswith("#"):  # KEY="value"  # comment
            value = value[1:end]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key.strip()] = value
    return values
