"""The outbox: reveals and final standings kept in storage until posted, posted at the next start if a
shutdown or crash came first.

A reveal is kept with the round's scored result before it is posted, marked posted once it is up, and
done once the round is saved as closed; so a restart posts a reveal only if it never went up, and saves
the round from the kept result, never scoring or revealing the question a second time.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import discord

from bot.constants import NO_PINGS
from bot.game.options import GameOptions
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.session.context import GameHost
from bot.session.retry import retry
from bot.storage.errors import StorageError
from bot.storage.records import Announcement, OpenRound
from bot.ui.illustrations import illustration_file
from bot.ui.play_again import play_again_view

log = logging.getLogger(__name__)

REVEAL = "reveal"
FINAL = "final"


def question_gone(exc: discord.HTTPException) -> bool:
    """Discord refused a reply because the message it answers was deleted (``fail_if_not_exists``)."""
    return exc.status == 400 and exc.code == 50035 and "message_reference" in (exc.text or "")


def result_to_json(result: RoundResult) -> dict[str, Any]:
    return {
        "question": dataclasses.asdict(result.asked.question),
        "order": list(result.asked.order),
        "outcomes": [dataclasses.asdict(o) for o in result.outcomes],
    }


def result_from_json(data: dict[str, Any]) -> RoundResult:
    fields = dict(data["question"])
    fields["choices"], fields["tags"] = tuple(fields["choices"]), tuple(fields.get("tags", ()))
    asked = AskedQuestion(Question(**fields), tuple(data["order"]))
    return RoundResult(asked, tuple(PlayerOutcome(**o) for o in data["outcomes"]))


def reveal(
    guild_id: int, channel_id: int, question_message_id: int, embed: discord.Embed, result: RoundResult, at: float,
    illustration: str | None = None,
) -> Announcement:
    """A reveal to keep; ``illustration`` is the category whose picture rides on it, if one does."""
    payload = {
        "embed": embed.to_dict(), "reply_to": question_message_id, "result": result_to_json(result),
        "illustration": illustration,
    }
    return Announcement(REVEAL, question_message_id, guild_id, channel_id, json.dumps(payload), at)


def final(guild_id: int, channel_id: int, game_id: int, embed: discord.Embed, at: float, options: GameOptions) -> Announcement:
    """Final standings to keep, with the night's options for their Play again button. The results card
    is not kept (it is drawn again from nothing at the next start), so a re-post goes without it."""
    payload = {"embed": embed.to_dict(), "options": options.to_json()}
    return Announcement(FINAL, game_id, guild_id, channel_id, json.dumps(payload), at)


def _message(payload: dict[str, Any]) -> dict[str, Any]:
    """What to send for a kept announcement: its embed, and the file or button it came with."""
    embed = discord.Embed.from_dict(payload["embed"])
    kwargs: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_PINGS}
    if payload.get("illustration"):
        kwargs["file"] = illustration_file(payload["illustration"])
    if "options" in payload:
        kwargs["view"] = play_again_view(GameOptions.from_json(payload["options"]))
        if embed.image.url and embed.image.url.startswith("attachment://"):
            embed.set_image(url=None)  # the results card was not kept
    return kwargs


def reply_to(channel_id: int, message_id: int) -> discord.MessageReference:
    """A reply Discord refuses when the question was deleted, so a deleted question is never revealed."""
    return discord.MessageReference(message_id=message_id, channel_id=channel_id, fail_if_not_exists=True)


async def post_pending(host: GameHost, now: float) -> int:
    """At start: post what a shutdown or crash kept from being posted, each exactly once; returns how many."""
    try:
        pending = await host.storage.pending_announcements()
        open_rounds = {r.message_id: r for r in await host.storage.open_rounds()}
    except StorageError as exc:
        log.error("could not read the messages left to post: %s", exc)
        return 0
    posted = 0
    for announcement in (a for a in pending if host.owns_guild(a.guild_id)):
        open_round = open_rounds.get(announcement.key)
        if announcement.kind == REVEAL and open_round is None:
            # The round was saved closed, which happens only after its reveal was posted (or refused).
            await _done(host, announcement, now)
            continue
        await _post_one(host, announcement, open_round, now)
        posted += 1
    return posted


async def _done(host: GameHost, a: Announcement, now: float) -> None:
    try:
        await host.storage.announcement_done(a.kind, a.key, now)
    except StorageError as exc:
        log.error("could not record the kept %s of channel %s as done: %s", a.kind, a.channel_id, exc)


async def _post_one(host: GameHost, a: Announcement, open_round: OpenRound | None, now: float) -> None:
    payload = json.loads(a.payload)
    channel = host.get_partial_messageable(a.channel_id, guild_id=a.guild_id)
    reply: dict[str, Any] = {}
    if "reply_to" in payload:
        reply = {"reference": reply_to(a.channel_id, payload["reply_to"]), "mention_author": False}
    gone = False
    try:
        if not a.posted:
            await retry(f"posting a kept {a.kind} in channel {a.channel_id}", lambda: channel.send(**_message(payload), **reply))
            log.info("posted the %s kept for channel %s at the last stop", a.kind, a.channel_id)
    except discord.HTTPException as exc:
        gone = question_gone(exc)
        log.warning("could not post the %s kept for channel %s: %s", a.kind, a.channel_id, exc)
    try:
        if open_round is not None and open_round.id is not None:
            if gone:
                await host.storage.void_round(open_round.id, now)
            else:
                result = result_from_json(payload["result"])
                await host.storage.close_round(open_round.id, a.guild_id, result, open_round.opened_at, now)
        if a.kind == FINAL:
            await host.storage.end_game(a.key, now)
    except StorageError as exc:
        log.error("could not save the round or game of the kept %s in channel %s: %s", a.kind, a.channel_id, exc)
    await _done(host, a, now)
