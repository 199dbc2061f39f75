"""`/trivia-schedule add|list|cancel`: trivia nights that announce themselves, remind and start on time.

The timer loop itself is :class:`bot.session.scheduler.Scheduler`; this cog takes the commands and
passes it what Discord reports (games ending, events cancelled or deleted in Discord's interface).
"""

from __future__ import annotations

import dataclasses
import math

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.game.options import EndReason
from bot.game.schedule import DEFAULT_TITLE, MAX_SCHEDULES, NightChoices, Repeat, ScheduleError, parse_when
from bot.game.server_settings import RANGES
from bot.game.stale_settings import in_force
from bot.questions.model import Difficulty
from bot.session import ChannelGame, GameRefused
from bot.session.channel_checks import channel_refusal
from bot.session.night_events import delete_event
from bot.session.planning import check_game_channel, plan_game, settings_with_stale
from bot.session.scheduler import Scheduler, remind_at
from bot.storage.errors import StorageError
from bot.storage.records import ScheduleRecord
from bot.ui.checks import requires_manage_events
from bot.ui.limits import autocomplete
from bot.ui.markdown import escape
from bot.ui.pager import send_pages
from bot.ui.schedules import SCHEDULES_PAGE_SIZE, schedule_choice_name, scheduled_reply, schedules_embed
from bot.ui.stale import stale_notes, with_notes
from cogs.trivia import category_choices

SECONDS = RANGES["answer_seconds"]
QUESTIONS = RANGES["questions_per_game"]
TO_SCHEDULE = "schedule trivia nights"
DATABASE_DOWN = "I can't change the schedules right now: my database is not answering. Try again in a minute."


class Schedules(commands.Cog):
    schedule = app_commands.Group(
        name="trivia-schedule",
        description="Schedule trivia nights: a Discord event, a reminder, and the night starts by itself",
        guild_only=True,
        default_permissions=discord.Permissions(manage_events=True),
    )

    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot
        self.scheduler = Scheduler(bot)

    async def cog_unload(self) -> None:
        await self.scheduler.stop()

    # ----------------------------------------------------------------- commands
    @schedule.command(name="add", description="Schedule a trivia night (optionally repeating) in a channel")
    @requires_manage_events(TO_SCHEDULE)
    @app_commands.describe(
        when="YYYY-MM-DD HH:MM in the server's time zone, or in 30m / in 2h / in 1d",
        questions=f"How many questions ({QUESTIONS.low}-{QUESTIONS.high}; default: the server's setting)",
        seconds=f"Answer time in seconds ({SECONDS.low}-{SECONDS.high})",
        category="Only ask questions from this category",
        difficulty="Only ask questions of this difficulty",
        repeat="Repeat the night every day or every week, at the same local time",
        channel="Where the night runs (default: this channel)",
        title=f"The event's name (default: {DEFAULT_TITLE})",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        when: str,
        questions: app_commands.Range[int, QUESTIONS.low, QUESTIONS.high] | None = None,
        seconds: app_commands.Range[int, SECONDS.low, SECONDS.high] | None = None,
        category: str | None = None,
        difficulty: Difficulty | None = None,
        repeat: Repeat = "none",
        channel: discord.TextChannel | None = None,
        title: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        target = channel or interaction.channel
        stored, stale = await settings_with_stale(self.bot, guild)
        config = in_force(stored, stale)
        try:
            if not isinstance(target, discord.TextChannel):
                raise GameRefused("Trivia nights run in text channels. Pick one with the channel option.")
            if len(await self.bot.storage.schedules(guild.id)) >= MAX_SCHEDULES:
                raise GameRefused(
                    f"This server already has {MAX_SCHEDULES} scheduled nights, the most it can have. "
                    "Cancel one with /trivia-schedule cancel first."
                )
            occurrence = parse_when(when, discord.utils.utcnow(), config.timezone)
            check_game_channel(config, target.id)
            options = plan_game(
                config, await self.bot.bank_for(guild.id),
                questions=questions, seconds=seconds, category=category, difficulty=difficulty,
            )
            refusal = channel_refusal(target, target.permissions_for(guild.me), options.secret_answers, target.mention)
            if refusal is not None:
                raise refusal
        except (GameRefused, ScheduleError) as refusal:
            await interaction.response.send_message(with_notes(str(refusal), stale_notes(stored, stale)), ephemeral=True)
            return
        except StorageError:
            await interaction.response.send_message(DATABASE_DOWN, ephemeral=True)
            return
        choices = NightChoices(questions, seconds, options.categories[0] if category else None, difficulty)
        reminder = remind_at(occurrence.at, config)
        record = ScheduleRecord(
            guild_id=guild.id, channel_id=target.id, host_id=interaction.user.id, title=(title or DEFAULT_TITLE).strip() or DEFAULT_TITLE,
            choices=choices.to_json(), repeat=repeat, timezone=occurrence.timezone,
            local_time=occurrence.local_time.strftime("%H:%M"), next_at=occurrence.at.timestamp(),
            remind_at=reminder if reminder is not None and reminder > discord.utils.utcnow().timestamp() else None,
        )
        event, problem = await self.scheduler.event_for(record, occurrence.at, config)
        record = dataclasses.replace(record, event_id=event.id if event else None)
        try:
            record = dataclasses.replace(record, id=await self.bot.storage.add_schedule(record))
        except StorageError:
            await delete_event(guild, record.event_id)
            await interaction.response.send_message(DATABASE_DOWN, ephemeral=True)
            return
        self.scheduler.wake()
        await interaction.response.send_message(scheduled_reply(record, options, event, problem), ephemeral=True)

    @add.autocomplete("category")
    async def category_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await category_choices(self.bot, interaction.guild, current)

    @schedule.command(name="list", description="This server's scheduled trivia nights")
    @requires_manage_events(TO_SCHEDULE)
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        try:
            schedules = await self.bot.storage.schedules(interaction.guild_id)
        except StorageError:
            await interaction.response.send_message(DATABASE_DOWN, ephemeral=True)
            return
        config = await self.bot.server_settings(interaction.guild_id)
        listed = [(s, NightChoices.from_json(s.choices).options(config)) for s in schedules]
        pages = max(1, math.ceil(len(listed) / SCHEDULES_PAGE_SIZE))

        async def render(page: int) -> discord.Embed:
            return schedules_embed(listed[(page - 1) * SCHEDULES_PAGE_SIZE: page * SCHEDULES_PAGE_SIZE], page, pages)

        await send_pages(interaction, pages, render, "/trivia-schedule list", ephemeral=True)

    @schedule.command(name="cancel", description="Cancel a scheduled trivia night and its Discord event")
    @requires_manage_events(TO_SCHEDULE)
    @app_commands.describe(id="The schedule's number, as /trivia-schedule list shows it")
    async def cancel(self, interaction: discord.Interaction, id: int) -> None:
        assert interaction.guild_id is not None
        try:
            found = next((s for s in await self.bot.storage.schedules(interaction.guild_id) if s.id == id), None)
            cancelled = found is not None and await self.scheduler.cancel(found)
        except StorageError:
            await interaction.response.send_message(DATABASE_DOWN, ephemeral=True)
            return
        if found is None or not cancelled:
            await interaction.response.send_message(
                f"There is no scheduled night #{id} on this server. See /trivia-schedule list.", ephemeral=True
            )
            return
        playing = " The night playing now goes on to its end." if found.game_id is not None else ""
        await interaction.response.send_message(
            f"Cancelled {schedule_choice_name(found, escape)}; its Discord event was removed.{playing}", ephemeral=True
        )

    @cancel.autocomplete("id")
    async def id_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        try:
            schedules = await self.bot.storage.schedules(interaction.guild_id or 0)
        except StorageError:
            return []
        typed = current.casefold().strip().lstrip("#")
        return autocomplete(
            (schedule_choice_name(s), s.id or 0) for s in schedules if typed in schedule_choice_name(s).casefold()
        )

    # ----------------------------------------------------------------- what Discord reports
    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.scheduler.start()  # once the guilds are known; a second ready keeps the running loop

    @commands.Cog.listener()
    async def on_trivia_game_end(self, game: ChannelGame, reason: EndReason | None) -> None:
        await self.scheduler.game_ended(game.guild_id, game.game_id)

    @commands.Cog.listener()
    async def on_scheduled_event_delete(self, event: discord.ScheduledEvent) -> None:
        await self.scheduler.event_called_off(event.guild_id, event.id)

    @commands.Cog.listener()
    async def on_scheduled_event_update(self, before: discord.ScheduledEvent, after: discord.ScheduledEvent) -> None:
        if after.status is discord.EventStatus.cancelled and before.status is not discord.EventStatus.cancelled:
            await self.scheduler.event_called_off(after.guild_id, after.id)


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Schedules(bot))
