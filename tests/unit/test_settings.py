"""Settings: keyword defaults, the environment over `.env`, and token checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_QUESTIONS_DIR, Settings, SettingsError, read_env_file

# Shaped like a bot token (three dot-separated base64url parts) but not a real one.
FAKE_TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nw" + ".GAbCdE." + "x" * 38


def write_env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_keyword_defaults() -> None:
    settings = Settings()
    assert settings.token == ""
    assert settings.database == Path("data/trivia.sqlite3")
    assert settings.questions_dir == DEFAULT_QUESTIONS_DIR
    assert DEFAULT_QUESTIONS_DIR.name == "questions" and DEFAULT_QUESTIONS_DIR.is_dir()
    assert settings.answer_seconds == 20
    assert settings.log_level == "INFO"
    assert settings.force_sync is False
    assert settings.shard_count is None  # Discord recommends how many shards


def test_keywords_override_and_paths_are_converted(tmp_path: Path) -> None:
    settings = Settings(token="t", database=str(tmp_path / "db.sqlite3"), questions_dir="packs", answer_seconds=5)
    assert settings.database == tmp_path / "db.sqlite3" and isinstance(settings.database, Path)
    assert settings.questions_dir == Path("packs") and isinstance(settings.questions_dir, Path)
    assert settings.answer_seconds == 5


@pytest.mark.parametrize("seconds", [4, 121, 0, -1])
def test_answer_seconds_out_of_range(seconds: int) -> None:
    with pytest.raises(SettingsError, match=rf"TRIVIA_ANSWER_SECONDS must be between 5 and 120, got {seconds}"):
        Settings(answer_seconds=seconds)


def test_shard_count_is_read_from_the_environment_and_checked(tmp_path: Path) -> None:
    missing = tmp_path / "missing.env"
    assert Settings.from_env({"TRIVIA_SHARD_COUNT": "4"}, missing).shard_count == 4
    assert Settings.from_env({"TRIVIA_SHARD_COUNT": ""}, missing).shard_count is None
    with pytest.raises(SettingsError, match="TRIVIA_SHARD_COUNT must be a whole number, got 'two'"):
        Settings.from_env({"TRIVIA_SHARD_COUNT": "two"}, missing)
    with pytest.raises(SettingsError, match="TRIVIA_SHARD_COUNT must be 1 or more"):
        Settings(shard_count=0)


def test_settings_are_frozen_and_repr_hides_the_token() -> None:
    settings = Settings(token=FAKE_TOKEN)
    with pytest.raises(AttributeError):
        settings.token = "x"  # type: ignore[misc]
    assert FAKE_TOKEN not in repr(settings)


def test_from_env_with_nothing_set_gives_defaults(tmp_path: Path) -> None:
    assert Settings.from_env({}, tmp_path / "missing.env") == Settings()


def test_from_env_reads_the_env_file(tmp_path: Path) -> None:
    env = write_env(tmp_path, f"""\
# A comment line
DISCORD_TOKEN="{FAKE_TOKEN}"

export TRIVIA_DATABASE='/var/lib/trivia/db.sqlite3'
TRIVIA_ANSWER_SECONDS=30   # trailing comment
   TRIVIA_LOG_LEVEL = debug
TRIVIA_FORCE_SYNC=yes
UNRELATED=ignored
""")
    settings = Settings.from_env({}, env)
    assert settings.token == FAKE_TOKEN
    assert settings.database == Path("/var/lib/trivia/db.sqlite3")
    assert settings.answer_seconds == 30
    assert settings.log_level == "debug"
    assert settings.force_sync is True
    assert settings.questions_dir == DEFAULT_QUESTIONS_DIR


def test_environ_wins_over_the_env_file(tmp_path: Path) -> None:
    env = write_env(tmp_path, "TRIVIA_ANSWER_SECONDS=30\nTRIVIA_LOG_LEVEL=DEBUG\nTRIVIA_FORCE_SYNC=true\n")
    settings = Settings.from_env({"TRIVIA_ANSWER_SECONDS": "45", "TRIVIA_FORCE_SYNC": "off"}, env)
    assert settings.answer_seconds == 45
    assert settings.force_sync is False
    assert settings.log_level == "DEBUG"  # not in environ: the file's value stays


def test_from_env_uses_the_given_mapping_not_the_process_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRIVIA_ANSWER_SECONDS", "99")
    assert Settings.from_env({}, tmp_path / "none.env").answer_seconds == 20
    assert Settings.from_env(None, tmp_path / "none.env").answer_seconds == 99


def test_blank_values_mean_default(tmp_path: Path) -> None:
    env = write_env(tmp_path, "DISCORD_TOKEN=\nTRIVIA_ANSWER_SECONDS=   \n")
    assert Settings.from_env({}, env) == Settings()


def test_env_file_quotes_and_comments(tmp_path: Path) -> None:
    env = write_env(tmp_path, """\
DOUBLE="a value # not a comment"
SINGLE='it''s'
PLAIN=value # comment
HASH=a#b
QUOTED_WITH_COMMENT="quoted"  # a comment after the quotes
EMPTY=""
export EXPORTED=1
EQUALS=a=b
""")
    assert read_env_file(env) == {
        "DOUBLE": "a value # not a comment",
        "SINGLE": "it''s",
        "PLAIN": "value",
        "HASH": "a#b",
        "QUOTED_WITH_COMMENT": "quoted",
        "EMPTY": "",
        "EXPORTED": "1",
        "EQUALS": "a=b",
    }


def test_env_file_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    env = write_env(tmp_path, "DISCORD_TOKEN=x\nthis is not a setting\n")
    with pytest.raises(SettingsError, match=r"\.env:2: expected KEY=VALUE, got 'this is not a setting'"):
        Settings.from_env({}, env)


def test_missing_env_file_is_empty(tmp_path: Path) -> None:
    assert read_env_file(tmp_path / "nope") == {}


@pytest.mark.parametrize("raw", ["twenty", "20.5", "2 0"])
def test_bad_int_names_the_variable(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"TRIVIA_ANSWER_SECONDS": raw}, tmp_path / "none.env")
    assert str(info.value) == f"TRIVIA_ANSWER_SECONDS must be a whole number, got {raw!r}"


def test_out_of_range_int_from_env_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="TRIVIA_ANSWER_SECONDS must be between 5 and 120, got 500"):
        Settings.from_env({"TRIVIA_ANSWER_SECONDS": "500"}, tmp_path / "none.env")


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_bad_bool_names_the_variable(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"TRIVIA_FORCE_SYNC": raw}, tmp_path / "none.env")
    assert str(info.value) == f"TRIVIA_FORCE_SYNC must be true or false, got {raw!r}"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("On", True), ("0", False), ("No", False), ("false", False)])
def test_bool_spellings(tmp_path: Path, raw: str, expected: bool) -> None:
    assert Settings.from_env({"TRIVIA_FORCE_SYNC": raw}, tmp_path / "none.env").force_sync is expected


def test_bad_value_in_env_file_names_the_variable(tmp_path: Path) -> None:
    env = write_env(tmp_path, "TRIVIA_FORCE_SYNC=perhaps\n")
    with pytest.raises(SettingsError, match="TRIVIA_FORCE_SYNC must be true or false"):
        Settings.from_env({}, env)


def test_check_token_accepts_a_well_formed_token() -> None:
    Settings(token=FAKE_TOKEN).check_token()


def test_check_token_missing() -> None:
    with pytest.raises(SettingsError) as info:
        Settings().check_token()
    message = str(info.value)
    assert message.startswith("DISCORD_TOKEN is not set")
    assert ".env" in message and "Reset Token" in message


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        f'"{FAKE_TOKEN}"',  # pasted with quotes
        f" {FAKE_TOKEN}",  # pasted with a space
        FAKE_TOKEN.replace(".", "", 1),  # two parts
        FAKE_TOKEN + ".extra",
        "Bot " + FAKE_TOKEN,
        FAKE_TOKEN + "\n",
    ],
)
def test_check_token_malformed(token: str) -> None:
    with pytest.raises(SettingsError, match="DISCORD_TOKEN does not look like a bot token"):
        Settings(token=token).check_token()
