"""Whether a whole game can run in a channel, for every kind of channel the bot can play in.

Games run in text and announcement channels, the text chat of voice and stage channels, and threads
(public, private, and forum posts, which are threads of a forum). Discord computes a thread's
permissions from its parent channel; posting there takes Send Messages in Threads instead of Send
Messages, a locked thread takes Manage Threads, and a private thread must have the bot as a member
(or the bot needs Manage Threads to see it). A forum or a category holds no messages of its own.
"""

from __future__ import annotations

import discord

from bot.session.manager import GameRefused

# What the bot must be allowed to do in a channel to run a game there; in a thread, posting is
# Send Messages in Threads.
NEEDED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "add_reactions", "read_message_history")
SECRET_ANSWERS_PERMISSION = "manage_messages"
THREAD_POSTING_PERMISSION = "send_messages_in_threads"
# Everything the bot plays with anywhere (what its invite link asks for).
PLAYING_PERMISSIONS = (*NEEDED_PERMISSIONS, THREAD_POSTING_PERMISSION, SECRET_ANSWERS_PERMISSION)


def permission_name(flag: str) -> str:
    """A permission as Discord's interface names it, e.g. "Send Messages in Threads"."""
    return flag.replace("_", " ").title().replace(" In ", " in ")


def missing_permissions(perms: discord.Permissions, secret_answers: bool, *, in_thread: bool = False) -> list[str]:
    """The permissions the bot lacks in a channel to play there, as Discord names them."""
    needed = [(THREAD_POSTING_PERMISSION if in_thread and flag == "send_messages" else flag) for flag in NEEDED_PERMISSIONS]
    if secret_answers:
        needed.append(SECRET_ANSWERS_PERMISSION)
    return [permission_name(flag) for flag in needed if not getattr(perms, flag)]


def permissions_refusal(missing: list[str], where: str = "this channel") -> GameRefused:
    """The refusal for a channel where the bot lacks ``missing`` (see :func:`missing_permissions`)."""
    return GameRefused(
        f"I can't run a game in {where}: I'm missing the {', '.join(missing)} permission(s). "
        "Ask a moderator to grant them."
    )


def kind_refusal(channel: object, where: str = "this channel") -> GameRefused | None:
    """The refusal for a channel that holds no messages of its own (a forum or a category), else None."""
    if isinstance(channel, discord.ForumChannel):  # media channels are forums too
        return GameRefused(f"I can't run a game in {where}: it is a forum. Start the game in one of its posts.")
    if isinstance(channel, discord.CategoryChannel):
        return GameRefused(f"I can't run a game in {where}: it is a category. Start the game in one of its channels.")
    return None


def channel_refusal(
    channel: object, perms: discord.Permissions, secret_answers: bool, where: str = "this channel"
) -> GameRefused | None:
    """Why a whole game can't run in ``channel`` with the bot's ``perms`` there, or None if it can.

    Checks what is known without asking Discord; a private thread's membership is
    :func:`check_private_thread`'s.
    """
    kind = kind_refusal(channel, where)
    if kind is not None:
        return kind
    thread = channel if isinstance(channel, discord.Thread) else None
    if thread is not None and thread.locked and not perms.manage_threads:
        return GameRefused(
            f"I can't run a game in {where}: the thread is locked, and only members with Manage Threads "
            "may post in it. Unlock it, or give me the Manage Threads permission."
        )
    missing = missing_permissions(perms, secret_answers, in_thread=thread is not None)
    if missing:
        return permissions_refusal(missing, where)
    return None


async def check_private_thread(channel: object, perms: discord.Permissions) -> None:
    """Raise :class:`GameRefused` if ``channel`` is a private thread the bot is not in and can't see.

    The bot's own membership is asked of Discord (one call, only in private threads): the cached
    thread is missing for archived threads and its membership can be out of date."""
    if not isinstance(channel, discord.Thread) or not channel.is_private() or perms.manage_threads:
        return
    try:
        await channel.fetch_member(channel.guild.me.id)
    except (discord.NotFound, discord.Forbidden):
        raise GameRefused(
            "I can't run a game in this private thread: I'm not in it. Mention me in the thread to add me, "
            "or give me the Manage Threads permission."
        ) from None
    except discord.HTTPException:
        return  # Discord did not answer: the game's own retries and checks take it from here


async def reopen_thread(channel: object) -> None:
    """Unarchive ``channel`` if it is an archived thread, so that reactions and edits work in it.

    Call it after every check passed; raises :class:`GameRefused` if Discord refuses."""
    if not isinstance(channel, discord.Thread) or not channel.archived:
        return
    try:
        await channel.edit(archived=False)
    except discord.HTTPException as exc:
        raise GameRefused(
            f"I can't run a game in this thread: it is archived and Discord refused to reopen it ({exc.status})."
        ) from exc
