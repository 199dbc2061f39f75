"""A restart changes nothing: the same seeded night, played once straight through and once with a
restart onto the same database at one point of it, leaves players and storage with the same results.

Each run is a SimCord world of its own, and every world starts at SimCord's fixed epoch, so both
nights happen at the same virtual instants. The bot's random draws are seeded and the restarted bot
takes over the old one's random state, so both nights ask the same questions with the same letters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Callable

import discord
import pytest
import simcord
from simcord import ChannelHandle, Env, MemberActor

from bot.client import TriviaBot
from bot.settings import Settings
from tests.fixtures import make_server
from tests.helpers import choice_letters, opened_storage

QUESTIONS, SECONDS, BREAK, AUTO_STOP = 6, 20, 30, 2
CYCLE = SECONDS + BREAK
SEED = 20261202


def rivers_pack(count: int = 4) -> str:
    """A category of ``count`` questions whose right answer is "Right N"."""
    entries = "".join(
        f"""\
  - id: river-{n}
    question: "Which river is number {n} on the list?"
    choices: ["Right {n}", "Left {n}", "Up {n}", "Down {n}"]
    answer: "Right {n}"
    category: Rivers
    difficulty: {("easy", "medium", "hard")[n % 3]}
    explanation: "River {n} is the right one."
"""
        for n in range(1, count + 1)
    )
    return f"pack:\n  name: Rivers\n  description: Rivers.\n  author: Tests\n  license: CC0\nquestions:\n{entries}"


def at(question: int, second: float) -> float:
    """Virtual seconds after the night's /trivia: ``second`` seconds into question ``question``."""
    return (question - 1) * CYCLE + second


# What players do, at fixed virtual times: (when, who, what, question or new name). Carol stops
# answering after the first question, nobody answers the fourth and fifth, so auto-stop ends the
# night there; the pool (4 questions, one asked the night before) runs out of fresh questions at the fourth.
SCRIPT: list[tuple[float, str, str, Any]] = [
    (at(1, 2), "alice", "right", 1),
    (at(1, 3), "dave", "wrong", 1),
    (at(1, 4), "bob", "wrong", 1),
    (at(1, 6), "bob", "take back wrong", 1),  # bob changes his mind (when first picks lock, in vain)...
    (at(1, 6), "bob", "right", 1),  # ...to the right answer
    (at(1, 8), "carol", "right", 1),
    (at(1, 30), "dave", "rename", "Dave the Brave"),  # during the first break
    (at(2, 2), "alice", "right", 2),
    (at(2, 3), "alice", "rename", "Alice B."),  # after answering: question 2 still knows her as alice
    (at(2, 5), "bob", "wrong", 2),
    (at(2, 12), "dave", "right", 2),
    (at(3, 3), "alice", "right", 3),
    (at(3, 4), "dave", "right", 3),
    (at(3, 9), "bob", "right", 3),
]

RESTARTS = {
    "right after the first reveal": at(1, SECONDS + 1),
    "mid-question, answers on both sides": at(2, 10),
    "mid-question, before anyone answered": at(3, 1),
    "late in a break": at(3, SECONDS + 18),
    "mid-question nobody answers": at(4, 8),
    "in the break before auto-stop": at(4, SECONDS + 5),
}
END = at(QUESTIONS, SECONDS + 1)  # past the last question the night could have
MODES: dict[str, dict[str, Any]] = {"": {}, "first pick locks": {"answer_mode": "first"}}  # the server's answer settings


@dataclass
class World:
    env: Env
    channel: ChannelHandle
    members: dict[str, MemberActor]
    now: float = 0.0  # virtual seconds since the night's /trivia

    async def advance_to(self, when: float) -> None:
        if when > self.now:
            await self.env.advance_time(when - self.now)
            self.now = when

    def question(self, number: int) -> discord.Message:
        title = f"Question {number} of {QUESTIONS}"
        found = [m for m in self.channel.history() if m.embeds and m.embeds[0].title == title]
        assert found, f"{title} is not up at {self.now} s, when the script answers it"
        return found[-1]

    async def act(self, who: str, what: str, arg: Any) -> None:
        member = self.members[who]
        if what == "rename":
            self.env.backend.edit_member(self.channel.guild.id, member.id, {"nick": arg})
            return
        question = self.question(arg)
        letters = choice_letters(question)
        right = next(letter for text, letter in letters.items() if text.startswith("Right "))
        wrong = next(letter for text, letter in letters.items() if not text.startswith("Right "))
        if what == "take back wrong":
            await member.unreact(question, wrong)
        else:
            await member.react(question, right if what == "right" else wrong)


@dataclass(frozen=True)
class Outcome:
    """Everything a night leaves: what the channel shows, the commands' replies, and what is stored."""

    messages: list[dict[str, Any]]
    leaderboard: str
    stats: dict[str, str]
    board_rows: list[tuple[Any, ...]]
    player_stats: dict[str, tuple[Any, ...]]
    rounds: list[tuple[str, str]]
    answers: list[list[tuple[Any, ...]]]


def as_shown(messages: list[discord.Message]) -> list[dict[str, Any]]:
    """The bot's messages as players see them, each reply naming the position of the message it answers."""
    position = {m.id: i for i, m in enumerate(messages)}
    return [
        {
            "content": m.content,
            "embeds": [e.to_dict() for e in m.embeds],
            "replies_to": position.get(m.reference.message_id) if m.reference and m.reference.message_id else None,
            "files": [a.filename for a in m.attachments],
        }
        for m in messages
    ]


async def night(
    tmp_path: Path,
    make_bot: Callable[[Settings], TriviaBot],
    restart_at: float | None = None,
    graceful: bool = True,
    mode: str = "",
) -> Outcome:
    """Play the night (with the server setting ``mode`` on, if any), stopping and restarting the bot at ``restart_at``."""
    folder = tmp_path / ("straight" if restart_at is None else "restarted") / (mode or "plain")
    (folder / "packs").mkdir(parents=True)
    (folder / "packs" / "rivers.yaml").write_text(rivers_pack())
    settings = Settings(database=folder / "trivia.sqlite3", questions_dir=folder / "packs", shard_count=1)
    bot = make_bot(settings)
    bot.rng.seed(SEED)
    async with simcord.run(bot) as env:
        s = make_server(env)
        members = {"alice": s.alice, "bob": s.bob, "carol": s.carol, "dave": s.guild.add_member(env.create_user("dave"))}
        world = World(env, s.channel, members)
        await s.mod.slash(s.channel, "trivia-settings", break_seconds=BREAK, auto_stop=AUTO_STOP, **MODES[mode])
        await s.carol.slash(s.channel, "trivia", category="Rivers", seconds=SECONDS)  # the night before: one question
        await env.advance_time(SECONDS + 1)
        await s.mod.slash(s.channel, "trivia", category="Rivers", questions=QUESTIONS, seconds=SECONDS)
        steps: list[tuple[float, str, str, Any]] = sorted(SCRIPT, key=lambda step: step[0])
        if restart_at is not None:
            steps.append((restart_at, "", "restart", None))
            steps.sort(key=lambda step: step[0])  # stable: a restart comes after what happens at its instant
        for when, who, what, arg in steps:
            await world.advance_to(when)
            if what == "restart":
                bot = await restart(env, bot, make_bot, settings, graceful)
            else:
                await world.act(who, what, arg)
        await world.advance_to(END)
        assert len(bot.games) == 0
        leaderboard = (await s.mod.slash(s.channel, "leaderboard")).response.embeds[0].description
        stats = {}
        for name, member in members.items():
            reply = (await s.mod.slash(s.channel, "trivia-stats", member=member)).response
            stats[name] = str(reply.embeds[0].to_dict() if reply.embeds else reply.content)
        messages = as_shown(s.channel.history())
        guild_id, ids = s.guild.id, {m.id: name for name, m in members.items()}
    async with opened_storage(settings) as storage:
        rows = [(ids[r.user_id], r.rank, r.name, r.points, r.correct, r.answered) for r in await storage.leaderboard(guild_id)]
        player_stats = {}
        for user_id, name in ids.items():
            found = await storage.player_stats(guild_id, user_id)
            player_stats[name] = tuple(asdict(found).items()) if found else ()
        games = await storage.games(guild_id)
        rounds = [(r.question_id, r.status) for g in games for r in await storage.game_rounds(g.id)]
        answers = [
            [(ids[a.user_id], a.name, a.choice, a.correct, a.points, a.response_ms, a.streak) for a in round_]
            for g in games for round_ in await storage.game_outcomes(g.id)
        ]
    return Outcome(messages, leaderboard, stats, rows, player_stats, rounds, answers)


async def restart(env: Env, old: TriviaBot, make_bot: Callable[[Settings], TriviaBot], settings: Settings, graceful: bool) -> TriviaBot:
    """Stop the bot (closing it first when ``graceful``, as SIGTERM does) and start a new one on the same database."""
    if graceful:
        await old.close()
    new = make_bot(settings)
    new.rng.setstate(old.rng.getstate())  # the same draws from here as the old bot would have made
    await env.restart_bot(new)
    return new


_STRAIGHT: dict[str, Outcome] = {}


async def straight_night(tmp_path: Path, make_bot: Callable[[Settings], TriviaBot], mode: str = "") -> Outcome:
    """The night without a restart. It is the same every time, so it is played once per test run."""
    if mode not in _STRAIGHT:
        _STRAIGHT[mode] = await night(tmp_path, make_bot, mode=mode)
    return _STRAIGHT[mode]


def assert_same(restarted: Outcome, straight: Outcome) -> None:
    for part in fields(Outcome):
        assert getattr(restarted, part.name) == getattr(straight, part.name), f"the restart changed the {part.name}"


@pytest.mark.parametrize("restart_at", list(RESTARTS.values()), ids=list(RESTARTS))
async def test_a_graceful_restart_anywhere_in_a_night_changes_nothing(tmp_path, make_bot, restart_at):
    straight = await straight_night(tmp_path, make_bot)
    assert_same(await night(tmp_path, make_bot, restart_at), straight)


BETWEEN_QUESTIONS = {name: when for name, when in RESTARTS.items() if "break" in name or "reveal" in name}


@pytest.mark.parametrize("restart_at", list(BETWEEN_QUESTIONS.values()), ids=list(BETWEEN_QUESTIONS))
async def test_a_crash_between_questions_changes_nothing(tmp_path, make_bot, restart_at):
    straight = await straight_night(tmp_path, make_bot)
    assert_same(await night(tmp_path, make_bot, restart_at, graceful=False), straight)


async def test_a_crash_mid_question_costs_only_the_speed_bonus_of_the_answers_read_back(tmp_path, make_bot):
    """Without a shutdown the bot could not keep when the open question's answers came: they are read
    back from the reactions and scored as given at the deadline. Everything else comes out the same."""
    straight = await straight_night(tmp_path, make_bot)
    crashed = await night(tmp_path, make_bot, RESTARTS["mid-question, answers on both sides"], graceful=False)

    def without_times(outcome: Outcome) -> list[list[tuple[Any, ...]]]:
        return [sorted(answer[:4] + answer[6:] for answer in round_) for round_ in outcome.answers]  # no points, no time

    def totals(outcome: Outcome) -> list[tuple[Any, ...]]:
        return sorted((player, name, correct, answered) for player, _, name, _, correct, answered in outcome.board_rows)

    assert without_times(crashed) == without_times(straight)
    assert crashed.rounds == straight.rounds and totals(crashed) == totals(straight)
    interrupted = {a[0]: a for a in crashed.answers[2]}  # the night before's question, then questions 1 and 2
    as_played = {a[0]: a for a in straight.answers[2]}
    assert {player: a[5] for player, a in interrupted.items()} == {"alice": SECONDS * 1000, "bob": SECONDS * 1000, "dave": 12_000}
    assert interrupted["alice"][4] < as_played["alice"][4] and interrupted["dave"] == as_played["dave"]  # dave answered after



MID_QUESTION = {name: when for name, when in RESTARTS.items() if name.startswith("mid-question,")}


@pytest.mark.parametrize("restart_at", list(MID_QUESTION.values()), ids=list(MID_QUESTION))
async def test_a_graceful_restart_mid_question_changes_nothing_when_first_picks_lock(tmp_path, make_bot, restart_at):
    straight = await straight_night(tmp_path, make_bot, "first pick locks")
    assert_same(await night(tmp_path, make_bot, restart_at, mode="first pick locks"), straight)
