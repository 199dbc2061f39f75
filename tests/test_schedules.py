"""Scheduled trivia nights on SimCord: Discord events, reminders, starting by themselves, repeats.

SimCord's clock starts at 2026-01-01 00:00 UTC. Its scheduled events move from scheduled to active at
their start time and from active to completed at their end time by themselves, as Discord's do; the
bot marks them too (active when the night starts, completed when it ends, before the end time).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.ui.checks import manage_events_refusal
from tests.fixtures import Server, make_server
from tests.helpers import move_saved_schedules_into_the_past, requests, saved

START = datetime(2026, 1, 1, tzinfo=UTC)  # SimCord's virtual clock at the start of every test
SCHEDULED, ACTIVE, COMPLETED, CANCELLED = 1, 2, 3, 4
REFUSAL = manage_events_refusal("schedule trivia nights")


# ----------------------------------------------------------------------------- helpers
def events(s: Server) -> list:
    """The server's scheduled events as Discord holds them, oldest first."""
    return sorted(s.env.backend.get_guild(s.guild.id).scheduled_events.values(), key=lambda e: e.id)


def starts_of(s: Server) -> list[str]:
    return [e.scheduled_start_time for e in events(s)]


def organiser(s: Server):
    """A member who may manage the server's events (and so schedule nights), not the server."""
    team = s.guild.create_role("Event team", permissions=discord.Permissions(manage_events=True))
    return s.guild.add_member(s.env.create_user("olga"), roles=[team])


def texts(s: Server, channel=None) -> list[str]:
    """What the channel shows, oldest first: each message's content or its embed's title."""
    return [m.content or (m.embeds[0].title if m.embeds else "") for m in (channel or s.channel).history()]


def questions_posted(s: Server) -> list[discord.Message]:
    """The first question of each game (a one-question game's is titled "Trivia")."""
    return [m for m in s.channel.history() if m.embeds and m.embeds[0].title in ("Trivia", "Question 1 of 2")]


def posts(s: Server) -> list:
    return requests(s.env, "POST", rf"/channels/{s.channel.id}/messages$")


async def schedule(member, where, **options):
    result = await member.slash(where, "trivia-schedule add", **options)
    assert result.ephemeral
    return result.response.content


def without_manage_events(s: Server) -> None:
    """Take Manage Events away from the bot's role (it keeps everything else)."""
    role = next(r for r in s.env.backend.get_guild(s.guild.id).roles.values() if r.managed)
    permissions = discord.Permissions(role.permissions)
    permissions.manage_events = False
    s.env.backend.edit_role(s.guild.id, role.id, {"permissions": permissions.value})


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env)


# ----------------------------------------------------------------------------- a night from start to end
async def test_a_night_in_10_minutes_gets_an_event_starts_by_itself_and_completes_it(server, settings):
    s = server
    olga = organiser(s)
    reply = await schedule(olga, s.channel, when="in 10m", questions=2, seconds=20)

    [event] = events(s)
    start = int((START + timedelta(minutes=10)).timestamp())
    assert f"<t:{start}:F>" in reply and f"<t:{start}:R>" in reply  # the time as a Discord timestamp
    assert f"https://discord.com/events/{s.guild.id}/{event.id}" in reply  # and the event's link
    assert event.name == "Trivia Night" and event.entity_type == 3  # an external event
    assert event.entity_metadata == {"location": "#trivia"}
    assert event.scheduled_start_time == "2026-01-01T00:10:00+00:00"
    assert event.scheduled_end_time == "2026-01-01T00:16:00+00:00"  # 2 × 20 s + a 5 s break, + 5 min slack
    assert "2 questions · 20 s to answer" in event.description and "olga" in event.description
    assert event.status == SCHEDULED
    assert texts(s) == []  # scheduling posts nothing in the channel

    await s.env.advance_time(599)
    assert texts(s) == []
    await s.env.advance_time(1)
    assert texts(s) == ["📅 It's time for **Trivia Night**, scheduled by olga!", "🎉 Trivia night starts now!", "Question 1 of 2"]
    assert events(s)[0].status == ACTIVE
    [game] = (await saved(settings, s.guild.id)).games
    assert game.host_id == olga.id and game.questions_planned == 2

    await s.env.advance_time(60)  # both questions, the break, the final standings
    assert texts(s)[-1] == "🏁 Final standings"
    [event] = events(s)
    assert event.status == COMPLETED  # marked by the bot: its end time (00:16) is still ahead
    assert (await saved(settings, s.guild.id)).games[0].ended_at is not None
    listed = await olga.slash(s.channel, "trivia-schedule list")
    assert "Nothing is scheduled" in listed.response.embeds[0].description  # a one-off night is done


async def test_the_list_shows_each_schedule_with_its_id_time_repeat_channel_and_options(server):
    s = server
    olga = organiser(s)
    games = s.guild.create_text_channel("games")
    await schedule(olga, s.channel, when="in 2h", repeat="weekly", title="Friday *Quiz*")
    await schedule(olga, s.channel, when="in 1h", channel=games, questions=5, category="space", difficulty="easy")

    listed = await olga.slash(s.channel, "trivia-schedule list")
    assert listed.ephemeral
    first, second = listed.response.embeds[0].description.split("\n\n")
    in_1h, in_2h = (int((START + timedelta(hours=h)).timestamp()) for h in (1, 2))
    assert first == (f"**#2** · **Trivia Night** · <t:{in_1h}:F> (<t:{in_1h}:R>)\n"
                     f"once · <#{games.id}> · 5 questions · 20 s to answer · Space · easy")
    assert second == (f"**#1** · **Friday \\*Quiz\\*** · <t:{in_2h}:F> (<t:{in_2h}:R>)\n"
                      f"every week · <#{s.channel.id}> · 1 question · 20 s to answer · any category")


# ----------------------------------------------------------------------------- reminders
async def test_the_reminder_pings_the_interested_members_and_nobody_else(server):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="in 1h", questions=1)
    [event] = events(s)
    await s.alice.subscribe_event(event)
    await s.bob.subscribe_event(event)  # carol is not interested

    await s.env.advance_time(45 * 60 - 1)
    assert texts(s) == []
    await s.env.advance_time(1)  # 15 minutes before (the default)
    [reminder] = list(s.channel.history())
    start = int((START + timedelta(hours=1)).timestamp())
    assert reminder.content.startswith(f"⏰ **Trivia Night** starts <t:{start}:F> (<t:{start}:R>) here.")
    mentioned = set(re.findall(r"<@(\d+)>", reminder.content))
    assert mentioned == {str(s.alice.id), str(s.bob.id)}
    [sent] = posts(s)
    assert sorted(int(u) for u in sent.json["allowed_mentions"]["users"]) == sorted([s.alice.id, s.bob.id])
    assert sent.json["allowed_mentions"]["parse"] == []

    await s.env.advance_time(15 * 60)
    assert texts(s)[1] == "📅 It's time for **Trivia Night**, scheduled by olga!"
    for later in posts(s)[1:]:  # every other message pings nobody
        assert later.json["allowed_mentions"]["parse"] == [] and not later.json["allowed_mentions"].get("users")


async def test_the_reminder_time_is_a_server_setting_and_0_turns_it_off(server):
    s = server
    olga = organiser(s)
    await s.mod.slash(s.channel, "trivia-settings", schedule_reminder_minutes=5)
    await schedule(olga, s.channel, when="in 30m")
    await s.env.advance_time(25 * 60 - 1)
    assert texts(s) == []
    await s.env.advance_time(1)
    assert texts(s)[0].startswith("⏰ **Trivia Night** starts")

    await s.mod.slash(s.channel, "trivia-settings", schedule_reminder_minutes=0)
    await schedule(olga, s.channel, when="in 2h")
    await s.env.advance_time(2 * 60 * 60 - 25 * 60 - 1)
    assert [t for t in texts(s) if t.startswith("⏰")] == [texts(s)[0]]  # no reminder for the second night


# ----------------------------------------------------------------------------- restarts and downtime
async def test_a_restart_between_scheduling_and_the_start_changes_nothing(server, settings, make_bot):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="in 10m", questions=2)
    await s.env.advance_time(60)
    await s.env.restart_bot(make_bot(settings))
    await s.env.advance_time(9 * 60)
    assert texts(s)[-1] == "Question 1 of 2"
    assert events(s)[0].status == ACTIVE


async def test_a_night_missed_by_a_few_minutes_starts_when_the_bot_is_back(server, settings, make_bot):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="2026-01-01 23:55", questions=2)
    move_saved_schedules_into_the_past(settings, 24 * 3600)  # due at 23:55 yesterday: the bot was down until 00:00

    await s.env.restart_bot(make_bot(settings))
    assert texts(s)[-3:] == ["📅 It's time for **Trivia Night**, scheduled by olga!", "🎉 Trivia night starts now!", "Question 1 of 2"]
    assert not [t for t in texts(s) if t.startswith("⏰")]  # too late for the reminder: none is sent
    assert events(s)[0].status == ACTIVE


async def test_a_night_missed_by_more_than_10_minutes_is_reported_and_its_repeat_goes_on(server, settings, make_bot):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="2026-01-01 23:49", repeat="daily")
    move_saved_schedules_into_the_past(settings, 24 * 3600)  # due at 23:49 yesterday: 11 minutes ago

    await s.env.restart_bot(make_bot(settings))
    [notice] = texts(s)
    missed = int((START - timedelta(minutes=11)).timestamp())
    following = int((START + timedelta(days=1) - timedelta(minutes=11)).timestamp())
    assert notice == (f"😕 **Trivia Night**, planned for <t:{missed}:F> (<t:{missed}:R>), was missed: I was offline at its "
                      f"start time. The next one is <t:{following}:F> (<t:{following}:R>).")
    assert not questions_posted(s)
    old, new = events(s)
    assert old.status == CANCELLED
    assert new.status == SCHEDULED and new.scheduled_start_time == "2026-01-01T23:49:00+00:00"


# ----------------------------------------------------------------------------- repeats
async def test_weekly_nights_keep_their_local_time_across_the_change_to_summer_time(server):
    s = server
    olga = organiser(s)
    await s.mod.slash(s.channel, "trivia-settings", timezone="Europe/Berlin", schedule_reminder_minutes=0)
    reply = await schedule(olga, s.channel, when="2026-03-20 20:00", repeat="weekly", questions=1)
    assert "every week" in reply
    first = datetime(2026, 3, 20, 19, 0, tzinfo=UTC)  # 20:00 CET
    assert starts_of(s) == ["2026-03-20T19:00:00+00:00"]

    await s.env.advance_time((first - START).total_seconds())
    assert len(questions_posted(s)) == 1
    await s.env.advance_time(60)  # the night ends; the next one is created
    assert starts_of(s)[-1] == "2026-03-27T19:00:00+00:00"
    assert [e.status for e in events(s)] == [COMPLETED, SCHEDULED]

    await s.env.advance_time(7 * 24 * 3600 - 60)
    assert len(questions_posted(s)) == 2
    await s.env.advance_time(60)
    # Berlin moves to summer time on Sunday 29 March: 20:00 CEST is 18:00 UTC.
    assert starts_of(s)[-1] == "2026-04-03T18:00:00+00:00"
    await s.env.advance_time(7 * 24 * 3600 - 3600 - 61)
    assert len(questions_posted(s)) == 2  # not at 19:00 UTC any more
    await s.env.advance_time(1)
    night = questions_posted(s)[-1]
    assert night.created_at == datetime(2026, 4, 3, 18, 0, tzinfo=UTC)
    await s.env.advance_time(60)
    assert starts_of(s)[-1] == "2026-04-10T18:00:00+00:00"
    assert [e.status for e in events(s)] == [COMPLETED, COMPLETED, COMPLETED, SCHEDULED]


# ----------------------------------------------------------------------------- calling nights off
async def test_cancel_removes_the_schedule_and_its_event(server):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="in 1h", repeat="daily")
    await schedule(olga, s.channel, when="in 2h", title="Late night")
    offered = await olga.autocomplete(s.channel, "trivia-schedule cancel", "id", "late")
    assert [c["name"] for c in offered] == ["#2 Late night · 2026-01-01 02:00 UTC · once"]

    result = await olga.slash(s.channel, "trivia-schedule cancel", id=offered[0]["value"])
    assert result.ephemeral
    assert result.response.content == "Cancelled #2 Late night · 2026-01-01 02:00 UTC · once; its Discord event was removed."
    assert [e.name for e in events(s)] == ["Trivia Night"]
    again = await olga.slash(s.channel, "trivia-schedule cancel", id=2)
    assert again.response.content == "There is no scheduled night #2 on this server. See /trivia-schedule list."

    await olga.slash(s.channel, "trivia-schedule cancel", id=1)
    assert events(s) == []
    await s.env.advance_time(3 * 3600)
    assert texts(s) == []  # no reminder, no night


async def test_a_schedule_of_another_server_cannot_be_cancelled(server):
    s = server
    other = make_server(s.env, "Other Club")
    await schedule(organiser(other), other.channel, when="in 1h")
    refused = await organiser(s).slash(s.channel, "trivia-schedule cancel", id=1)
    assert refused.response.content == "There is no scheduled night #1 on this server. See /trivia-schedule list."
    assert len(events(other)) == 1


@pytest.mark.parametrize("how", ["deleted", "cancelled"])
async def test_an_event_called_off_in_discord_skips_that_night_and_the_repeat_goes_on(server, how):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="in 1h", repeat="daily")
    [event] = events(s)
    if how == "deleted":
        s.env.backend.delete_scheduled_event(s.guild.id, event.id)
    else:
        s.env.backend.edit_scheduled_event(s.guild.id, event.id, {"status": CANCELLED})
    await s.env.advance_time(0)  # the gateway event reaches the bot

    tomorrow = [e for e in events(s) if e.status == SCHEDULED]
    assert [e.scheduled_start_time for e in tomorrow] == ["2026-01-02T01:00:00+00:00"]
    await s.env.advance_time(2 * 3600)
    assert texts(s) == []  # no reminder, no night
    await s.env.advance_time(24 * 3600)
    assert len(questions_posted(s)) == 1  # the next day's night runs


async def test_an_event_called_off_while_the_bot_was_away_is_checked_at_the_start(server, settings, make_bot):
    s = server
    olga = organiser(s)
    await schedule(olga, s.channel, when="in 1h", repeat="weekly")
    await s.env.advance_time(50 * 60)
    await s.env.restart_bot(make_bot(settings))
    bot = s.env.bot
    bot.remove_listener(bot.cogs["Schedules"].on_scheduled_event_update, "on_scheduled_event_update")  # the update is lost
    [event] = events(s)
    s.env.backend.edit_scheduled_event(s.guild.id, event.id, {"status": CANCELLED})
    await s.env.advance_time(10 * 60)
    assert not questions_posted(s)
    assert starts_of(s)[-1] == "2026-01-08T01:00:00+00:00"


# ----------------------------------------------------------------------------- a game already running
async def test_the_night_waits_for_a_running_game_then_starts(server):
    s = server
    olga = organiser(s)
    await s.alice.slash(s.channel, "trivia", questions=2, seconds=60)
    await schedule(olga, s.channel, when="in 1m", questions=1)
    await s.env.advance_time(61)
    assert not [t for t in texts(s) if t.startswith("📅")]  # alice's game is still on
    await s.env.advance_time(80)  # her second question is revealed: her game ends
    assert texts(s)[-3:-1] == ["🏁 Final standings", "📅 It's time for **Trivia Night**, scheduled by olga!"]
    assert texts(s)[-1] == "Trivia"  # a one-question game's question


async def test_after_10_minutes_of_waiting_the_night_is_missed(server):
    s = server
    olga = organiser(s)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=60, auto_stop=20)
    await s.alice.slash(s.channel, "trivia", questions=20, seconds=120)  # a long game: about an hour
    await s.env.advance_time(30)
    await schedule(olga, s.channel, when="in 1m")  # at 00:01, on the whole minute
    await s.env.advance_time(30 + 10 * 60 - 1)
    assert not [t for t in texts(s) if t.startswith("😕")]
    await s.env.advance_time(1)
    [notice] = [t for t in texts(s) if t.startswith("😕")]
    assert notice.endswith("was missed: another game was still running here after 10 minutes.")
    assert events(s)[0].status == COMPLETED  # Discord had made it active at its start time; it is ended


# ----------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"when": "soon"}, "I can't read that time. Write it like `2026-05-01 20:00` (in the server's time zone) or "
                           "`in 30m`, `in 2h`, `in 1d`."),
        ({"when": "2025-12-31 20:00"}, "That time has already passed. Pick a time in the future."),
        ({"when": "in 400d"}, "That is more than a year ahead. Schedule nights at most a year in advance."),
        ({"when": "2027-06-01 20:00"}, "That is more than a year ahead. Schedule nights at most a year in advance."),
        ({"when": "in 1h", "category": "Cooking"}, "There is no category called “Cooking”. Pick one from the list: "
                                                   "Current Events, Space."),
        ({"when": "in 1h", "difficulty": "hard"}, "There are no hard questions loaded. Try another category or difficulty."),
    ],
)
async def test_bad_times_and_options_are_refused_privately(server, options, message):
    s = server
    olga = organiser(s)
    refused = await olga.slash(s.channel, "trivia-schedule add", **options)
    assert refused.ephemeral and refused.response.content == message
    assert events(s) == [] and texts(s) == []


async def test_a_26th_schedule_is_refused(server):
    s = server
    olga = organiser(s)
    for hour in range(1, 26):
        await schedule(olga, s.channel, when=f"in {hour}h")
    refused = await olga.slash(s.channel, "trivia-schedule add", when="in 30h")
    assert refused.ephemeral
    assert refused.response.content == ("This server already has 25 scheduled nights, the most it can have. "
                                        "Cancel one with /trivia-schedule cancel first.")
    assert len(events(s)) == 25


async def test_a_channel_the_bot_cannot_play_in_is_refused(server):
    s = server
    olga = organiser(s)
    quiet = s.guild.create_text_channel("quiet", overwrites={s.guild.me: discord.PermissionOverwrite(add_reactions=False)})
    refused = await olga.slash(s.channel, "trivia-schedule add", when="in 1h", channel=quiet)
    assert refused.ephemeral
    assert refused.response.content == (f"I can't run a game in <#{quiet.id}>: I'm missing the Add Reactions permission(s). "
                                        "Ask a moderator to grant them.")
    await s.mod.slash(s.channel, "trivia-settings", game_channels=s.channel.mention)
    games = s.guild.create_text_channel("games")
    elsewhere = await olga.slash(s.channel, "trivia-schedule add", when="in 1h", channel=games)
    assert elsewhere.response.content == f"Trivia games run only in <#{s.channel.id}> on this server."
    assert events(s) == []


@pytest.mark.parametrize("command", ["trivia-schedule add", "trivia-schedule list", "trivia-schedule cancel"])
async def test_members_without_manage_server_or_events_are_refused_privately(server, command):
    s = server
    options = {"trivia-schedule add": {"when": "in 1h"}, "trivia-schedule cancel": {"id": 1}}.get(command, {})
    assert command not in s.alice.available_commands(s.channel)  # hidden by default
    command_id = int(s.env.backend.find_command("trivia-schedule", s.guild.id)["id"])
    s.guild.set_command_permissions(command_id, {s.alice: True, s.mod: True})  # an admin shows it anyway
    refused = await s.alice.slash(s.channel, command, **options)
    assert refused.ephemeral and refused.response.content == REFUSAL
    allowed = await s.mod.slash(s.channel, command, **options)  # Manage Server is enough too
    assert allowed.response.content != REFUSAL


async def test_without_manage_events_the_night_still_runs_and_the_reply_says_so(server):
    s = server
    olga = organiser(s)
    without_manage_events(s)
    reply = await schedule(olga, s.channel, when="in 10m", questions=1)
    assert "⚠️ I couldn't create a Discord event for it: I need the Manage Events permission. The night still starts on time." in reply
    assert "discord.com/events" not in reply
    assert events(s) == []
    await s.env.advance_time(10 * 60)
    assert texts(s)[-1] == "Trivia"  # a one-question game's question
