"""Checked before connecting: each problem with the settings, the database, the questions folder or the
log file is one line and a non-zero exit, found before any network call; the settings file can be named."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.test_cli_start import ROOT, start

FAKE = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"  # well formed, not real
BROKEN_PACK = "pack:\n  name: Broken\nquestions:\n  - id: broken-001\n    question: \"Which?\"\n"


def problems(done) -> list[str]:
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert all(line.startswith("trivia-night: ") for line in lines)
    return [line.removeprefix("trivia-night: ") for line in lines]


def env_file(tmp_path: Path, text: str, name: str = ".env") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrong_log_level_is_one_line(tmp_path):
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_LOG_LEVEL=chatty\n")
    assert problems(start(tmp_path, None)) == [
        "TRIVIA_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'chatty'"
    ]


def test_every_malformed_setting_is_reported_at_once(tmp_path):
    env_file(tmp_path, "TRIVIA_LOG_LEVEL=loud\nTRIVIA_ANSWER_SECONDS=3\nTRIVIA_SHARD_COUNT=two\nTRIVIA_FORCE_SYNC=maybe\n")
    assert sorted(problems(start(tmp_path, FAKE))) == sorted([
        "TRIVIA_FORCE_SYNC must be true or false, got 'maybe'",
        "TRIVIA_SHARD_COUNT must be a whole number, got 'two'",
        "TRIVIA_ANSWER_SECONDS must be between 5 and 120, got 3",
        "TRIVIA_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'loud'",
    ])


def test_database_questions_and_log_file_are_checked_together_before_connecting(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    env_file(
        tmp_path,
        f"DISCORD_TOKEN={FAKE}\nTRIVIA_DATABASE=notes.txt/trivia.sqlite3\n"
        "TRIVIA_QUESTIONS_DIR=packs\nTRIVIA_LOG_FILE=notes.txt/trivia.log\n",
    )
    # One line each and nothing about reaching Discord: no connection was tried.
    assert problems(start(tmp_path, None)) == [
        "TRIVIA_DATABASE=notes.txt/trivia.sqlite3: cannot create the folder notes.txt, because notes.txt is a file",
        f"TRIVIA_QUESTIONS_DIR=packs: no such folder (paths are relative to the working directory, {tmp_path})",
        "TRIVIA_LOG_FILE=notes.txt/trivia.log: cannot create the folder notes.txt, because notes.txt is a file",
    ]
    assert not (tmp_path / "notes.txt").is_dir()


def test_a_database_folder_instead_of_a_file_and_an_unknown_url_scheme(tmp_path):
    (tmp_path / "data").mkdir()
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_DATABASE=data\n")
    [line] = problems(start(tmp_path, None))
    assert line.startswith("TRIVIA_DATABASE=data is a folder; name a file inside it")
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_DATABASE=mysql://bot:secret@db/trivia\n")
    [line] = problems(start(tmp_path, None))
    assert "unknown database scheme 'mysql://'" in line and "secret" not in line


def test_no_playable_questions_is_a_start_up_error(tmp_path):
    (tmp_path / "empty").mkdir()
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_QUESTIONS_DIR=empty\n")
    assert problems(start(tmp_path, None)) == ["TRIVIA_QUESTIONS_DIR=empty: no question packs (*.yaml) in this folder, so there is nothing to ask"]
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "broken.yaml").write_text(BROKEN_PACK)
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_QUESTIONS_DIR=broken\n")
    assert problems(start(tmp_path, None)) == [
        "TRIVIA_QUESTIONS_DIR=broken: no playable questions, every pack has errors; run `trivia-night validate broken` to see them"
    ]
    (tmp_path / "pack.yaml").write_text(BROKEN_PACK)
    env_file(tmp_path, f"DISCORD_TOKEN={FAKE}\nTRIVIA_QUESTIONS_DIR=pack.yaml\n")
    assert problems(start(tmp_path, None)) == ["TRIVIA_QUESTIONS_DIR=pack.yaml is a file; name the folder that holds the packs (*.yaml)"]


def test_env_file_option_and_variable_name_the_settings_file(tmp_path):
    (tmp_path / "conf").mkdir()
    env_file(tmp_path / "conf", "TRIVIA_LOG_LEVEL=from-the-option\n", "bot.env")
    env_file(tmp_path, "TRIVIA_LOG_LEVEL=from-dotenv\n")  # not read when another file is named
    [line] = problems(start(tmp_path, FAKE, "--env-file", "conf/bot.env", "run"))
    assert line.endswith("got 'from-the-option'")
    [line] = problems(start(tmp_path, FAKE, "--env-file", "conf/missing.env"))
    assert line == f"--env-file names conf/missing.env, which is not a file (paths are relative to the working directory, {tmp_path})"


def test_trivia_env_file_names_the_settings_file(tmp_path, monkeypatch):
    env_file(tmp_path, "TRIVIA_LOG_LEVEL=from-the-variable\n", "prod.env")
    monkeypatch.setenv("TRIVIA_ENV_FILE", "prod.env")
    [line] = problems(start(tmp_path, FAKE, keep=("TRIVIA_ENV_FILE",)))
    assert line.endswith("got 'from-the-variable'")
    monkeypatch.setenv("TRIVIA_ENV_FILE", "nope.env")
    [line] = problems(start(tmp_path, FAKE, "backup", "copy.sqlite3", keep=("TRIVIA_ENV_FILE",)))
    assert line.startswith("TRIVIA_ENV_FILE names nope.env, which is not a file")


def test_version_comes_from_the_package_metadata(tmp_path):
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = start(tmp_path, None, "--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"trivia-night {declared}"
