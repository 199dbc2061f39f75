"""What members read about scheduled nights: replies, the list, events, reminders and notices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import discord

from bot.constants import QUESTION_COLOUR
from bot.game.options import GameOptions
from bot.game.schedule import NightChoices
from bot.storage.records import ScheduleRecord
from bot.ui.limits import CHOICE_NAME, CONTENT, EMBED_DESCRIPTION, EVENT_DESCRIPTION, EVENT_LOCATION, fit_lines, shorten
from bot.ui.markdown import escape

REPEAT_LABELS = {"none": "once", "daily": "every day", "weekly": "every week"}
SCHEDULES_PAGE_SIZE = 5  # nights per page of the list: five of the longest still fit one embed


def at_of(unix: float) -> datetime:
    return datetime.fromtimestamp(unix, UTC)


def when_text(at: datetime) -> str:
    """A Discord timestamp every member sees in their own time zone, with "in 2 hours"."""
    stamp = int(at.timestamp())
    return f"<t:{stamp}:F> (<t:{stamp}:R>)"


def title_text(title: str) -> str:
    return f"**{escape(title)}**"


def night_text(choices: NightChoices, options: GameOptions) -> str:
    """e.g. "2 questions · 20 s to answer · Space · easy"."""
    parts = [
        f"{options.questions} question{'s' if options.questions != 1 else ''}",
        f"{options.seconds} s to answer",
        escape(choices.category) if choices.category else "any category",
    ]
    if choices.difficulty:
        parts.append(choices.difficulty)
    return " · ".join(parts)


def event_location(channel_name: str) -> str:
    return shorten(f"#{channel_name}", EVENT_LOCATION)


def event_description(choices: NightChoices, options: GameOptions, host_name: str, reminder_minutes: int) -> str:
    reminder = (
        f"Mark yourself Interested and I'll ping you {reminder_minutes} minutes before it starts."
        if reminder_minutes
        else "Mark yourself Interested to see it in your event list."
    )
    text = (
        f"Trivia in the channel, answered by reacting with a letter: {night_text(choices, options)}. "
        f"Scheduled by {escape(host_name)}. {reminder}"
    )
    return shorten(text, EVENT_DESCRIPTION)


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


def schedules_embed(schedules: list[tuple[ScheduleRecord, GameOptions]], page: int = 1, pages: int = 1) -> discord.Embed:
    """One page of the scheduled nights."""
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
    embed.description = fit_lines(rows, EMBED_DESCRIPTION, "\n\n")
    if pages > 1:
        embed.set_footer(text=f"Page {page} of {pages}")
    return embed


def schedule_choice_name(schedule: ScheduleRecord, shown: Callable[[str], str] = str) -> str:
    """How `/trivia-schedule cancel` offers a schedule: plain text, short enough for a choice's name
    (``shown`` is applied to the shortened title, e.g. :func:`escape` for a message)."""
    at = at_of(schedule.next_at).strftime("%Y-%m-%d %H:%M UTC")
    repeat = REPEAT_LABELS.get(schedule.repeat, schedule.repeat)
    head, tail = f"#{schedule.id} ", f" · {at} · {repeat}"
    return head + shown(shorten(schedule.title, CHOICE_NAME - len(head) - len(tail))) + tail


def reminder_messages(title: str, at: datetime, user_ids: Iterable[int]) -> list[str]:
    """The reminder, and the interested members' mentions spread over as many messages as they need."""
    head = f"⏰ {title_text(title)} starts {when_text(at)} here. Get ready!"
    messages: list[str] = []
    current, separator = head, "\n"
    for mention in (f"<@{user_id}>" for user_id in user_ids):
        if len(current) + len(separator) + len(mention) > CONTENT:
            messages.append(current)
            current = mention
        else:
            current += separator + mention
        separator = " "
    return [*messages, current]


def starting_text(title: str, host_name: str) -> str:
    host = escape(host_name)
    return f"📅 It's time for {title_text(title)}, scheduled by {host}!"


def missed_text(title: str, at: datetime, why: str, next_at: datetime | None) -> str:
    after = f" The next one is {when_text(next_at)}." if next_at is not None else ""
    return f"😕 {title_text(title)}, planned for {when_text(at)}, was missed: {why}.{after}"


def not_started_text(title: str, reason: str, next_at: datetime | None) -> str:
    after = f" The next one is {when_text(next_at)}." if next_at is not None else ""
    return f"⚠️ {title_text(title)} could not start: {reason}{after}"
