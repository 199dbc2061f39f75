"""Small helpers for reading what the bot posted in SimCord, and what it saved (through storage)."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator

import discord

from bot.constants import LETTERS
from bot.game.rounds import PlayerOutcome
from bot.settings import Settings
from bot.storage import Storage, create_storage
from bot.storage.records import GameRecord, RoundRecord
from tests.databases import execute_sql


def choice_letters(message: discord.Message) -> dict[str, str]:
    """Map each displayed choice text to its letter, from a question embed."""
    found = {}
    for line in (message.embeds[0].description or "").splitlines():
        for letter in LETTERS:
            if line.startswith(letter + " "):
                found[line[len(letter) + 1:]] = letter
    return found


def letter_of(message: discord.Message, choice: str) -> str:
    return choice_letters(message)[choice]


def wrong_letters(message: discord.Message, answer: str) -> list[str]:
    return [letter for text, letter in choice_letters(message).items() if text != answer]


def got_it_right(reveal: discord.Message) -> str:
    """The reveal's list of winners (mentions)."""
    return next(f.value for f in reveal.embeds[0].fields if f.name == "Got it right")


def deadline_of(message: discord.Message) -> int:
    match = re.search(r"<t:(\d+):R>", message.embeds[0].description or "")
    assert match, "question embed has no countdown timestamp"
    return int(match.group(1))


def requests(env, method: str, pattern: str) -> list:
    """REST calls whose path matches a regular expression."""
    return [r for r in env.http_requests if r.method == method and re.search(pattern, r.path)]


async def start_and_answer_right(env, questions: int = 1, seconds: int = 10):
    """A new server where alice starts a Current Events game in #trivia and answers its first question right."""
    guild = env.create_guild()
    channel = guild.create_text_channel("trivia")
    alice = guild.add_member(env.create_user("alice"))
    await alice.slash(channel, "trivia", category="Current Events", questions=questions, seconds=seconds)
    question = channel.last_message
    await alice.react(question, letter_of(question, "$6 million"))
    return channel, alice, question


async def burst(env, reactions) -> None:
    """Many members react at once: every event reaches the gateway before the bot runs, then one settle.

    ``reactions`` yields ``(member, message, emoji, added)``. Each goes through the same permission
    check and backend call as ``MemberActor.set_reaction``, without its settle per call, so thousands
    of events arrive together as on a busy bot (and a 200-game test stays inside one answer window).
    """
    for member, message, emoji, added in reactions:
        needed = ("read_message_history", "add_reactions") if added else ("read_message_history",)
        env.backend.require_permissions(member.guild.id, member.id, message.channel.id, *needed)
        env.backend.set_reaction(message.channel.id, message.id, emoji, member.id, added)
    await env.settle()


@asynccontextmanager
async def opened_storage(settings: Settings) -> AsyncIterator[Storage]:
    """A storage of its own on the bot's database, as any other reader would open it."""
    storage = create_storage(settings.database)
    await storage.open()
    try:
        yield storage
    finally:
        await storage.close()


@dataclass(frozen=True)
class Saved:
    """What a server's games left in storage, read through the Storage interface."""

    games: list[GameRecord]
    rounds: list[RoundRecord]  # every game's rounds, games in order
    scored: list[list[PlayerOutcome]]  # each scored round's answers, rounds in order
    hidden_picks: int  # secret picks still held on the rounds

    @property
    def answers(self) -> list[PlayerOutcome]:
        return [answer for round_ in self.scored for answer in round_]

    @property
    def statuses(self) -> list[str]:
        return [r.status for r in self.rounds]

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)


async def saved(settings: Settings, guild_id: int) -> Saved:
    async with opened_storage(settings) as storage:
        games = await storage.games(guild_id)
        rounds: list[RoundRecord] = []
        scored: list[list[PlayerOutcome]] = []
        for game in games:
            rounds += await storage.game_rounds(game.id)
            scored += await storage.game_outcomes(game.id)
        hidden = sum([len(await storage.hidden_picks(r.id)) for r in rounds])
    return Saved(games, rounds, scored, hidden)


def move_saved_deadlines_into_the_past(settings: Settings, seconds: float) -> None:
    """Make every saved round's deadline ``seconds`` earlier, as if the bot had been down past it.

    This is the one place a behaviour test writes SQL: the deadline is stored as wall-clock time, and
    SimCord offers no way to let virtual time pass with no bot attached (``restart_bot`` detaches
    and attaches in one step, and advancing the clock with the old bot attached would let it reveal
    on time). The Storage interface rightly has no "rewrite a deadline" method, so the test edits
    the database itself (SQLite or PostgreSQL, whichever the settings name).
    """
    execute_sql(settings.database, "UPDATE rounds SET deadline = deadline - ?", seconds)


def move_saved_schedules_into_the_past(settings: Settings, seconds: float) -> None:
    """Make every saved schedule's next night (and reminder) ``seconds`` earlier, as if the bot had been
    down past them: the same reason and the same one place as :func:`move_saved_deadlines_into_the_past`."""
    execute_sql(settings.database, "UPDATE schedules SET next_at = next_at - ?, remind_at = remind_at - ?", seconds, seconds)


def shown(member) -> str:
    """How the bot names a member in its lists: the display name it saw, bold and escaped (never a mention)."""
    return f"**{discord.utils.escape_markdown(member.name)}**"


def answer_counts(spread: str) -> list[int]:
    """How many players picked each letter, from a reveal's "Answers" chart."""
    return [int(re.search(r" (\d+) \(\d+%\)", line)[1]) for line in spread.splitlines()]


# Discord's limits, written out here apart from bot/ui/limits.py so that a wrong limit there fails a test.
# (text, limit) pairs are checked the way Discord counts: characters, surrounding whitespace ignored.
EMBED_TEXT_LIMITS = {"title": 256, "description": 4096, "footer.text": 2048, "author.name": 256}
FIELD_LIMITS = {"name": 256, "value": 1024}
EVENT_LIMITS = {"name": 100, "description": 1000, "entity_metadata.location": 100}


def _text_at(data: dict, path: str) -> str | None:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else None


def _over(where: str, text: str | None, limit: int) -> list[str]:
    size = len((text or "").strip())
    return [f"{where}: {size} characters, over {limit}"] if size > limit else []


def message_limit_problems(content: str | None, embeds: list[dict], components: list[dict]) -> list[str]:
    """Every way a message (as Discord's JSON) breaks Discord's limits; [] when it fits."""
    problems = _over("content", content, 2000)
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} embeds, over 10")
    total = 0
    for e, embed in enumerate(embeds):
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(f"embed {e}: {len(fields)} fields, over 25")
        texts = [(f"embed {e} {path}", _text_at(embed, path), limit) for path, limit in EMBED_TEXT_LIMITS.items()]
        texts += [(f"embed {e} field {f} {key}", field.get(key), limit)
                  for f, field in enumerate(fields) for key, limit in FIELD_LIMITS.items()]
        for where, text, limit in texts:
            problems += _over(where, text, limit)
            total += len((text or "").strip())
    if total > 6000:
        problems.append(f"embeds: {total} characters in all, over 6000")
    for row in components:
        for item in row.get("components", []):
            problems += _over("button label", item.get("label"), 80) + _over("custom id", item.get("custom_id"), 100)
            options = item.get("options") or []
            if len(options) > 25:
                problems.append(f"select: {len(options)} options, over 25")
            for option in options:
                problems += _over("option label", option.get("label"), 100)
                problems += _over("option description", option.get("description"), 100)
    return problems


def _choice_problems(choices: list[dict]) -> list[str]:
    problems = [f"{len(choices)} autocomplete choices, over 25"] if len(choices) > 25 else []
    for choice in choices:
        problems += _over("choice name", choice.get("name"), 100)
        if isinstance(choice.get("value"), str):
            problems += _over("choice value", choice["value"], 100)
    return problems


def assert_fits(message) -> None:
    """``message`` (a channel message, or a slash command's response) is within Discord's limits."""
    message = getattr(message, "message", message)  # a SimCord ResponseMessage holds the message
    problems = message_limit_problems(
        message.content, [e.to_dict() for e in message.embeds], [c.to_dict() for c in message.components]
    )
    assert not problems, problems


def assert_everything_sent_fits(env) -> int:
    """Every message, edit, interaction answer, autocomplete and scheduled event the bot sent so far is
    within Discord's limits (ephemeral answers included); returns how many were checked."""
    checked, problems = 0, []
    for request in env.http_requests:
        body = request.json
        if not isinstance(body, dict):
            continue
        if request.path.endswith("/callback"):
            data = body.get("data") or {}
            problems += _choice_problems(data.get("choices") or [])
            body = data
        if "/scheduled-events" in request.path:
            problems += [p for path, limit in EVENT_LIMITS.items() for p in _over(path, _text_at(body, path), limit)]
        problems += message_limit_problems(body.get("content"), body.get("embeds") or [], body.get("components") or [])
        checked += 1
    assert not problems, problems
    return checked
