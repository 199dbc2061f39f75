"""The Discord Scheduled Event of each upcoming night: created, read, moved through its statuses.

Every call here is best effort: without Manage Events, or when Discord refuses, a night still runs
without its event, and the reason is logged (and, when a member asked, told).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import discord

log = logging.getLogger(__name__)

NO_MANAGE_EVENTS = "I couldn't create a Discord event for it: I need the Manage Events permission."
EVENT_REFUSED = "I couldn't create a Discord event for it: Discord refused the request."


@dataclass(frozen=True, slots=True)
class EventPlan:
    title: str
    start: datetime
    end: datetime
    location: str
    description: str


async def create_event(guild: discord.Guild, plan: EventPlan) -> tuple[discord.ScheduledEvent | None, str]:
    """The event, or None and the reason there is none, in words for the member."""
    try:
        event = await guild.create_scheduled_event(
            name=plan.title,
            start_time=plan.start,
            end_time=plan.end,
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location=plan.location,
            description=plan.description,
        )
    except discord.Forbidden:
        log.info("no Manage Events in guild %s: the night at %s has no event", guild.id, plan.start)
        return None, NO_MANAGE_EVENTS
    except discord.HTTPException as exc:
        log.warning("could not create the event of the night at %s in guild %s: %s", plan.start, guild.id, exc)
        return None, EVENT_REFUSED
    return event, ""


async def fetch_event(guild: discord.Guild, event_id: int | None) -> discord.ScheduledEvent | None:
    """The event as Discord has it now; None if there is none or it was deleted."""
    if event_id is None:
        return None
    try:
        return await guild.fetch_scheduled_event(event_id)
    except discord.NotFound:
        return None
    except discord.HTTPException as exc:
        log.warning("could not read event %s in guild %s: %s", event_id, guild.id, exc)
        return guild.get_scheduled_event(event_id)


async def event_called_off(guild: discord.Guild, event_id: int | None) -> bool:
    """True if the night had an event and it was cancelled or deleted (in Discord's interface)."""
    if event_id is None:
        return False
    event = await fetch_event(guild, event_id)
    return event is None or event.status is discord.EventStatus.cancelled


# (the event's status now, the status asked for) -> the status to set; other pairs are left alone
# (Discord moves events by the clock too, so an event may already be past the asked status).
TRANSITIONS = {
    (discord.EventStatus.scheduled, discord.EventStatus.active): discord.EventStatus.active,
    (discord.EventStatus.active, discord.EventStatus.completed): discord.EventStatus.completed,
    (discord.EventStatus.scheduled, discord.EventStatus.cancelled): discord.EventStatus.cancelled,
    (discord.EventStatus.active, discord.EventStatus.cancelled): discord.EventStatus.completed,  # an active event can only end
}


async def move_event(guild: discord.Guild, event_id: int | None, to: discord.EventStatus) -> None:
    """Mark the event active (the night started), completed (it ended) or cancelled (it was missed)."""
    event = await fetch_event(guild, event_id)
    status = TRANSITIONS.get((event.status, to)) if event is not None else None
    if event is None or status is None:
        return
    try:
        await event.edit(status=status)
    except discord.HTTPException as exc:
        log.warning("could not mark event %s in guild %s %s: %s", event.id, guild.id, status.name, exc)


async def delete_event(guild: discord.Guild, event_id: int | None) -> None:
    event = await fetch_event(guild, event_id)
    if event is None:
        return
    try:
        await event.delete()
    except discord.NotFound:
        pass  # deleted meanwhile
    except discord.HTTPException as exc:
        log.warning("could not delete event %s in guild %s: %s", event.id, guild.id, exc)


async def interested_ids(guild: discord.Guild, event_id: int | None) -> list[int]:
    """The members who marked themselves interested in the event (none without one)."""
    event = await fetch_event(guild, event_id)
    if event is None:
        return []
    try:
        return [user.id async for user in event.users() if not user.bot]
    except discord.HTTPException as exc:
        log.warning("could not read who is interested in event %s in guild %s: %s", event_id, guild.id, exc)
        return []
