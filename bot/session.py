"""A trivia game running in one channel: post, collect reactions, reveal, save.

The session owns the live state of its channel (the open question and its
answer sheet). It translates Discord events into calls on the Discord-free game
rules and storage, so no REST call is made per reaction.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord

from bot.constants import LETTERS, NO_PINGS
from bot.game.answers import AnswerSheet
from bot.game.rounds import AskedQuestion, RoundResult, score_round
from bot.game.standings import GameStandings
from bot.questions.model import Question
from bot.storage.records import OpenRound
from bot.ui.embeds import question_embed, reveal_embed

if TYPE_CHECKING:
    from bot.client import TriviaBot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GameOptions:
    seconds: int
    category: str | None = None
    difficulty: str | None = None
    questions: int = 1


@dataclass(slots=True)
class LiveRound:
    """The question currently on screen and the answers seen so far."""

    asked: AskedQuestion
    message_id: int
    opened_at: float  # loop clock
    opened_unix: float
    sheet: AnswerSheet
    round_id: int | None = None


@dataclass
class ChannelGame:
    bot: TriviaBot
    guild_id: int
    channel_id: int
    host_id: int
    options: GameOptions
    standings: GameStandings = field(default_factory=GameStandings)
    live: LiveRound | None = None
    jump_url: str | None = None

    # ----------------------------------------------------------------- reactions
    def on_reaction(self, message_id: int, user_id: int, emoji: str, added: bool, name: str | None = None) -> None:
        """Record a reaction add or remove on the open question; anything else is ignored."""
        live = self.live
        if live is None or live.message_id != message_id:
            return
        try:
            choice = LETTERS.index(emoji)
        except ValueError:
            return
        if added:
            live.sheet.add(user_id, choice, asyncio.get_running_loop().time(), name)
        else:
            live.sheet.remove(user_id, choice)

    # ----------------------------------------------------------------- flow
    async def play_first(self, interaction: discord.Interaction, question: Question) -> None:
        """Ask the first question as the reply to the slash command, then run the game."""
        asked = AskedQuestion.shuffled(question, self.bot.rng)
        deadline_unix = discord.utils.utcnow().timestamp() + self.options.seconds
        embed = question_embed(asked, int(deadline_unix), 1, self.options.questions)
        callback = await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
        message = callback.resource
        assert isinstance(message, discord.InteractionMessage)
        self.jump_url = message.jump_url
        await self._run_round(asked, message, deadline_unix)

    async def _run_round(self, asked: AskedQuestion, message: discord.Message, deadline_unix: float) -> None:
        loop = asyncio.get_running_loop()
        opened_unix = deadline_unix - self.options.seconds
        live = LiveRound(asked, message.id, loop.time(), opened_unix, AnswerSheet(len(asked.choices)))
        self.live = live
        live.round_id = await self.bot.storage.open_round(
            OpenRound(
                self.guild_id, self.channel_id, message.id, asked.question.id, asked.order,
                self.options.seconds, opened_unix, deadline_unix,
            )
        )
        for letter in LETTERS[: len(asked.choices)]:
            await message.add_reaction(letter)
        await asyncio.sleep(max(0.0, live.opened_at + self.options.seconds - loop.time()))
        result = await self._close(live)
        await self._reveal(result, message)

    async def _close(self, live: LiveRound) -> RoundResult:
        """Stop taking answers, score them and save the round in one transaction."""
        self.live = None
        result = score_round(
            live.asked, live.sheet.final(), live.sheet.names, live.opened_at,
            self.options.seconds, self.standings.streaks,
        )
        self.standings.apply(result)
        assert live.round_id is not None
        await self.bot.storage.close_round(
            live.round_id, self.guild_id, result, live.opened_unix, discord.utils.utcnow().timestamp()
        )
        return result

    async def _reveal(self, result: RoundResult, question_message: discord.Message) -> None:
        channel = self.bot.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
        await channel.send(
            embed=reveal_embed(result),
            reference=question_message.to_reference(fail_if_not_exists=False),
            mention_author=False,
            allowed_mentions=NO_PINGS,
        )


class GameRegistry:
    """The games running right now, one per channel."""

    def __init__(self) -> None:
        self._by_channel: dict[int, ChannelGame] = {}

    def get(self, channel_id: int) -> ChannelGame | None:
        return self._by_channel.get(channel_id)

    def add(self, game: ChannelGame) -> None:
        if game.channel_id in self._by_channel:
            raise ValueError(f"channel {game.channel_id} already has a game")
        self._by_channel[game.channel_id] = game

    def remove(self, game: ChannelGame) -> None:
        if self._by_channel.get(game.channel_id) is game:
            del self._by_channel[game.channel_id]

    def __len__(self) -> int:
        return len(self._by_channel)
