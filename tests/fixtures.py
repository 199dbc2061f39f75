"""Shared test scaffolding: a SimCord server with a moderator and players, and a sample question's YAML."""

from __future__ import annotations

from dataclasses import dataclass

import discord
from simcord import ChannelHandle, Env, GuildHandle, MemberActor


@dataclass
class Server:
    env: Env
    guild: GuildHandle
    channel: ChannelHandle
    mod: MemberActor  # has Manage Server through a role
    alice: MemberActor  # alice, bob and carol are plain members
    bob: MemberActor
    carol: MemberActor


def make_server(env: Env, name: str = "Quiz Club", *, bot_manages_messages: bool = False) -> Server:
    """A server with a #trivia channel, a moderator and three plain members; with ``bot_manages_messages``
    the bot may manage messages in the channel (needed for secret answers)."""
    guild = env.create_guild(name)
    # guild.me is the bot's member.
    overwrites = {guild.me: discord.PermissionOverwrite(manage_messages=True)} if bot_manages_messages else None
    channel = guild.create_text_channel("trivia", overwrites=overwrites)
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[admins])
    alice, bob, carol = (guild.add_member(env.create_user(member)) for member in ("alice", "bob", "carol"))
    return Server(env, guild, channel, mod, alice, bob, carol)


async def secret_game(env: Env, seconds: int) -> tuple[Server, discord.Message]:
    """A server with secret answers on, where the moderator has just posted the Current Events question."""
    s = make_server(env, bot_manages_messages=True)
    await s.mod.slash(s.channel, "trivia-settings", secret_answers=True)
    await s.mod.slash(s.channel, "trivia", category="Current Events", seconds=seconds)
    return s, s.channel.last_message


def mercury_question(question_id: str, tags: str) -> str:
    """The sample Space question with every optional field set, as one entry of a pack's `questions:`
    (ten lines: `id` first, `tags` last)."""
    return f"""\
  - id: {question_id}
    question: "Which planet is closest to the Sun?"
    choices: ["Mercury", "Venus", "Mars", "Earth"]
    answer: "Mercury"
    category: Space
    difficulty: easy
    explanation: "Mercury orbits closest to the Sun."
    learn_more: https://en.wikipedia.org/wiki/Mercury_(planet)
    image: https://example.org/mercury.png
    tags: {tags}
"""
