"""A complete package: a wheel, installed (not editable) in a fresh virtual environment away from the
checkout, plays the shipped bank, reports its version from the package metadata, and lists every package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Plays one shipped question in the installed package: /trivia, the right letter, the reveal.
PLAY = textwrap.dedent('''
    import asyncio, sys
    from pathlib import Path
    import bot, discord, simcord
    from bot import Settings, create_bot

    async def main():
        settings = Settings(database=Path("trivia.sqlite3"), shard_count=1)
        assert Path(bot.__file__).is_relative_to(sys.prefix), bot.__file__
        print("packs:", settings.questions_dir)
        client = create_bot(settings)
        try:
            async with simcord.run(client) as env:
                guild = env.create_guild("Installed")
                channel = guild.create_text_channel("trivia")
                alice = guild.add_member(env.create_user("alice"))
                await alice.slash(channel, "trivia", seconds=20)
                question = channel.last_message
                text = question.embeds[0].description.split("**")[1]
                [asked] = [q for q in client.bank if text in (q.text, discord.utils.escape_markdown(q.text))]
                lines = [line for line in question.embeds[0].description.splitlines() if line.endswith(" " + asked.answer)]
                await alice.react(question, lines[0].split(" ")[0])
                await env.advance_time(21)
                reveal = channel.last_message.embeds[0]
                print("questions:", len(client.bank))
                print("revealed:", reveal.title)
                print("winners:", [f.value for f in reveal.fields if f.name == "Got it right"][0])
        finally:
            await client.storage.close()

    asyncio.run(main())
''')


def listed_packages() -> set[str]:
    return set(PYPROJECT["tool"]["setuptools"]["packages"])


def test_every_package_in_the_source_is_listed_for_the_build():
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("bot", "cogs")
        for path in (ROOT / top).rglob("__init__.py")
    }
    assert found - listed_packages() == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed_packages() - found == {"bot.packs"}  # questions/, mapped by package-dir
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"bot.packs": "questions"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel built from this checkout (offline: no index, no build isolation);
    its dependencies come from the running environment through a .pth file."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", ".ci", "build", "*.egg-info", "__pycache__", "tests", "data"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp / "dist"), str(source)],
                   check=True, capture_output=True, text=True, timeout=300)
    [wheel] = (tmp / "dist").glob("trivia_night-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def run_installed(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TRIVIA_", "PYTHON"))}
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_installed_wheel_plays_the_shipped_bank(installed, tmp_path):
    done = run_installed(installed, tmp_path, str(installed / "bin" / "python"), "-c", PLAY)
    assert done.returncode == 0, done.stderr
    out = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    packs = Path(out["packs"])
    assert packs.is_relative_to(installed) and packs.name == "packs"  # bot/packs inside the venv
    assert sorted(p.name for p in packs.glob("*.yaml")) == sorted(p.name for p in (ROOT / "questions").glob("*.yaml"))
    assert (packs / "LICENSE.md").is_file() and (packs / "FORMAT.md").is_file()
    assert int(out["questions"]) >= 600
    assert " — " in out["revealed"] and "**alice**" in out["winners"]  # answered right, on the shipped bank


def test_the_installed_command_reports_its_version_and_checks_before_connecting(installed, tmp_path):
    command = str(installed / "bin" / "trivia-night")
    done = run_installed(installed, tmp_path, command, "--version")
    assert done.stdout.strip() == f"trivia-night {PYPROJECT['project']['version']}"
    (tmp_path / "empty").mkdir()
    (tmp_path / ".env").write_text("DISCORD_TOKEN=MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB\nTRIVIA_QUESTIONS_DIR=empty\n")
    done = run_installed(installed, tmp_path, command, "run")
    assert done.returncode == 2
    assert done.stderr.strip() == "trivia-night: TRIVIA_QUESTIONS_DIR=empty: no question packs (*.yaml) in this folder, so there is nothing to ask"
    done = run_installed(installed, tmp_path, command, "validate", str(Path(out_packs(installed))))
    assert done.returncode == 0 and done.stdout.startswith("OK: ")


def out_packs(venv: Path) -> str:
    return subprocess.run([str(venv / "bin" / "python"), "-c", "from bot.settings import DEFAULT_QUESTIONS_DIR; print(DEFAULT_QUESTIONS_DIR)"],
                          capture_output=True, text=True, check=True, cwd=venv, env={"PATH": os.environ["PATH"]}).stdout.strip()
