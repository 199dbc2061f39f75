"""Play a trivia night in SimCord's preview and save screenshots of what players see (not a pytest test).

    /work/venv/bin/python -m tests.render_screens [OUT_DIR]

Needs Debian's ``chromium`` (``apt-get install -y chromium``). Each scene is a fresh simulated server
playing the shipped packs; the PNGs land in OUT_DIR (default ``screens/``): look at them before a UI change lands.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
from simcord import ChannelHandle, Env, MemberActor

from bot import Settings, create_bot
from bot.client import TriviaBot
from bot.constants import LETTERS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = [
    "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--virtual-time-budget=4000", "--hide-scrollbars",
]


async def screenshot(url: str, out: Path, height: int = 1400) -> None:
    process = await asyncio.create_subprocess_exec(
        *CHROMIUM, f"--screenshot={out}", f"--window-size=1000,{height}", url,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    await process.wait()
    print(f"saved {out}")


def answer_letter(bot: TriviaBot, question: discord.Message, right: bool) -> str:
    """The letter of the right (or a wrong) answer of a question on screen, found in the loaded packs."""
    embed = question.embeds[0]
    lines = (embed.description or "").splitlines()
    asked = next((q for q in bot.bank if f"**{q.text}**" in lines[0]), None)
    if asked is None:
        raise LookupError(f"not a question of the loaded packs: {lines[:1]} ({embed.title})")
    for line in lines:
        for letter in LETTERS:
            if line.startswith(letter + " ") and (line[len(letter) + 1:] == asked.answer) == right:
                return letter
    raise LookupError("no such choice")


class Scene:
    def __init__(self, env: Env, bot: TriviaBot, name: str) -> None:
        self.env, self.bot = env, bot
        self.guild = env.create_guild(name)
        self.channel: ChannelHandle = self.guild.create_text_channel("trivia-night")
        admins = self.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
        self.host = self.guild.add_member(env.create_user("dave"), roles=[admins])
        self.players = [self.host] + [
            self.guild.add_member(env.create_user(n)) for n in ("alice", "Bob_the*Builder", "chloé", "田中 🎉")
        ]

    async def answer(self, member: MemberActor, right: bool) -> None:
        question = self.channel.last_message
        await member.react(question, answer_letter(self.bot, question, right))

    async def shoot(self, out: Path, viewer: MemberActor | None = None, height: int = 1400) -> None:
        async with self.env.preview(self.channel, viewers=[viewer or self.host], layout="channel") as preview:
            await screenshot(preview.url, out, height)


async def night(scene: Scene, out: Path) -> None:
    """A three-question night with five players, to its final standings."""
    await scene.host.slash(scene.channel, "trivia", questions=3, seconds=20)
    plan = [[True, True, False, True, None], [True, False, False, True, True], [True, True, None, False, False]]
    for number, picks in enumerate(plan, start=1):
        question = scene.channel.last_message
        deadline = int(re.search(r"<t:(\d+):R>", question.embeds[0].description or "")[1])
        for player, right in zip(scene.players, picks, strict=True):
            if right is not None:
                await scene.env.advance_time(2)
                await scene.answer(player, right)
        await scene.env.advance_time(deadline - scene.env.now().timestamp() + 1)
        if number == 1:
            await scene.shoot(out / "reveal.png")
        if number < 3:
            await scene.env.advance_time(6)
    await scene.shoot(out / "finale.png", height=2600)
    await scene.host.slash(scene.channel, "leaderboard")
    await scene.shoot(out / "leaderboard.png", viewer=scene.players[1], height=2800)


async def stopped(scene: Scene, out: Path) -> None:
    """A night stopped during its first question: the card says so."""
    await scene.host.slash(scene.channel, "trivia", questions=5, seconds=60)
    await scene.env.advance_time(1)
    await scene.answer(scene.players[1], True)
    await scene.env.advance_time(5)
    await scene.host.slash(scene.channel, "trivia-stop")
    await scene.shoot(out / "stopped.png", height=2000)


async def settings(scene: Scene, out: Path) -> None:
    await scene.host.slash(scene.channel, "trivia-settings")
    await scene.shoot(out / "settings.png")


async def stale(scene: Scene, out: Path) -> None:
    """Settings naming a starter role and a game channel that were deleted afterwards."""
    quizmasters = scene.guild.create_role("Quizmasters")
    games = scene.guild.create_text_channel("games")
    await scene.host.slash(scene.channel, "trivia-settings", starter_role=quizmasters, game_channels=games.mention)
    scene.env.backend.delete_role(scene.guild.id, quizmasters.id)
    scene.env.backend.delete_channel(games.id)
    await scene.env.settle()
    await scene.host.slash(scene.channel, "trivia-settings")
    await scene.shoot(out / "stale-settings.png", height=1700)


SCENES: dict[str, Callable[[Scene, Path], Awaitable[None]]] = {
    "night": night, "stopped": stopped, "settings": settings, "stale": stale,
}


async def main(out: Path, names: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in names or list(SCENES):
        with tempfile.TemporaryDirectory() as tmp:
            bot = create_bot(Settings(database=Path(tmp) / "trivia.sqlite3", questions_dir=ROOT / "questions", shard_count=1))
            env = Env(bot)
            await env.start()
            try:
                await SCENES[name](Scene(env, bot, "Pub Quiz Club"), out)
            finally:
                await env.shutdown()
                await bot.storage.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screens"), sys.argv[2:]))
