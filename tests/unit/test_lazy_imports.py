"""The Discord-free packages and the pack tools of the command line load neither discord.py nor the client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("discord", "aiohttp", "bot.client")


def loaded_after(code: str, tmp_path: Path) -> list[str]:
    """The HEAVY modules present in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "code",
    [
        "import bot",
        "import bot.questions",
        "import bot.game",
        "import bot.game.options, bot.game.rounds, bot.game.server_settings, bot.game.answers, bot.game.scoring",
        "import bot.importers",
        "import bot.settings",
        "import bot.cli",
    ],
)
def test_discord_free_imports(code: str, tmp_path: Path) -> None:
    assert loaded_after(code, tmp_path) == []


def test_validate_and_import_commands_stay_discord_free(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "pack: {name: P}\nquestions:\n- id: p-1\n  question: Which is largest?\n  choices: [Sun, Moon]\n"
        "  answer: Sun\n  category: Space\n  explanation: The Sun is a star.\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "s.csv"
    sheet.write_text("question,answer,wrong_answers,category\nWhich is red?,Mars,Venus,Space\n", encoding="utf-8")
    code = (
        "import contextlib, io\nfrom bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main(['validate', {str(pack)!r}]) == 0\n"
        f"    assert main(['import', 'csv', {str(sheet)!r}, '--out', {str(tmp_path / 'out' / 'o.yaml')!r}]) == 0\n"
    )
    assert loaded_after(code, tmp_path) == []


def test_public_names_still_import_lazily(tmp_path: Path) -> None:
    assert loaded_after("import bot\nassert 'create_bot' in dir(bot)", tmp_path) == []
    loaded = loaded_after("from bot import Settings, create_bot\nassert callable(create_bot) and Settings", tmp_path)
    assert "bot.client" in loaded and "discord" in loaded


def test_unknown_attribute_is_an_attribute_error() -> None:
    import bot

    with pytest.raises(AttributeError):
        bot.nothing_here  # noqa: B018
