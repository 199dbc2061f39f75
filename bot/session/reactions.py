"""Answers as letter reactions (🇦 🇧 🇨 …) on the question message.

Raw gateway events are turned into picks on the open round's sheet with no REST call and no
database write per reaction, except in secret-answer mode, where each pick is saved and its
reaction removed so others cannot see it. When events may have been lost (a restart, a dropped
gateway connection), the message's reactions are read back from Discord and reconciled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial

import discord

from bot.constants import LETTER_CHOICES, LETTERS, letter_index
from bot.game.answers import Pick, reconcile
from bot.game.options import GameOptions
from bot.session.context import GameContext
from bot.session.live import LiveRound
from bot.session.readback import reaction_counts, read_reactions
from bot.session.retry import PATIENT, retry
from bot.storage.errors import StorageError

log = logging.getLogger(__name__)


@dataclass
class ReactionInput:
    """The reaction input of one channel's game."""

    context: GameContext
    options: GameOptions
    stopping: Callable[[], bool]  # letters stop being added once the game is stopping
    on_count_changed: Callable[[LiveRound], None]  # secret mode: how many have answered changed
    live: LiveRound | None = None  # the round taking answers, if any
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    # ------------------------------------------------------------------ the AnswerInput interface
    async def offer(self, live: LiveRound) -> None:
        """Take answers on ``live`` and add the letters its message does not have yet."""
        self.live = live
        present = frozenset(str(r.emoji) for r in live.message.reactions if r.me)
        await self._add_letters(live.message, live.choice_count, present)

    def withdraw(self) -> LiveRound | None:
        live, self.live = self.live, None
        return live

    async def collect(self, live: LiveRound, events_may_be_lost: bool) -> dict[int, Pick]:
        """The tracked picks; when events may have been lost, checked against the message's reactions.

        Only when Discord's reaction counts differ from the letters tracked players hold are the
        reacting members read back, page by page, and merged in.
        """
        tracked = live.sheet.final()
        if not events_may_be_lost:
            return tracked
        where = f"round {live.round_id} in channel {self.context.channel_id}"
        try:
            message = await retry(f"checking {where}", partial(self.context.channel.fetch_message, live.message.id), PATIENT)
            expected = [0] * live.choice_count if self.options.secret_answers else live.sheet.holders()
            if reaction_counts(message, live.choice_count) == expected:
                return tracked
            log.info("reconciling %s with its reactions on Discord", where)
            held, names = await retry(f"reading the reactions of {where}", partial(read_reactions, message, live.choice_count), PATIENT)
        except discord.NotFound:
            raise  # the question was deleted: the round is voided
        except discord.HTTPException as exc:
            log.warning("could not check %s against Discord (%s); scoring the answers seen", where, exc)
            return tracked
        for user_id, name in names.items():
            live.sheet.names.setdefault(user_id, name)
        withdraw = not (self.options.secret_answers or self.options.first_pick_locks)
        return reconcile(tracked, held, live.asked.correct, live.deadline, withdraw)

    # ------------------------------------------------------------------ gateway events
    def on_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        """A reaction added or removed anywhere in the channel; only letters on the open question count.

        Called for every reaction the bot sees, so the cheapest checks come first. The bot's own
        letters need no check of their own: its adds are refused as a bot member's, and it never
        holds a pick to remove.
        """
        live = self.live
        if live is None or payload.message_id != live.message.id:
            return
        emoji = payload.emoji
        choice = LETTER_CHOICES.get(emoji.name) if emoji.id is None else None  # letters are never custom emoji
        if choice is None:
            return
        now = asyncio.get_running_loop().time()
        if now > live.deadline:
            return  # late: the question's time is up
        if payload.event_type == "REACTION_REMOVE":
            if not self.options.secret_answers:  # in secret mode removals are the bot's own
                live.sheet.remove(payload.user_id, choice)
            return
        member = payload.member
        if member is None or member.bot:
            return
        if self.options.secret_answers:
            # Hidden picks stay on the sheet, so picking a letter again (A, B, then A) must make it
            # the latest pick rather than be ignored as already held. No-op when first picks lock.
            live.sheet.remove(payload.user_id, choice)
        live.sheet.add(payload.user_id, choice, now, member.display_name)
        if self.options.secret_answers:
            self._spawn(self._hide(live, str(emoji), payload.user_id))
            self.on_count_changed(live)

    def on_cleared(self, message_id: int, emoji: str | None = None) -> None:
        """A moderator removed every reaction (or every one of a letter) from the open question."""
        live = self.live
        if live is None or live.message.id != message_id:
            return
        choice = None if emoji is None else letter_index(emoji)
        if emoji is not None and choice is None:
            return
        if not self.options.secret_answers:  # hidden picks were never on the message
            live.sheet.clear(choice)
        self._spawn(self._restore_letters(live, emoji))

    # ------------------------------------------------------------------ REST work
    async def _add_letters(self, message: discord.Message, count: int, present: frozenset[str] = frozenset()) -> None:
        for letter in LETTERS[:count]:
            if self.stopping():
                break
            if letter not in present:
                await retry(f"adding a letter in channel {self.context.channel_id}", partial(message.add_reaction, letter))

    async def _restore_letters(self, live: LiveRound, emoji: str | None) -> None:
        """Put the cleared letters back so players can still answer."""
        present = frozenset(LETTERS[: live.choice_count]) - {emoji} if emoji else frozenset()
        try:
            await self._add_letters(live.message, live.choice_count, present)
        except discord.HTTPException as exc:
            log.warning("could not put the letters back in channel %s: %s", self.context.channel_id, exc)

    async def _hide(self, live: LiveRound, emoji: str, user_id: int) -> None:
        """Save the secret pick, which Discord will no longer hold, then remove the reaction."""
        hidden = live.kept_pick(user_id)
        if hidden is not None and live.round_id is not None:
            try:
                await self.context.storage.save_hidden_picks(live.round_id, [hidden])
            except StorageError as exc:
                log.error("could not save a secret answer in channel %s; leaving its reaction visible: %s", self.context.channel_id, exc)
                return
        try:
            await live.message.remove_reaction(emoji, discord.Object(user_id))
        except discord.HTTPException as exc:
            log.warning("could not hide a secret answer in channel %s: %s", self.context.channel_id, exc)

    def _spawn(self, coro: Coroutine[object, object, None]) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
