"""Bot configuration, from keyword arguments or from the environment and `.env`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from bot.shards import ShardSlice, ShardSpecError, parse_shard_ids, slice_problems

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shipped_packs_dir() -> Path:
    """The shipped packs: `bot/packs` in an installed package (the build copies `questions/` there),
    `questions/` when running from a checkout or an editable install."""
    installed = Path(__file__).resolve().parent / "packs"
    return installed if installed.is_dir() else PROJECT_ROOT / "questions"


DEFAULT_QUESTIONS_DIR = shipped_packs_dir()

# Discord bot tokens are three dot-separated base64url parts.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")

BANK_CACHE_NAME = "question-bank.cache"
MIN_ANSWER_SECONDS = 5
MAX_ANSWER_SECONDS = 120
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Names the `.env` file to read instead of `.env` in the working directory (or `--env-file`).
ENV_FILE_VARIABLE = "TRIVIA_ENV_FILE"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says what to do, one line per problem."""


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
    # The slice of the shards this process runs (a cluster: several processes on one PostgreSQL);
    # None: all of them. Needs shard_count.
    shard_ids: tuple[int, ...] | None = None
    log_file: Path | None = None  # None: log to stderr only
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
        "shard_ids": "TRIVIA_SHARD_IDS",
        "log_file": "TRIVIA_LOG_FILE",
        "bank_cache": "TRIVIA_BANK_CACHE",
    }

    def __post_init__(self) -> None:
        if not (isinstance(self.database, str) and "://" in self.database):
            object.__setattr__(self, "database", Path(self.database))
        object.__setattr__(self, "questions_dir", Path(self.questions_dir))
        if self.log_file is not None:
            object.__setattr__(self, "log_file", Path(self.log_file))
        if self.shard_ids is not None:
            object.__setattr__(self, "shard_ids", tuple(sorted(set(self.shard_ids))))
        problems = slice_problems(self.shard_count, self.shard_ids)
        if not MIN_ANSWER_SECONDS <= self.answer_seconds <= MAX_ANSWER_SECONDS:
            problems.append(
                f"TRIVIA_ANSWER_SECONDS must be between {MIN_ANSWER_SECONDS} and {MAX_ANSWER_SECONDS}, got {self.answer_seconds}"
            )
        if self.shard_count is not None and self.shard_count < 1:
            problems.append(f"TRIVIA_SHARD_COUNT must be 1 or more (or empty to let Discord choose), got {self.shard_count}")
        if self.log_level.upper() not in LOG_LEVELS:
            problems.append(f"TRIVIA_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {self.log_level!r}")
        if problems:
            raise SettingsError("\n".join(problems))

    @property
    def shards(self) -> ShardSlice:
        """The gateway shards this process runs, and so the servers it plays in."""
        return ShardSlice(self.shard_count, self.shard_ids)

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
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: str | Path | None = None) -> Settings:
        """Read settings from ``environ`` (default: the process environment) over the `.env` file.

        ``env_file`` defaults to the file ``TRIVIA_ENV_FILE`` names (which must exist), else `.env` in the
        working directory. Every malformed setting is reported at once, one line each."""
        environ = os.environ if environ is None else environ
        values = dict(read_env_file(env_file_path(env_file, environ)))
        values.update(environ)
        kwargs: dict[str, object] = {}
        problems: list[str] = []
        for f in fields(cls):
            raw = values.get(cls.ENV_NAMES[f.name], "").strip()
            if raw:
                try:
                    kwargs[f.name] = _convert(cls.ENV_NAMES[f.name], raw, f.type)
                except SettingsError as exc:
                    problems.append(str(exc))
        try:
            settings = cls(**kwargs)  # type: ignore[arg-type]
        except SettingsError as exc:
            problems.extend(str(exc).splitlines())
        if problems:
            raise SettingsError("\n".join(problems))
        return settings

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


def env_file_path(env_file: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The `.env` to read: ``env_file`` (read if it exists), else the one ``TRIVIA_ENV_FILE`` names,
    else `.env` in the working directory (read if it exists)."""
    if env_file is not None:
        return Path(env_file)
    named = environ.get(ENV_FILE_VARIABLE, "").strip()
    return named_env_file(named, ENV_FILE_VARIABLE) if named else Path(".env")


def named_env_file(named: str | Path, source: str) -> Path:
    """A `.env` file a host named on purpose (``source``: where); it must exist, or a typo would
    start the bot with none of its settings."""
    path = Path(named)
    if not path.is_file():
        raise SettingsError(f"{source} names {path}, which is not a file (paths are relative to the working directory, {Path.cwd()})")
    return path


def _convert(name: str, raw: str, kind: object) -> object:
    if kind in (bool, "bool"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name} must be true or false, got {raw!r}")
    if kind == "tuple[int, ...] | None":
        try:
            return parse_shard_ids(raw)
        except ShardSpecError as exc:
            raise SettingsError(f"{name}: {exc}") from None
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
