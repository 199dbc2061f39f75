"""What members read about scheduled nights: replies, the list, events, reminders and notices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import discord

from bot.constants import QUESTION_COLOUR
from bot.game.options import GameOptions
from bot.game.schedule import NightChoices
from bot.storage.records import ScheduleRecord

REPEAT_LABELS = {"none": "once", "daily": "every day", "weekly": "every week"}
MESSAGE_LIMIT = 2000
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100


def at_of(unix: float) -> datetime:
    return datetime.fromtimestamp(unix, UTC)


def when_text(at: datetime) -> str:
    """A Discord timestamp every member sees in their own time zone, with "in 2 hours"."""
    stamp = int(at.timestamp())
    return f"<t:{stamp}:F> (<t:{stamp}:R>)"


def title_text(title: str) -> str:
    return f"**{discord.utils.escape_markdown(title)}**"


def night_text(choices: NightChoices, options: GameOptions) -> str:
    """e.g. "2 questions · 20 s to answer · Space · easy"."""
    parts = [
        f"{options.questions} question{'s' if options.questions != 1 else ''}",
        f"{options.seconds} s to answer",
        discord.utils.escape_markdown(choices.category) if choices.category else "any category",
    ]
    if choices.difficulty:
        parts.append(choices.difficulty)
    return " · ".join(parts)


def event_location(channel_name: str) -> str:
    return f"#{channel_name}"[:EVENT_LOCATION_LIMIT]


def event_description(choices: NightChoices, options: GameOptions, host_name: str, reminder_minutes: int) -> str:
    reminder = (
        f"Mark yourself Interested and I'll ping you {reminder_minutes} minutes before it starts."
        if reminder_minutes
        else "Mark yourself Interested to see it in your event list."
    )
    text = (
        f"Trivia in the channel, answered by reacting with a letter: {night_text(choices, options)}. "
        f"Scheduled by {discord.utils.escape_markdown(host_name)}. {reminder}"
    )
    return text[:EVENT_DESCRIPTION_LIMIT]


def scheduled_reply(schedule: ScheduleRecord, options: GameOptions, event: discord.ScheduledEvent | None, event_problem: str) -> str:
    """The answer to `/trivia-schedule add`: when, where, what, and the event (or why there is none)."""
    choices = NightChoices.from_json(schedule.choices)
    lines = [
        f"📅 {title_text(schedule.title)} is scheduled for {when_text(at_of(schedule.next_at))} in <#{schedule.channel_id}>, "
        f"{REPEAT_LABELS.get(schedule.repeat, schedule.repeat)} (schedule #{schedule.id}).",
        f"The night: {night_text(choices, options)}.",
    ]
    if event is not None:
        lines.append(f"Members can mark themselves interested in the event: {event.url}")
    else:
        lines.append(f"⚠️ {event_problem} The night still starts on time.")
    return "\n".join(lines)


def schedules_embed(schedules: list[tuple[ScheduleRecord, GameOptions]]) -> discord.Embed:
    embed = discord.Embed(title="📅 Scheduled trivia nights", colour=QUESTION_COLOUR)
    if not schedules:
        embed.description = "Nothing is scheduled. Add a night with `/trivia-schedule add`."
        return embed
    rows = []
    for schedule, options in schedules:
        choices = NightChoices.from_json(schedule.choices)
        status = "playing now" if schedule.game_id is not None else when_text(at_of(schedule.next_at))
        rows.append(
            f"**#{schedule.id}** · {title_text(schedule.title)} · {status}\n"
            f"{REPEAT_LABELS.get(schedule.repeat, schedule.repeat)} · <#{schedule.channel_id}> · {night_text(choices, options)}"
        )
    embed.description = "\n\n".join(rows)
    return embed


def schedule_choice_name(schedule: ScheduleRecord) -> str:
    """How `/trivia-schedule cancel` offers a schedule (plain text, at most 100 characters)."""
    at = at_of(schedule.next_at).strftime("%Y-%m-%d %H:%M UTC")
    return f"#{schedule.id} {schedule.title} · {at} · {REPEAT_LABELS.get(schedule.repeat, schedule.repeat)}"[:100]


def reminder_messages(title: str, at: datetime, user_ids: Iterable[int]) -> list[str]:
    """The reminder, and the interested members' mentions spread over as many messages as they need."""
    head = f"⏰ {title_text(title)} starts {when_text(at)} here. Get ready!"
    messages: list[str] = []
    current, separator = head, "\n"
    for mention in (f"<@{user_id}>" for user_id in user_ids):
        if len(current) + len(separator) + len(mention) > MESSAGE_LIMIT:
            messages.append(current)
            current = mention
        else:
            current += separator + mention
        separator = " "
    return [*messages, current]


def starting_text(title: str, host_name: str) -> str:
    host = discord.utils.escape_markdown(host_name)
    return f"📅 It's time for {title_text(title)}, scheduled by {host}!"


def missed_text(title: str, at: datetime, why: str, next_at: datetime | None) -> str:
    after = f" The next one is {when_text(next_at)}." if next_at is not None else ""
    return f"😕 {title_text(title)}, planned for {when_text(at)}, was missed: {why}.{after}"


def not_started_text(title: str, reason: str, next_at: datetime | None) -> str:
    after = f" The next one is {when_text(next_at)}." if next_at is not None else ""
    return f"⚠️ {title_text(title)} could not start: {reason}{after}"
