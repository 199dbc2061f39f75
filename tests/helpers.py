"""Small helpers for reading what the bot posted in SimCord."""

from __future__ import annotations

import re

import discord

from bot.constants import LETTERS


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


def shown(member) -> str:
    """How the bot names a member in its lists: the display name it saw, bold and escaped (never a mention)."""
    return f"**{discord.utils.escape_markdown(member.name)}**"


def answer_counts(spread: str) -> list[int]:
    """How many players picked each letter, from a reveal's "Answers" chart."""
    return [int(re.search(r" (\d+) \(\d+%\)", line)[1]) for line in spread.splitlines()]
