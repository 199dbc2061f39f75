"""A trivia game running in one channel: post, collect reactions, reveal, save, repeat.

The session owns the live state of its channel (the open question and its
answer sheet). It translates Discord events into calls on the Discord-free game
rules and storage, so no REST call or database write is made per reaction (except in
secret-answer mode, where each hidden pick is saved and its reaction removed).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import discord

from bot.constants import LETTERS, NO_PINGS, letter_index
from bot.game.answers import AnswerSheet, Pick, reconcile
from bot.game.options import EndReason, GameOptions
from bot.game.rounds import AskedQuestion, RoundResult, score_round
from bot.game.standings import GameStandings
from bot.session.readback import reaction_counts, read_reactions
from bot.session.retry import retry_once
from bot.session.saving import ClosedRound, RoundSaver
from bot.storage import StorageError
from bot.storage.records import GameRecord, HiddenPick, OpenRound
from bot.ui.embeds import correct_rate, final_standings_embed, question_embed, reveal_embed

if TYPE_CHECKING:
    from bot.client import TriviaBot

log = logging.getLogger(__name__)

ANSWERED_EDIT_INTERVAL = 2.0  # seconds between "N answered" edits in secret mode
UNKNOWN_MESSAGE = 10008  # Discord's error code when a message was deleted


@dataclass(slots=True)
class LiveRound:
    """The question currently on screen and the answers seen so far."""

    asked: AskedQuestion
    message: discord.Message
    number: int
    opened_at: float  # loop clock
    opened_unix: float
    deadline_unix: float
    sheet: AnswerSheet
    drops_at_open: int  # the bot's gateway connection drops when this question went up
    round_id: int | None = None
    shown_answered: int = 0
    answered_edit: asyncio.Task[None] | None = None


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
    game_id: int | None = None
    stopped_by: int | None = None
    _background: set[asyncio.Task[None]] = field(default_factory=set)
    _sleeper: asyncio.Task[object] | None = None
    _interrupted: bool = False
    _saver: RoundSaver = field(init=False)

    def __post_init__(self) -> None:
        self._saver = RoundSaver(self.bot.storage, self.guild_id, self.channel_id)

    # ----------------------------------------------------------------- control
    def request_stop(self, member_id: int) -> None:
        """End the game: the question on screen is revealed and scored now, nothing more is asked."""
        self.stopped_by = member_id
        if self._sleeper is not None:
            self._interrupted = True
            self._sleeper.cancel()

    async def _wait(self, seconds: float) -> None:
        """Sleep, but wake at once if the game is stopped.

        A stop cancels the game's task while (and only while) it sleeps here;
        that one cancellation is absorbed, any other (shutdown) propagates.
        """
        if self.stopped_by is not None:
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

    # ----------------------------------------------------------------- reactions
    def on_reaction(self, message_id: int, user_id: int, emoji: str, added: bool, name: str | None = None) -> None:
        """Record a reaction add or remove on the open question; anything else is ignored."""
        live = self.live
        if live is None or live.message.id != message_id:
            return
        now = asyncio.get_running_loop().time()
        if now > live.opened_at + self.options.seconds:
            return  # late: the question's time is up
        choice = letter_index(emoji)
        if choice is None:
            return
        if not added:
            if not self.options.secret_answers:  # in secret mode removals are the bot's own
                live.sheet.remove(user_id, choice)
            return
        if self.options.secret_answers:
            # Hidden picks stay on the sheet, so picking a letter again (A, B, then A) must make it
            # the latest pick rather than be ignored as already held. No-op when first picks lock.
            live.sheet.remove(user_id, choice)
        live.sheet.add(user_id, choice, now, name)
        if self.options.secret_answers:
            self._spawn(self._hide_reaction(live, emoji, user_id))
            if live.answered_edit is None and len(live.sheet) != live.shown_answered:
                live.answered_edit = asyncio.create_task(self._show_answered(live))

    def on_reactions_cleared(self, message_id: int, emoji: str | None = None) -> None:
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

    async def _restore_letters(self, live: LiveRound, emoji: str | None) -> None:
        """Put the cleared letters back so players can still answer."""
        present = frozenset(LETTERS[: len(live.asked.choices)]) - {emoji} if emoji else frozenset()
        try:
            await self._add_letters(live.message, len(live.asked.choices), present)
        except discord.HTTPException as exc:
            log.warning("could not put the letters back in channel %s: %s", self.channel_id, exc)

    def _spawn(self, coro) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _hide_reaction(self, live: LiveRound, emoji: str, user_id: int) -> None:
        """Save the secret pick, which Discord will no longer hold, then remove the reaction."""
        pick = live.sheet.pick_of(user_id)
        if pick is not None and live.round_id is not None:
            hidden = HiddenPick(user_id, pick.choice, pick.at - live.opened_at, live.sheet.names.get(user_id, ""))
            try:
                await self.bot.storage.save_hidden_pick(live.round_id, hidden)
            except StorageError as exc:
                log.error("could not save a secret answer in channel %s; leaving its reaction visible: %s", self.channel_id, exc)
                return
        try:
            await live.message.remove_reaction(emoji, discord.Object(user_id))
        except discord.HTTPException as exc:
            log.warning("could not hide a secret answer in channel %s: %s", self.channel_id, exc)

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
                    channel = self.bot.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
                    await channel.get_partial_message(live.message.id).edit(embed=embed)
                except discord.HTTPException as exc:
                    log.warning("could not update the answer count in channel %s: %s", self.channel_id, exc)
                await asyncio.sleep(ANSWERED_EDIT_INTERVAL)
        finally:
            live.answered_edit = None

    # ----------------------------------------------------------------- flow
    async def run(self, interaction: discord.Interaction) -> EndReason:
        """Play the whole game; the first question is the reply to the slash command."""
        self.game_id = await self.bot.storage.start_game(
            self.guild_id, self.channel_id, self.host_id, self.options.questions,
            discord.utils.utcnow().timestamp(), self.options.to_json(),
        )
        return await self._play_from(1, interaction)

    async def resume(self, record: GameRecord, open_round: OpenRound | None) -> EndReason:
        """Continue a game that was running when the bot stopped: finish its open question, then go on."""
        self.game_id = record.id
        for outcomes in await self.bot.storage.game_outcomes(record.id):
            self.standings.apply_outcomes(outcomes)
        number = record.rounds_played + 1
        if open_round is not None:
            await self._finish_interrupted(open_round, number)
            number += 1
        return await self._play_from(number, None, pause_first=open_round is not None or record.rounds_played > 0)

    async def _play_from(self, first: int, interaction: discord.Interaction | None, pause_first: bool = False) -> EndReason:
        """Ask questions ``first``..N with a break between them, then end the game."""
        assert self.game_id is not None
        seen = await self.bot.storage.asked_questions(self.guild_id)
        this_game: set[str] = set()
        reason = EndReason.COMPLETED
        unanswered = 0
        try:
            for number in range(first, self.options.questions + 1):
                if number > first or pause_first:
                    await self._wait(self.options.break_seconds)
                    if self.stopped_by is not None:
                        reason = EndReason.STOPPED
                        break
                bank = await self.bot.bank_for(self.guild_id)  # per round: packs may change mid-game
                question = bank.draw(
                    self.bot.rng, self.options.categories, self.options.difficulty, seen, this_game
                )
                if question is None:
                    reason = EndReason.NO_QUESTIONS
                    break
                seen.add(question.id)
                this_game.add(question.id)
                try:
                    result = await self._play_round(AskedQuestion.shuffled(question, self.bot.rng), number, interaction)
                except discord.NotFound as exc:
                    if exc.code != UNKNOWN_MESSAGE:
                        raise
                    await self._void_live("the question was deleted")
                    continue
                finally:
                    interaction = None
                unanswered = 0 if result.outcomes else unanswered + 1
                if self.stopped_by is not None:
                    reason = EndReason.STOPPED
                    break
                if unanswered >= self.options.auto_stop and number < self.options.questions:
                    reason = EndReason.NO_ANSWERS
                    break
        except discord.HTTPException as exc:
            await self._void_live(f"Discord refused a request: {exc.text or exc}")
            reason = EndReason.DISCORD_FAILED
            await self._explain_stop(exc)
        except asyncio.CancelledError:
            raise  # the bot is shutting down: the game stays unfinished and resumes at the next start
        except Exception:
            await self.bot.storage.end_game(self.game_id, discord.utils.utcnow().timestamp())
            raise
        await self._saver.retry(last_chance=True)
        await self.bot.storage.end_game(self.game_id, discord.utils.utcnow().timestamp())
        if self.options.questions > 1 and self.standings.rounds:
            try:
                await self._send(
                    embed=final_standings_embed(self.standings, self.options.questions, reason.value, self.stopped_by)
                )
            except discord.HTTPException as exc:
                log.warning("could not post the final standings in channel %s: %s", self.channel_id, exc)
        return reason

    async def _void_live(self, why: str) -> None:
        """Drop the open question without scoring it."""
        live, self.live = self.live, None
        if live is not None and live.round_id is not None:
            log.warning("voiding round %s in channel %s: %s", live.round_id, self.channel_id, why)
            await self.bot.storage.void_round(live.round_id, discord.utils.utcnow().timestamp())

    async def _explain_stop(self, error: discord.HTTPException) -> None:
        """Say why the game stopped, if the bot can still post here."""
        if isinstance(error, (discord.Forbidden, discord.NotFound)):
            why = (
                "I lost a permission I need in this channel "
                "(Send Messages, Embed Links, Add Reactions or Read Message History)"
            )
        else:
            why = f"Discord kept failing ({error.status})"
        try:
            await self._send(
                content=f"⚠️ The trivia game stopped: {why}. "
                "Scores of revealed questions are kept; the unrevealed question was not scored."
            )
        except discord.HTTPException:
            log.warning("could not explain the stopped game in channel %s", self.channel_id)

    async def _play_round(self, asked: AskedQuestion, number: int, interaction: discord.Interaction | None) -> RoundResult:
        loop = asyncio.get_running_loop()
        opened_unix = discord.utils.utcnow().timestamp()
        deadline_unix = opened_unix + self.options.seconds
        embed = question_embed(asked, int(deadline_unix), number, self.options.questions)
        if interaction is not None:
            callback = await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS)
            message = callback.resource
            assert isinstance(message, discord.Message)
        else:
            message = await self._send(embed=embed)
        live = self._go_live(asked, message, number, loop.time(), opened_unix)
        live.round_id = await self.bot.storage.open_round(
            OpenRound(
                self.guild_id, self.channel_id, message.id, asked.question.id, asked.order,
                self.options.seconds, opened_unix, deadline_unix, self.game_id, category=asked.question.category,
            )
        )
        await self._add_letters(message, len(asked.choices))
        await self._wait(live.opened_at + self.options.seconds - loop.time())
        # Events are only lost when the gateway connection drops; then Discord's reactions are checked.
        picks = await self._read_back(live) if self.bot.connection_drops != live.drops_at_open else None
        result = await self._close(live, picks)
        await self._reveal(result, message)
        return result

    def _go_live(self, asked: AskedQuestion, message: discord.Message, number: int, opened_at: float, opened_unix: float) -> LiveRound:
        """Start taking answers for a posted question."""
        self.jump_url = message.jump_url
        self.live = LiveRound(
            asked, message, number, opened_at, opened_unix, opened_unix + self.options.seconds,
            AnswerSheet(len(asked.choices), self.options.first_pick_locks), self.bot.connection_drops,
        )
        return self.live

    async def _add_letters(self, message: discord.Message, count: int, present: frozenset[str] = frozenset()) -> None:
        for letter in LETTERS[:count]:
            if self.stopped_by is not None:
                break
            if letter not in present:
                await retry_once(f"adding a letter in channel {self.channel_id}", partial(message.add_reaction, letter))

    async def _finish_interrupted(self, saved: OpenRound, number: int) -> None:
        """Finish a question that was open when the bot stopped.

        Answers given while the bot was away are read back from the message's
        reactions at the deadline; a question whose message or pack entry is
        gone is voided without scoring.
        """
        assert saved.id is not None
        question = (await self.bot.bank_for(self.guild_id)).get(saved.question_id)
        channel = self.bot.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
        try:
            if question is None or sorted(saved.choice_order) != list(range(len(question.choices))):
                raise LookupError(f"question {saved.question_id} is no longer loaded")
            message = await channel.fetch_message(saved.message_id)
        except (LookupError, discord.NotFound, discord.Forbidden) as exc:
            log.warning("voiding interrupted round %s in channel %s: %s", saved.id, self.channel_id, exc)
            await self.bot.storage.void_round(saved.id, discord.utils.utcnow().timestamp())
            return
        asked = AskedQuestion(question, saved.choice_order)
        loop = asyncio.get_running_loop()
        now_unix = discord.utils.utcnow().timestamp()
        live = self._go_live(asked, message, number, loop.time() - (now_unix - saved.opened_at), saved.opened_at)
        live.round_id = saved.id
        for hidden in await self.bot.storage.hidden_picks(saved.id):
            live.sheet.add(hidden.user_id, hidden.choice, live.opened_at + hidden.seconds, hidden.name)
        mine = frozenset(str(r.emoji) for r in message.reactions if r.me)
        try:
            await self._add_letters(message, len(asked.choices), mine)
            await self._wait(saved.deadline - discord.utils.utcnow().timestamp())
            picks = await self._read_back(live)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_MESSAGE:
                raise
            await self._void_live("the question was deleted")
            return
        result = await self._close(live, picks)
        await self._reveal(result, message)

    async def _read_back(self, live: LiveRound) -> dict[int, Pick]:
        """The picks to score when reaction events may have been lost (a restart, a dropped connection).

        The tracked picks are checked against the question's reaction counts on Discord; only when
        they differ are the reacting members read back, page by page, and merged in.
        """
        channel = self.bot.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
        message = await channel.fetch_message(live.message.id)
        choices = len(live.asked.choices)
        tracked = live.sheet.final()
        expected = [0] * choices if self.options.secret_answers else live.sheet.holders()
        if reaction_counts(message, choices) == expected:
            return tracked
        log.info("reconciling round %s in channel %s with its reactions on Discord", live.round_id, self.channel_id)
        held, names = await read_reactions(message, choices)
        for user_id, name in names.items():
            live.sheet.names.setdefault(user_id, name)
        withdraw = not (self.options.secret_answers or self.options.first_pick_locks)
        return reconcile(tracked, held, live.asked.correct, live.opened_at + self.options.seconds, withdraw)

    async def _reveal(self, result: RoundResult, question_message: discord.Message) -> None:
        answered, correct = await self.bot.storage.question_record(result.asked.question.id)
        await self._send(
            embed=reveal_embed(
                result,
                self.standings if self.options.questions > 1 else None,
                correct_rate(answered, correct),
            ),
            reference=question_message.to_reference(fail_if_not_exists=False),
            mention_author=False,
        )

    async def _close(self, live: LiveRound, picks: dict[int, Pick] | None = None) -> RoundResult:
        """Stop taking answers, score them and save the round in one transaction."""
        self.live = None
        if live.answered_edit is not None:
            live.answered_edit.cancel()
        result = score_round(
            live.asked, live.sheet.final() if picks is None else picks, live.sheet.names, live.opened_at,
            self.options.seconds, self.standings.streaks, self.options.speed_bonus,
        )
        self.standings.apply(result)
        assert live.round_id is not None
        await self._saver.save(ClosedRound(live.round_id, result, live.opened_unix, discord.utils.utcnow().timestamp()))
        return result

    async def _send(self, **kwargs) -> discord.Message:  # type: ignore[no-untyped-def]
        """Post in the game's channel with the bot token (never the 15-minute interaction token)."""
        channel = self.bot.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
        return await retry_once(f"posting in channel {self.channel_id}", partial(channel.send, allowed_mentions=NO_PINGS, **kwargs))
