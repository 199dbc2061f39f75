"""The one timer loop behind every scheduled night: reminders, starts, misses and repeats.

It sleeps until the soonest thing due (a reminder or a start) over all schedules, woken early when a
schedule is added, cancelled or changed, or a game ends. Each time it wakes it compares the stored
times with the clock (``discord.utils.utcnow()``), so it never drifts and a restart loses nothing:
the schedules table is the whole state, apart from how long a night has been waiting for a game
already running in its channel.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime, time, timedelta
from typing import Protocol

import discord

from bot.constants import NO_PINGS
from bot.game.options import GameOptions
from bot.game.schedule import (
    GAME_WAIT,
    START_GRACE,
    NightChoices,
    Occurrence,
    next_occurrence,
    night_length,
    repeat_rule,
)
from bot.game.server_settings import ServerSettings
from bot.game.stale_settings import in_force
from bot.questions import QuestionBank
from bot.session.channel_checks import channel_refusal
from bot.session.manager import GameManager, GameRefused
from bot.session.members import display_name
from bot.session.night_events import EventPlan, create_event, delete_event, event_called_off, interested_ids, move_event
from bot.session.planning import check_game_channel, plan_game, settings_with_stale
from bot.storage import Storage
from bot.storage.errors import StorageError
from bot.storage.records import ScheduleRecord
from bot.ui.schedules import (
    at_of,
    event_description,
    event_location,
    missed_text,
    not_started_text,
    reminder_messages,
    starting_text,
)

log = logging.getLogger(__name__)

LONGEST_SLEEP = timedelta(days=1)  # wake at least this often, whatever the clock did meanwhile
STORAGE_RETRY = timedelta(minutes=1)  # after the database refused a read


class SchedulerHost(Protocol):
    """The bot as the scheduler sees it."""

    storage: Storage
    games: GameManager

    def get_guild(self, id: int, /) -> discord.Guild | None: ...

    def owns_guild(self, guild_id: int) -> bool: ...

    async def bank_for(self, guild_id: int) -> QuestionBank: ...

    async def server_settings(self, guild_id: int) -> ServerSettings: ...


def occurrence_of(schedule: ScheduleRecord) -> Occurrence:
    return Occurrence(at_of(schedule.next_at), schedule.timezone, time.fromisoformat(schedule.local_time))


def remind_at(at: datetime, config: ServerSettings) -> float | None:
    minutes = config.schedule_reminder_minutes
    return (at - timedelta(minutes=minutes)).timestamp() if minutes else None


async def member_name(guild: discord.Guild, member_id: int) -> str:
    """A moderator's display name, or "a moderator" when it can't be known."""
    return await display_name(guild, member_id) or "a moderator"


class Scheduler:
    def __init__(self, host: SchedulerHost) -> None:
        self._host = host
        self._sleeper: asyncio.Task[None] | None = None  # the loop, while it sleeps
        self._woken = False  # a wake came: the loop looks again instead of sleeping
        self._lock = asyncio.Lock()  # one change to the schedules at a time (loop, listeners, commands)
        self._task: asyncio.Task[None] | None = None
        self._waiting: dict[int, datetime] = {}  # schedule id -> when its night found a game running

    # ----------------------------------------------------------------- the loop
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="trivia schedules")

    def wake(self) -> None:
        """Look at the schedules again now (one was added, cancelled or changed, or a game ended)."""
        self._woken = True
        if self._sleeper is not None:
            self._sleeper.cancel()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            now = discord.utils.utcnow()
            async with self._lock:
                try:
                    due = await self._serve_all(now)
                except StorageError as exc:
                    log.warning("could not read the schedules; trying again in a minute: %s", exc)
                    due = now + STORAGE_RETRY
            sleep = min(due - discord.utils.utcnow(), LONGEST_SLEEP) if due is not None else LONGEST_SLEEP
            await self._sleep(max(sleep.total_seconds(), 0.0))

    async def _sleep(self, seconds: float) -> None:
        """Sleep (a plain timer, so virtual clocks drive it in tests), cut short by :meth:`wake`."""
        task = asyncio.current_task()
        if not self._woken:
            self._sleeper = task
            try:
                await asyncio.sleep(seconds)
            except asyncio.CancelledError:
                if not self._woken or task is None or task is not self._task:
                    raise  # stopped
                task.uncancel()
            finally:
                self._sleeper = None
        self._woken = False

    async def _serve_all(self, now: datetime) -> datetime | None:
        """Do what is due now; returns when the loop must look again (None: only when woken)."""
        due: datetime | None = None
        unfinished: set[int] | None = None
        playing = {game.game_id for game in self._host.games}
        for schedule in await self._host.storage.schedules():
            if not self._host.owns_guild(schedule.guild_id):
                continue  # another process of the cluster runs this server's nights
            if schedule.game_id is not None:  # its night is playing (or was, before a restart)
                if schedule.game_id in playing:
                    continue
                if unfinished is None:
                    unfinished = {record.id for record in await self._host.storage.unfinished_games()}
                if schedule.game_id not in unfinished:  # it ended while nobody listened
                    await self._night_over(schedule)
                    due = now
                continue  # else it resumes, and its end wakes the loop
            try:
                when = await self._serve(schedule, now)
            except StorageError:
                raise
            except Exception:
                log.exception("schedule %s in guild %s failed; it is tried again in a minute", schedule.id, schedule.guild_id)
                when = now + STORAGE_RETRY
            if when is not None:
                due = when if due is None else min(due, when)
        return due

    async def _serve(self, schedule: ScheduleRecord, now: datetime) -> datetime | None:
        """Remind or start one schedule's night if due; returns when it is next due."""
        at = at_of(schedule.next_at)
        if schedule.remind_at is not None:
            if at_of(schedule.remind_at) > now:
                return min(at_of(schedule.remind_at), at)
            if now < at:
                await self._remind(schedule, at)
            schedule = dataclasses.replace(schedule, remind_at=None)
            await self._host.storage.update_schedule(schedule)
        if at > now:
            return at
        key = schedule.id or 0
        waiting_since = self._waiting.get(key)
        if waiting_since is None and now - at > START_GRACE:
            await self._missed(schedule, "I was offline at its start time")
            return now
        if self._host.games.get(schedule.channel_id) is not None:
            waiting_since = self._waiting.setdefault(key, now)
            if now - waiting_since < GAME_WAIT:
                return waiting_since + GAME_WAIT  # or sooner, when that game ends
            self._waiting.pop(key, None)
            await self._missed(schedule, f"another game was still running here after {GAME_WAIT.seconds // 60} minutes")
            return now
        self._waiting.pop(key, None)
        await self._begin(schedule)
        return now

    # ----------------------------------------------------------------- one night
    async def _remind(self, schedule: ScheduleRecord, at: datetime) -> None:
        """The one message that pings: the members who marked themselves interested in the event."""
        guild = self._host.get_guild(schedule.guild_id)
        channel = guild.get_channel(schedule.channel_id) if guild is not None else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            return
        interested = await interested_ids(guild, schedule.event_id)
        for content in reminder_messages(schedule.title, at, interested):
            try:
                await channel.send(
                    content, allowed_mentions=discord.AllowedMentions(users=[discord.Object(i) for i in interested])
                )
            except discord.HTTPException as exc:
                log.warning("could not post the reminder of schedule %s in channel %s: %s", schedule.id, channel.id, exc)
                return

    async def _begin(self, schedule: ScheduleRecord) -> None:
        guild = self._host.get_guild(schedule.guild_id)
        if guild is None:
            log.warning("schedule %s: guild %s is unavailable; skipping its night", schedule.id, schedule.guild_id)
            await self._advance(schedule)
            return
        channel = guild.get_channel(schedule.channel_id)
        if not isinstance(channel, discord.TextChannel):
            log.info("schedule %s: its channel %s is gone; removing the schedule", schedule.id, schedule.channel_id)
            await self._remove(schedule)
            return
        if await event_called_off(guild, schedule.event_id):
            log.info("schedule %s: the event of its night was cancelled in Discord; skipping the night", schedule.id)
            await self._advance(schedule)
            return
        config = in_force(*await settings_with_stale(self._host, guild))
        try:
            options = await self._plan(schedule, config, channel)
            await self._tell(channel, starting_text(schedule.title, await member_name(guild, schedule.host_id)))
            game = await self._host.games.start(guild.id, channel.id, schedule.host_id, options)
        except GameRefused as refusal:
            following = await self._advance(schedule)
            await self._tell(channel, not_started_text(schedule.title, str(refusal), following))
            return
        await self._host.storage.update_schedule(dataclasses.replace(schedule, game_id=game.game_id, remind_at=None))
        await move_event(guild, schedule.event_id, discord.EventStatus.active)

    async def _plan(self, schedule: ScheduleRecord, config: ServerSettings, channel: discord.TextChannel) -> GameOptions:
        """The night's options, checked like a `/trivia` in its channel now; raises :class:`GameRefused`."""
        choices = NightChoices.from_json(schedule.choices)
        check_game_channel(config, channel.id)
        options = plan_game(
            config, await self._host.bank_for(schedule.guild_id),
            questions=choices.questions, seconds=choices.seconds, category=choices.category, difficulty=choices.difficulty,
        )
        refusal = channel_refusal(channel, channel.permissions_for(channel.guild.me), options.secret_answers, channel.mention)
        if refusal is not None:
            raise refusal
        return options

    async def _missed(self, schedule: ScheduleRecord, why: str) -> None:
        guild = self._host.get_guild(schedule.guild_id)
        following = await self._advance(schedule)
        if guild is None:
            return
        await move_event(guild, schedule.event_id, discord.EventStatus.cancelled)
        channel = guild.get_channel(schedule.channel_id)
        if isinstance(channel, discord.TextChannel):
            await self._tell(channel, missed_text(schedule.title, at_of(schedule.next_at), why, following))

    async def _night_over(self, schedule: ScheduleRecord) -> None:
        guild = self._host.get_guild(schedule.guild_id)
        if guild is not None:
            await move_event(guild, schedule.event_id, discord.EventStatus.completed)
        await self._advance(schedule)

    async def _advance(self, schedule: ScheduleRecord) -> datetime | None:
        """Move a schedule on to its next night (with a new event), or remove a one-off one; returns the next start."""
        after = max(discord.utils.utcnow(), at_of(schedule.next_at))
        following = next_occurrence(occurrence_of(schedule), repeat_rule(schedule.repeat), after)
        if following is None:
            await self._host.storage.delete_schedule(schedule.guild_id, schedule.id or 0)
            return None
        config = await self._host.server_settings(schedule.guild_id)
        event_id = await self.create_event(schedule, following.at, config)
        await self._host.storage.update_schedule(
            dataclasses.replace(
                schedule, next_at=following.at.timestamp(), remind_at=remind_at(following.at, config), event_id=event_id,
                game_id=None,
            )
        )
        return following.at

    # ----------------------------------------------------------------- for the cog
    async def create_event(self, schedule: ScheduleRecord, at: datetime, config: ServerSettings) -> int | None:
        """Create the Discord event of a night at ``at``; its id, or None if the bot could not."""
        event, _ = await self.event_for(schedule, at, config)
        return event.id if event is not None else None

    async def event_for(
        self, schedule: ScheduleRecord, at: datetime, config: ServerSettings
    ) -> tuple[discord.ScheduledEvent | None, str]:
        guild = self._host.get_guild(schedule.guild_id)
        channel = guild.get_channel(schedule.channel_id) if guild is not None else None
        if guild is None or channel is None:
            return None, "I couldn't create a Discord event for it: I can't see its channel."
        choices = NightChoices.from_json(schedule.choices)
        options = choices.options(config)
        plan = EventPlan(
            title=schedule.title,
            start=at,
            end=at + night_length(options),
            location=event_location(channel.name),
            description=event_description(
                choices, options, await member_name(guild, schedule.host_id), config.schedule_reminder_minutes
            ),
        )
        return await create_event(guild, plan)

    async def game_ended(self, guild_id: int, game_id: int) -> None:
        """A game ended: if it was a scheduled night, complete its event and move on to the next night."""
        async with self._lock:
            try:
                for schedule in await self._host.storage.schedules(guild_id):
                    if schedule.game_id == game_id:
                        await self._night_over(schedule)
            except StorageError as exc:
                log.warning("could not move on the schedule of game %s in guild %s: %s", game_id, guild_id, exc)
        self.wake()

    async def event_called_off(self, guild_id: int, event_id: int) -> None:
        """An event was cancelled or deleted in Discord: skip the night it announced (repeats go on)."""
        async with self._lock:
            try:
                for schedule in await self._host.storage.schedules(guild_id):
                    if schedule.event_id == event_id and schedule.game_id is None:
                        log.info("schedule %s: its event was called off in Discord; skipping that night", schedule.id)
                        await self._advance(schedule)
            except StorageError as exc:
                log.warning("could not skip the night of event %s in guild %s: %s", event_id, guild_id, exc)
        self.wake()

    async def cancel(self, schedule: ScheduleRecord) -> bool:
        """Remove a schedule and its upcoming event; False if it was already gone."""
        async with self._lock:
            removed = await self._remove(schedule)
        self.wake()
        return removed

    async def _remove(self, schedule: ScheduleRecord) -> bool:
        removed = await self._host.storage.delete_schedule(schedule.guild_id, schedule.id or 0)
        guild = self._host.get_guild(schedule.guild_id)
        if removed and guild is not None and schedule.game_id is None:
            await delete_event(guild, schedule.event_id)
        self._waiting.pop(schedule.id or 0, None)
        return removed

    @staticmethod
    async def _tell(channel: discord.TextChannel, content: str) -> None:
        try:
            await channel.send(content, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("could not post in channel %s: %s", channel.id, exc)
