"""The game manager: the one owner of every running game.

It starts games (from a slash command or from code, such as a scheduler), runs each in a task of
its own, and however a game ends (normally, stopped, or by an unexpected error) unregisters it,
logs the end with the guild and channel, tells the channel when the end was abnormal and
announces it with the ``trivia_game_end`` event. It resumes unfinished games at start and, at
shutdown, cancels every game, leaving each resumable where it stood.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import discord

from bot.game.flow import GameFlow
from bot.game.options import EndReason, GameOptions
from bot.session import announcements
from bot.session.context import GameContext, GameHost
from bot.session.game import ChannelGame
from bot.storage.errors import StorageError
from bot.storage.records import GameRecord, OpenRound

log = logging.getLogger(__name__)

KEEPING_SECONDS = 3.0  # at shutdown, the longest saving the open questions' answers may take

CRASH_NOTICE = (
    "⚠️ The trivia game stopped because of an unexpected error on my side; the error was logged "
    "for the bot's owner. Scores of revealed questions are kept."
)


class GameRefused(Exception):
    """A game could not be started; the message is shown to the member who asked."""


class GameManager:
    def __init__(self, host: GameHost) -> None:
        self._host = host
        self._games: dict[int, ChannelGame] = {}
        self._tasks: dict[int, asyncio.Task[EndReason | None]] = {}
        # While the games to resume are being listed, starts wait; then their channels stay reserved
        # until each resumed game runs, so a /trivia arriving meanwhile cannot make a second game.
        self._listed = asyncio.Event()
        self._listed.set()
        self._reserved: set[int] = set()

    def get(self, channel_id: int) -> ChannelGame | None:
        return self._games.get(channel_id)

    def __len__(self) -> int:
        return len(self._games)

    def __iter__(self) -> Iterator[ChannelGame]:
        return iter(list(self._games.values()))

    async def start(
        self,
        guild_id: int,
        channel_id: int,
        host_id: int,
        options: GameOptions,
        interaction: discord.Interaction | None = None,
    ) -> ChannelGame:
        """Start a game and return once its first question is posted (or the game ended before that).

        Raises :class:`GameRefused` when the channel already has a game or the game cannot be saved.
        """
        await self._listed.wait()
        self._refuse_busy(channel_id)
        try:
            game_id = await self._host.storage.start_game(
                guild_id, channel_id, host_id, options.questions, discord.utils.utcnow().timestamp(), options.to_json()
            )
        except StorageError as exc:
            log.error("could not start a game in guild %s channel %s: %s", guild_id, channel_id, exc)
            raise GameRefused("I can't start a game right now: my database is not answering. Try again in a minute.") from exc
        if channel_id in self._games or channel_id in self._reserved:  # another start won the race meanwhile
            await self._host.storage.end_game(game_id, discord.utils.utcnow().timestamp())
            self._refuse_busy(channel_id)
        game = ChannelGame(GameContext(self._host, guild_id, channel_id), host_id, game_id, GameFlow(options))
        task = self._launch(game, interaction, None)
        posted = asyncio.ensure_future(game.posted.wait())
        try:
            await asyncio.wait({task, posted}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            posted.cancel()
        return game

    def _refuse_busy(self, channel_id: int) -> None:
        if channel_id in self._reserved:
            raise GameRefused("A trivia game is being resumed in this channel after a restart; it continues in a moment.")
        if channel_id in self._games:
            raise GameRefused("A trivia game is already running in this channel.")

    async def resume_unfinished(self) -> int:
        """Finish and continue the games that were running when the bot stopped; returns how many."""
        self._listed.clear()
        try:
            await announcements.post_pending(self._host, discord.utils.utcnow().timestamp())
            waiting, open_rounds = await self._unfinished()
            self._reserved.update(r.channel_id for r in waiting)
        finally:
            self._listed.set()
        resumed = 0
        for record in waiting:
            try:
                game = await self._rebuild(record)
            except StorageError as exc:
                log.error("could not resume game %s in guild %s channel %s: %s", record.id, record.guild_id, record.channel_id, exc)
                continue
            finally:
                self._reserved.discard(record.channel_id)
            log.info("resuming game %s in guild %s channel %s", record.id, record.guild_id, record.channel_id)
            self._launch(game, None, open_rounds.get(record.id))
            resumed += 1
        return resumed

    async def _unfinished(self) -> tuple[list[GameRecord], dict[int | None, OpenRound]]:
        """The games to resume (none in a channel that already has a game) and their open questions."""
        try:
            records = await self._host.storage.unfinished_games()
            open_rounds = {r.game_id: r for r in await self._host.storage.open_rounds()}
        except StorageError as exc:
            log.error("could not read the unfinished games to resume them: %s", exc)
            return [], {}
        mine = [r for r in records if self._host.owns_guild(r.guild_id)]  # in a cluster, other processes resume the rest
        return [r for r in mine if r.channel_id not in self._games], open_rounds

    async def _rebuild(self, record: GameRecord) -> ChannelGame:
        """A game as it stood when the bot stopped: its standings, the questions it asked, and when its
        last round closed (a break then goes on from there)."""
        storage = self._host.storage
        flow = GameFlow.resumed(GameOptions.from_json(record.options), record.rounds_played, await storage.game_outcomes(record.id))
        rounds = await storage.game_rounds(record.id)
        return ChannelGame(
            GameContext(self._host, record.guild_id, record.channel_id), record.host_id, record.id, flow,
            asked_ids={r.question_id for r in rounds}, break_from=rounds[-1].closed_at if rounds else None,
        )

    def stop(self, channel_id: int, member_id: int, name: str = "") -> bool:
        """Ask the channel's game to end after revealing the question on screen; False if none runs.

        ``name`` is the member's display name, shown in the final standings."""
        game = self._games.get(channel_id)
        if game is None:
            return False
        game.request_stop(member_id, name)
        return True

    async def shutdown(self) -> None:
        """Cancel every game; each stays unfinished in storage, with its open question's answers, and
        resumes at the next start."""
        tasks, games = list(self._tasks.values()), list(self)
        for game in games:
            log.info("leaving game %s in guild %s channel %s open to resume at the next start", game.game_id, game.guild_id, game.channel_id)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            async with asyncio.timeout(KEEPING_SECONDS):  # a locked database must not hold the stop up
                for game in games:
                    await game.keep_answers()
        except TimeoutError:
            log.error("could not keep every open question's answers within %g s; the rest are read back at the next start", KEEPING_SECONDS)

    def _launch(self, game: ChannelGame, interaction: discord.Interaction | None, interrupted: OpenRound | None) -> asyncio.Task[EndReason | None]:
        self._games[game.channel_id] = game
        task = asyncio.create_task(self._run(game, interaction, interrupted), name=f"trivia game {game.game_id}")
        self._tasks[game.channel_id] = task
        return task

    async def _run(self, game: ChannelGame, interaction: discord.Interaction | None, interrupted: OpenRound | None) -> EndReason | None:
        """A game's whole life, however it ends."""
        where = f"game {game.game_id} in guild {game.guild_id} channel {game.channel_id}"
        reason: EndReason | None = None
        try:
            reason = await game.run(interaction, interrupted)
            log.info("%s ended: %s", where, reason.name.lower())
        except asyncio.CancelledError:
            raise  # shutting down: the game stays unfinished and resumes at the next start
        except Exception:
            log.exception("%s stopped on an unexpected error", where)
            game.posted.set()
            await game.tell(CRASH_NOTICE)
            await game.abandon()
        finally:
            if self._games.get(game.channel_id) is game:
                del self._games[game.channel_id]
                del self._tasks[game.channel_id]
        self._host.dispatch("trivia_game_end", game, reason)
        return reason
