"""Starting the bot: a missing or malformed token is explained in one line, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(tmp_path: Path, token: str | None, *args: str, keep: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in ``tmp_path``, without the caller's DISCORD_ and TRIVIA_ variables (except ``keep``)."""
    env = {k: v for k, v in os.environ.items() if k in keep or not k.startswith(("DISCORD_", "TRIVIA_"))}
    if token is not None:
        env["DISCORD_TOKEN"] = token
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("args", [(), ("run",)])
def test_missing_token_is_one_line_and_non_zero(tmp_path, args):
    done = start(tmp_path, None, *args)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0] and ".env" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout


def test_malformed_token_is_one_line_and_non_zero(tmp_path):
    done = start(tmp_path, "not-a-token")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "does not look like a bot token" in done.stderr
    assert "not-a-token" not in done.stderr
    assert "Traceback" not in done.stderr


def test_token_read_from_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("# my bot\nDISCORD_TOKEN='abc'\n")
    done = start(tmp_path, None)
    assert "does not look like a bot token" in done.stderr


def test_bad_setting_is_one_line(tmp_path):
    (tmp_path / ".env").write_text("TRIVIA_ANSWER_SECONDS=soon\n")
    done = start(tmp_path, None)
    assert done.returncode != 0
    assert "TRIVIA_ANSWER_SECONDS must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_discord_is_one_line_and_never_shows_the_token(tmp_path):
    fake = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"
    done = start(tmp_path, fake)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert fake not in done.stderr + done.stdout
    assert fake.split(".")[0] not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith("trivia-night: ")
