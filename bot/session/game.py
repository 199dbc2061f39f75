"""A trivia game in one channel, the Discord-facing side: post, take answers, reveal, save, repeat.

What the night decides (which question is next, breaks, stops, auto-stop, standings) is the pure
:class:`GameFlow`; how players answer is the :class:`AnswerInput`; saving goes through the
:class:`GameSaver`. This class posts and waits. It runs inside a task the game manager owns.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import discord

from bot.constants import NO_PINGS
from bot.game.answers import AnswerSheet
from bot.game.flow import GameFlow
from bot.game.options import EndReason, GameOptions
from bot.game.rounds import AskedQuestion, RoundResult, score_round
from bot.questions.model import Question
from bot.session import announcements
from bot.session.context import GameContext
from bot.session.finale import prepare_final_standings, send_final_standings
from bot.session.live import LiveRound
from bot.session.reactions import ReactionInput
from bot.session.retry import PATIENT, passing, retry
from bot.session.saving import GameSaver
from bot.storage.errors import StorageError
from bot.storage.records import Announcement, HiddenPick, OpenRound
from bot.ui.embeds import CLOSED_BY_STOP, CLOSED_VOID, correct_rate, question_embed, reveal_embed
from bot.ui.illustrations import attachment_url, illustration_file
from bot.ui.night import intro_embed, next_question_line

log = logging.getLogger(__name__)

ANSWERED_EDIT_INTERVAL = 2.0  # seconds between "N answered" edits in secret mode
UNKNOWN_MESSAGE = 10008  # Discord's error code when a message was deleted


def _now() -> float:
    return discord.utils.utcnow().timestamp()


@dataclass
class ChannelGame:
    context: GameContext
    host_id: int
    game_id: int
    flow: GameFlow
    live: LiveRound | None = None  # the question on screen, until it is revealed or voided
    jump_url: str | None = None
    posted: asyncio.Event = field(default_factory=asyncio.Event)  # the first question is up (or the game ended)
    answers: ReactionInput = field(init=False)
    _saver: GameSaver = field(init=False)
    _sleeper: asyncio.Task[Any] | None = None
    _interrupted: bool = False
    stopper_name: str = ""  # the display name of whoever stopped the game, as the bot saw it
    asked_ids: set[str] = field(default_factory=set)  # questions this game asked (read back when resumed)
    break_from: float | None = None  # resumed between questions: when the last round closed (unix seconds)

    def __post_init__(self) -> None:
        self.answers = ReactionInput(self.context, self.options, lambda: self.flow.stopping, self._count_changed)
        self._saver = GameSaver(self.context.storage, self.context.guild_id, self.context.channel_id)

    @property
    def options(self) -> GameOptions:
        return self.flow.options

    @property
    def guild_id(self) -> int:
        return self.context.guild_id

    @property
    def channel_id(self) -> int:
        return self.context.channel_id

    # ----------------------------------------------------------------- control
    def request_stop(self, member_id: int, name: str = "") -> None:
        """End the game: the question on screen is revealed and scored now, nothing more is asked."""
        if not self.flow.stopping:
            self.stopper_name = name
        self.flow.request_stop(member_id)
        if self._sleeper is not None:
            self._interrupted = True
            self._sleeper.cancel()

    async def _wait(self, seconds: float) -> None:
        """Sleep, but wake at once if the game is stopped.

        A stop cancels the game's task while (and only while) it sleeps here;
        that one cancellation is absorbed, any other (shutdown) propagates.
        """
        if self.flow.stopping:
            return
        task = asyncio.current_task()
        self._sleeper = task
        try:
            await asyncio.sleep(max(0.0, seconds))
        except asyncio.CancelledError:
            if not self._interrupted or task is None:
                raise
            task.uncancel()
        finally:
            self._sleeper = None
            self._interrupted = False

    # ----------------------------------------------------------------- the game
    async def run(self, interaction: discord.Interaction | None = None, interrupted: OpenRound | None = None) -> EndReason:
        """Play the game to its end. The first question answers ``interaction`` when there is one;
        ``interrupted`` is a question left open by a restart, finished first."""
        try:
            if interrupted is not None:
                await self._finish_interrupted(interrupted)
            elif self.flow.asked == 0 and self.options.questions > 1:
                await self._post_question(intro_embed(self.options), interaction)  # a night opens with its intro card
                interaction = None
            await self._ask_questions(interaction)
        except discord.HTTPException as exc:
            await self._void_live(f"Discord refused a request: {exc.text or exc}")
            self.flow.end(EndReason.DISCORD_FAILED)
            await self._explain_stop(exc)
        finally:
            self.posted.set()
        return await self._finish()

    async def _ask_questions(self, interaction: discord.Interaction | None) -> None:
        seen = await self._asked_before()
        while (number := self.flow.next_question()) is not None:
            if self.flow.break_before(number):
                await self._wait(self._break_left())
                if self.flow.stopping:
                    continue
            question = await self._draw(seen, self.asked_ids)
            if question is None:
                self.flow.end(EndReason.NO_QUESTIONS)
                break
            seen.add(question.id)
            self.asked_ids.add(question.id)
            try:
                await self._play_round(AskedQuestion.shuffled(question, self.context.host.rng), number, interaction)
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_MESSAGE:
                    raise
                await self._void_live("the question was deleted", card_left=False)
            finally:
                interaction = None

    def _break_left(self) -> float:
        """The break before the next question; a game resumed in a break waits only what was left of it,
        so the next question comes when the reveal said."""
        since, self.break_from = self.break_from, None
        return self.options.break_seconds - (0.0 if since is None else _now() - since)

    async def _asked_before(self) -> set[str]:
        """Questions this server has seen, asked last; without the database, any may come."""
        try:
            return await self.context.storage.asked_questions(self.guild_id)
        except StorageError as exc:
            log.warning("could not read the questions asked in guild %s; any may repeat: %s", self.guild_id, exc)
            return set()

    async def _draw(self, seen: set[str], this_game: set[str]) -> Question | None:
        bank = await self.context.host.bank_for(self.guild_id)  # per round: packs may change mid-game
        return bank.draw(self.context.host.rng, self.options.categories, self.options.difficulty, seen, this_game)

    async def _finish(self) -> EndReason:
        """Save the end of the game and post the final standings of a night (kept in the outbox first)."""
        reason = self.flow.reason or EndReason.COMPLETED
        if not (self.options.questions > 1 and self.flow.standings.rounds):
            await self._saver.end_game(self.game_id, _now())
            return reason
        final = await prepare_final_standings(self.context, self.flow, self.game_id, reason, self.stopper_name)
        kept = announcements.final(self.guild_id, self.channel_id, self.game_id, final.embed, _now(), self.options)
        await self._saver.announce(kept)
        await self._saver.end_game(self.game_id, _now())
        try:
            await send_final_standings(self.context.channel, final)
        except discord.HTTPException as exc:
            log.warning("could not post the final standings in channel %s: %s", self.channel_id, exc)
        await self._saver.done(kept, _now())
        return reason

    async def abandon(self) -> None:
        """After an unexpected error: drop the open question and end the game, as far as the database allows."""
        await self._void_live("the game stopped on an unexpected error")
        await self._saver.end_game(self.game_id, _now())

    # ----------------------------------------------------------------- one round
    async def _play_round(self, asked: AskedQuestion, number: int, interaction: discord.Interaction | None) -> None:
        # The deadline shown and the one enforced come from this one instant, however long the post takes.
        opened_at, opened_unix = asyncio.get_running_loop().time(), _now()
        deadline_unix = opened_unix + self.options.seconds
        embed = question_embed(asked, int(deadline_unix), number, self.options.questions)
        message = await self._post_question(embed, interaction)
        record = OpenRound(
            self.guild_id, self.channel_id, message.id, asked.question.id, asked.order,
            self.options.seconds, opened_unix, deadline_unix, self.game_id, category=asked.question.category,
        )
        live = self._go_live(asked, message, number, opened_at, await self._saver.open_round(record))
        self.posted.set()
        await self.answers.offer(live)
        await self._wait(live.deadline - asyncio.get_running_loop().time())
        # Events are only lost when the gateway connection drops; then Discord's reactions are checked.
        await self._close_and_reveal(live, self.context.host.connection_drops != live.drops_at_open)

    async def _post_question(self, embed: discord.Embed, interaction: discord.Interaction | None) -> discord.Message:
        """The first question answers the slash command that started the game; the others are posts."""
        if interaction is None:
            return await self._send(embed=embed)
        callback = await retry(
            f"answering /trivia in channel {self.channel_id}",
            partial(interaction.response.send_message, embed=embed, allowed_mentions=NO_PINGS),
        )
        assert isinstance(callback.resource, discord.Message)
        return callback.resource

    def _go_live(self, asked: AskedQuestion, message: discord.Message, number: int, opened_at: float, record: OpenRound) -> LiveRound:
        """Start taking answers for a posted question."""
        self.jump_url = message.jump_url
        self.live = LiveRound(
            asked, message, number, opened_at, record.opened_at, record.deadline,
            AnswerSheet(len(asked.choices), self.options.first_pick_locks), self.context.host.connection_drops,
            record,
        )
        return self.live

    async def _finish_interrupted(self, saved: OpenRound) -> None:
        """Finish a question that was open when the bot stopped.

        Answers given while the bot was away are read back from the message's
        reactions at the deadline; a question whose message or pack entry is
        gone is voided without scoring.
        """
        question = (await self.context.host.bank_for(self.guild_id)).get(saved.question_id)
        try:
            if question is None or sorted(saved.choice_order) != list(range(len(question.choices))):
                raise LookupError(f"question {saved.question_id} is no longer loaded")
            message = await retry(
                f"fetching the open question in channel {self.channel_id}",
                partial(self.context.channel.fetch_message, saved.message_id), PATIENT,
            )
        except (LookupError, discord.HTTPException) as exc:
            log.warning("voiding interrupted round %s in channel %s: %s", saved.id, self.channel_id, exc)
            self.flow.voided()
            await self._saver.void_round(saved, _now())
            if isinstance(exc, discord.HTTPException) and passing(exc):
                raise  # Discord kept failing: the game ends with an explanation
            return
        loop = asyncio.get_running_loop()
        live = self._go_live(AskedQuestion(question, saved.choice_order), message, self.flow.asked + 1,
                             loop.time() - (_now() - saved.opened_at), saved)
        live.restore(await self._kept_picks(saved))
        try:
            await self.answers.offer(live)
            await self._wait(saved.deadline - _now())
            await self._close_and_reveal(live, events_may_be_lost=True)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_MESSAGE:
                raise
            await self._void_live("the question was deleted", card_left=False)

    async def _kept_picks(self, saved: OpenRound) -> list[HiddenPick]:
        """The picks kept on an interrupted question: secret answers, or every pick the bot tracked when it shut down."""
        if saved.id is None:
            return []
        try:
            return await self.context.storage.hidden_picks(saved.id)
        except StorageError as exc:
            log.error("could not read the kept answers of round %s in channel %s: %s", saved.id, self.channel_id, exc)
            return []

    async def keep_answers(self) -> None:
        """At shutdown, keep the open question's tracked picks with their times: the next start scores them
        as they were, and the reactions it reads back say who still holds what."""
        live = self.live
        if live is None or live.round_id is None or not len(live.sheet):
            return
        try:
            await self.context.storage.save_hidden_picks(live.round_id, live.kept_picks())
        except StorageError as exc:
            log.error("could not keep the answers of the open question in channel %s (read back without their times): %s", self.channel_id, exc)

    async def _close_and_reveal(self, live: LiveRound, events_may_be_lost: bool) -> None:
        """Score the answers, keep the reveal in the outbox, post it as a reply, then save the round.

        Discord refuses the reply when the question was deleted: then the round is voided, not scored.
        A round that ends before its deadline (a stop) says so on its card first, with one edit.
        """
        early = self.flow.stopping and asyncio.get_running_loop().time() < live.deadline
        self.answers.withdraw()
        picks = await self.answers.collect(live, events_may_be_lost)
        if live.answered_edit is not None:
            live.answered_edit.cancel()
        result = score_round(
            live.asked, picks, live.sheet.names, live.opened_at,
            self.options.seconds, self.flow.standings.streaks, self.options.speed_bonus,
        )
        if early:
            await self._mark_closed(live, CLOSED_BY_STOP)
        question = result.asked.question
        illustration = None if question.image or question.reveal_image else question.category  # its own picture first
        embed = await self._reveal_embed(result, illustration is not None)
        kept = announcements.reveal(self.guild_id, self.channel_id, live.message.id, embed, result, _now(), illustration)
        await self._saver.announce(kept)
        self.live = None  # from here the outbox holds the round (until then a shutdown keeps its picks)
        try:
            await self._send(
                partial(illustration_file, illustration) if illustration is not None else None,
                embed=embed, reference=announcements.reply_to(self.channel_id, live.message.id), mention_author=False,
            )
        except discord.HTTPException as exc:
            if not announcements.question_gone(exc):
                await self._score(live, result, kept)  # revealed or not, the answers given count
                raise
            log.warning("voiding round %s in channel %s: the question was deleted before its reveal", live.round_id, self.channel_id)
            self.flow.voided()
            await self._saver.void_round(live.record, _now())
            await self._saver.done(kept, _now())
            return
        await self._saver.posted(kept, _now())
        await self._score(live, result, kept)

    async def _score(self, live: LiveRound, result: RoundResult, kept: Announcement) -> None:
        self.flow.scored(result)
        await self._saver.close_round(live.record, result, _now())
        await self._saver.done(kept, _now())

    async def _void_live(self, why: str, card_left: bool = True) -> None:
        """Drop the open question without scoring it (and say so on its card, if ``card_left``)."""
        live, self.live = self.live, None
        if live is None:
            return
        self.answers.withdraw()
        self.flow.voided()
        log.warning("voiding round %s in channel %s: %s", live.round_id, self.channel_id, why)
        await self._saver.void_round(live.record, _now())
        if card_left:
            await self._mark_closed(live, CLOSED_VOID)

    async def _reveal_embed(self, result: RoundResult, illustrated: bool) -> discord.Embed:
        """The reveal, with the question's record, the night's standings as they are once this round counts,
        and when the next question comes (the break is a timestamp on the reveal, never edits)."""
        try:
            answered, correct = await self.context.storage.question_record(result.asked.question.id)
        except StorageError as exc:
            log.warning("could not read the record of question %s: %s", result.asked.question.id, exc)
            answered = correct = 0
        answered, correct = answered + len(result.outcomes), correct + len(result.winners)  # this round counts
        after = copy.deepcopy(self.flow)
        after.scored(result)
        number = after.upcoming()
        next_up = None
        if number is not None and self.options.break_seconds > 0:
            next_up = next_question_line(number, self.options.questions, round(_now() + self.options.break_seconds))
        return reveal_embed(
            result, after.standings if self.options.questions > 1 else None, correct_rate(answered, correct),
            next_up, attachment_url() if illustrated else None,
        )

    async def _mark_closed(self, live: LiveRound, note: str) -> None:
        """Say on a question card that its round ended before the deadline: one edit, only then
        (a round that runs out needs none, its timestamp already reads "… ago")."""
        embed = question_embed(live.asked, int(live.deadline_unix), live.number, self.options.questions, closed=note)
        try:
            await self.context.channel.get_partial_message(live.message.id).edit(embed=embed)
        except discord.HTTPException as exc:
            log.warning("could not mark the question closed in channel %s: %s", self.channel_id, exc)

    # ----------------------------------------------------------------- what players are told
    def _count_changed(self, live: LiveRound) -> None:
        if live.answered_edit is None and len(live.sheet) != live.shown_answered:
            live.answered_edit = asyncio.create_task(self._show_answered(live))

    async def _show_answered(self, live: LiveRound) -> None:
        """Edit "N answered" onto the question, at most once every couple of seconds."""
        try:
            while self.live is live and len(live.sheet) != live.shown_answered:
                live.shown_answered = len(live.sheet)
                embed = question_embed(
                    live.asked, int(live.deadline_unix), live.number, self.options.questions, live.shown_answered
                )
                try:
                    # Through the channel with the bot token: the first question is the slash command's
                    # reply, and editing it as such would use the 15-minute interaction token.
                    await self.context.channel.get_partial_message(live.message.id).edit(embed=embed)
                except discord.HTTPException as exc:
                    log.warning("could not update the answer count in channel %s: %s", self.channel_id, exc)
                await asyncio.sleep(ANSWERED_EDIT_INTERVAL)
        finally:
            live.answered_edit = None

    async def _explain_stop(self, error: discord.HTTPException) -> None:
        """Say why the game stopped, if the bot can still post here."""
        if isinstance(error, (discord.Forbidden, discord.NotFound)):
            why = (
                "I lost a permission I need in this channel (Send Messages, or Send Messages in Threads "
                "in a thread; Embed Links; Add Reactions; Read Message History)"
            )
        else:
            why = f"Discord kept failing ({error.status})"
        await self.tell(
            f"⚠️ The trivia game stopped: {why}. "
            "Scores of revealed questions are kept; the unrevealed question was not scored."
        )

    async def tell(self, content: str) -> None:
        """Post a notice in the game's channel, if the bot still can."""
        try:
            await self._send(content=content)
        except discord.HTTPException:
            log.warning("could not post a notice in channel %s: %s", self.channel_id, content)

    async def _send(self, attachment: Callable[[], discord.File] | None = None, **kwargs: Any) -> discord.Message:
        """Post in the game's channel with the bot token (never the 15-minute interaction token).

        ``attachment`` makes the message's file, afresh for each try (a sent file is closed)."""
        async def send() -> discord.Message:
            if attachment is not None:
                kwargs["file"] = attachment()
            return await self.context.channel.send(allowed_mentions=NO_PINGS, **kwargs)

        return await retry(f"posting in channel {self.channel_id}", send)
