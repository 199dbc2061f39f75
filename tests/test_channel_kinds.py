"""SimCord tests: the checks before a game fit every kind of channel the bot plays in.

Text channels, voice and stage channels' text chat, public and private threads and forum posts: a
full round plays where the bot may play, and `/trivia` is refused, naming what is missing, where a
game would fail halfway. SimCord simulates threads created by the bot only, so each test's threads are
made through the bot's own discord.py objects; moderators' changes (overwrites, locking) are made
directly on SimCord's backend, as Discord's interface would. SimCord's bot has Manage Threads unless a
test takes it away.
"""

from __future__ import annotations

import discord
import pytest
from simcord import ChannelHandle
from simcord.backend.models import Overwrite
from simcord.enums import OverwriteType

from tests.fixtures import Server, make_server
from tests.helpers import got_it_right, letter_of, requests, shown

DEEPSEEK = "$6 million"  # the right answer of the test pack's Current Events question


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env)


# ----------------------------------------------------------------------------- helpers
def set_bot_overwrite(s: Server, channel: ChannelHandle, **perms: bool) -> None:
    """A moderator sets the bot's own overwrite in ``channel`` (a thread takes its parent's)."""
    allow, deny = discord.PermissionOverwrite(**perms).pair()
    s.env.backend.set_overwrite(
        channel.id, Overwrite(target_id=s.guild.me.id, type=OverwriteType.MEMBER, allow=allow.value, deny=deny.value)
    )


async def bot_thread(s: Server, parent: ChannelHandle, *, private: bool = False) -> ChannelHandle:
    """A thread of ``parent`` that the bot opened, with alice in it."""
    channel = s.env.bot.get_channel(parent.id)
    assert isinstance(channel, discord.TextChannel)
    kind = discord.ChannelType.private_thread if private else discord.ChannelType.public_thread
    thread = await channel.create_thread(name="quiz night", type=kind)
    await thread.add_user(discord.Object(s.alice.id))
    await s.env.settle()
    return next(t for t in parent.threads if t.id == thread.id)


async def bot_forum_post(s: Server) -> tuple[ChannelHandle, ChannelHandle]:
    """A forum and a post in it that the bot opened."""
    forum = s.guild.create_forum_channel("quiz-board")
    channel = s.env.bot.get_channel(forum.id)
    assert isinstance(channel, discord.ForumChannel)
    created = await channel.create_thread(name="Friday quiz", content="Play here!")
    await s.env.settle()
    return forum, next(t for t in forum.threads if t.id == created.thread.id)


def posted(channel: ChannelHandle) -> list[discord.Message]:
    """What the channel shows everybody (ephemeral replies left out)."""
    return [m for m in channel.history() if not m.flags.ephemeral]


async def plays_a_full_round(s: Server, where: ChannelHandle) -> None:
    """alice starts a game in ``where``, answers right, and the reveal names her."""
    started = await s.alice.slash(where, "trivia", category="Current Events", seconds=10)
    assert not started.ephemeral
    question = where.last_message
    assert question.embeds[0].title == "Trivia"
    await s.alice.react(question, letter_of(question, DEEPSEEK))
    await s.env.advance_time(11)
    reveal = where.last_message
    assert reveal.id != question.id
    assert shown(s.alice) in got_it_right(reveal)
    assert s.env.bot.games.get(where.id) is None


async def is_refused(s: Server, where: ChannelHandle, reason: str) -> None:
    """alice's `/trivia` in ``where`` gets ``reason`` privately and nothing is posted there."""
    before = len(posted(where))
    refused = await s.alice.slash(where, "trivia", seconds=10)
    assert refused.ephemeral
    assert refused.response.content == reason
    assert len(posted(where)) == before
    assert requests(s.env, "POST", rf"^/channels/{where.id}/messages$") == []
    assert s.env.bot.games.get(where.id) is None


def missing(where: str, *permissions: str) -> str:
    return (
        f"I can't run a game in {where}: I'm missing the {', '.join(permissions)} permission(s). "
        "Ask a moderator to grant them."
    )


# ----------------------------------------------------------------------------- voice and stage text chat
async def test_a_voice_channels_text_chat_plays_a_full_round(server):
    await plays_a_full_round(server, server.guild.create_voice_channel("Lounge"))


async def test_a_voice_channel_without_embed_links_is_refused(server):
    s = server
    voice = s.guild.create_voice_channel("Lounge")
    set_bot_overwrite(s, voice, embed_links=False)
    await is_refused(s, voice, missing("this channel", "Embed Links"))


async def test_a_stage_channels_text_chat_plays_a_full_round(server):
    await plays_a_full_round(server, server.guild.create_stage_channel("Stage"))


async def test_a_stage_channel_without_add_reactions_is_refused(server):
    s = server
    stage = s.guild.create_stage_channel("Stage")
    set_bot_overwrite(s, stage, add_reactions=False)
    await is_refused(s, stage, missing("this channel", "Add Reactions"))


# ----------------------------------------------------------------------------- threads
async def test_a_public_thread_plays_a_full_round(server):
    s = server
    await plays_a_full_round(s, await bot_thread(s, s.channel))


async def test_a_thread_needs_send_messages_in_threads_not_send_messages(server):
    s = server
    thread = await bot_thread(s, s.channel)
    # Without Send Messages in Threads the reveal could not be posted: refused before the game starts.
    set_bot_overwrite(s, s.channel, send_messages_in_threads=False)
    await is_refused(s, thread, missing("this channel", "Send Messages in Threads"))
    # Without Send Messages (in the parent), but with Send Messages in Threads, the thread plays.
    set_bot_overwrite(s, s.channel, send_messages=False, send_messages_in_threads=True)
    await plays_a_full_round(s, thread)


async def test_a_locked_thread_is_refused_unless_the_bot_manages_threads(server):
    s = server
    thread = await bot_thread(s, s.channel)
    set_bot_overwrite(s, s.channel, manage_threads=False)
    s.env.backend.edit_channel(thread.id, {}, thread_metadata={"locked": True})
    await s.env.settle()
    await is_refused(
        s, thread,
        "I can't run a game in this channel: the thread is locked, and only members with Manage Threads may "
        "post in it. Unlock it, or give me the Manage Threads permission.",
    )
    set_bot_overwrite(s, s.channel, manage_threads=True)
    await plays_a_full_round(s, thread)


async def test_an_archived_thread_is_reopened_and_plays(server):
    s = server
    thread = await bot_thread(s, s.channel)
    s.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await s.env.settle()
    await plays_a_full_round(s, thread)
    assert not s.env.backend.get_channel(thread.id).thread_metadata.archived
    reopened = requests(s.env, "PATCH", rf"^/channels/{thread.id}$")
    assert [r.json.get("archived") for r in reopened] == [False]


async def test_an_archived_and_locked_thread_the_bot_cannot_reopen_is_refused(server):
    s = server
    thread = await bot_thread(s, s.channel)
    set_bot_overwrite(s, s.channel, manage_threads=False)
    s.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True, "locked": True})
    await s.env.settle()
    refused = await s.alice.slash(thread, "trivia", seconds=10)
    assert refused.ephemeral
    assert "the thread is locked" in refused.response.content and "Manage Threads" in refused.response.content
    assert requests(s.env, "PATCH", rf"^/channels/{thread.id}$") == []
    assert s.env.backend.get_channel(thread.id).thread_metadata.archived


async def test_a_private_thread_plays_when_the_bot_is_in_it(server):
    s = server
    set_bot_overwrite(s, s.channel, manage_threads=False)
    await plays_a_full_round(s, await bot_thread(s, s.channel, private=True))


async def test_a_private_thread_the_bot_left_is_refused(server):
    s = server
    set_bot_overwrite(s, s.channel, manage_threads=False)
    thread = await bot_thread(s, s.channel, private=True)
    await s.env.bot.get_channel(thread.id).leave()
    await s.env.settle()
    await is_refused(
        s, thread,
        "I can't run a game in this private thread: I'm not in it. Mention me in the thread to add me, "
        "or give me the Manage Threads permission.",
    )
    # With Manage Threads the bot sees every private thread.
    set_bot_overwrite(s, s.channel, manage_threads=True)
    await plays_a_full_round(s, thread)


# ----------------------------------------------------------------------------- forum posts
async def test_a_forum_post_plays_a_full_round(server):
    s = server
    _, post = await bot_forum_post(s)
    await plays_a_full_round(s, post)


async def test_a_forum_post_needs_send_messages_in_threads(server):
    s = server
    forum, post = await bot_forum_post(s)
    set_bot_overwrite(s, forum, send_messages_in_threads=False)
    await is_refused(s, post, missing("this channel", "Send Messages in Threads"))


async def test_a_forum_or_a_category_itself_is_refused(server):
    s = server
    await is_refused(
        s, s.guild.create_forum_channel("quiz-board"),
        "I can't run a game in this channel: it is a forum. Start the game in one of its posts.",
    )
    await is_refused(
        s, s.guild.create_category("Fun"),
        "I can't run a game in this channel: it is a category. Start the game in one of its channels.",
    )


# ----------------------------------------------------------------------------- game channels and their threads
async def test_a_game_channels_threads_and_a_game_forums_posts_may_play(server):
    s = server
    elsewhere = s.guild.create_text_channel("elsewhere")
    forum, post = await bot_forum_post(s)
    chosen = await s.mod.slash(s.channel, "trivia-settings", game_channels=f"{s.channel.mention} {forum.mention}")
    assert chosen.response.content == "Settings updated."

    await plays_a_full_round(s, await bot_thread(s, s.channel))
    await plays_a_full_round(s, post)
    await is_refused(
        s, await bot_thread(s, elsewhere),
        f"Trivia games run only in {s.channel.mention}, {forum.mention} on this server.",
    )


async def test_game_channels_take_a_thread_only_through_its_channel(server):
    s = server
    thread = await bot_thread(s, s.channel)
    refused = await s.mod.slash(s.channel, "trivia-settings", game_channels=thread.mention)
    assert refused.ephemeral
    assert refused.response.content == (
        f"Not changed: {thread.mention} is a thread; name the channel it is in "
        "(games may run in a game channel's threads too)."
    )
