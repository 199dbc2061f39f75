"""SimCord behaviour tests for `/trivia-settings` and the effect of every server setting on games.

SimCord lets bot timers with less than its settle window (5 s by default) left fire in real time
while an actor acts, so games here use answer times and breaks of at least 10 s whenever a member
acts during the wait, and time only moves with `env.advance_time`.
"""

from __future__ import annotations

import discord
import pytest

from bot.game.scoring import BASE_POINTS
from bot.session.game import ANSWERED_EDIT_INTERVAL
from tests.fixtures import Server, make_server
from tests.helpers import choice_letters, deadline_of, letter_of, requests, saved, shown, wrong_letters

DEEPSEEK = "$6 million"  # the right answer of the test pack's Current Events question (medium)
MERCURY = "Mercury"  # the right answer of its Space question (easy)
ANSWERS = {DEEPSEEK, MERCURY}

DEFAULTS = {
    "Answer time": "20 s",
    "Questions per game": "1",
    "Break between questions": "5 s",
    "Categories": "all",
    "Who may start games": "everyone",
    "Game channels": "all",
    "Answer mode": "latest pick counts",
    "Secret answers": "off",
    "Speed bonus": "on",
    "Auto-stop after unanswered questions": "3",
    "Time zone": "UTC",
    "Schedule reminder": "15 min before",
}


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env, "Quiz Club", bot_manages_messages=True)  # for secret answers


# ----------------------------------------------------------------------------- helpers
def fields(embed: discord.Embed) -> dict[str, str]:
    return {f.name: f.value for f in embed.fields}


def setting_values(embed: discord.Embed) -> dict[str, str]:
    """Each setting's value: the bold start of its field (the rest names its option and range)."""
    values = {}
    for f in embed.fields:
        value, _ = f.value.split(" · `", 1)
        assert value.startswith("**") and value.endswith("**")
        values[f.name] = value[2:-2]
    return values


def field(message: discord.Message, name: str) -> str:
    return fields(message.embeds[0])[name]


def right_letter(question: discord.Message) -> str:
    return next(letter for text, letter in choice_letters(question).items() if text in ANSWERS)


def wrong_letter(question: discord.Message) -> str:
    return next(letter for text, letter in choice_letters(question).items() if text not in ANSWERS)


async def configure(s: Server, **options) -> dict[str, str]:
    """Change settings as the moderator; returns the settings embed's fields."""
    result = await s.mod.slash(s.channel, "trivia-settings", **options)
    assert result.ephemeral
    assert result.response.content == "Settings updated."
    assert result.response.embeds[0].title == "⚙️ Trivia settings"
    return setting_values(result.response.embeds[0])


async def current(s: Server) -> dict[str, str]:
    result = await s.mod.slash(s.channel, "trivia-settings")
    assert result.ephemeral
    assert result.response.content == "Current settings. Pass options to change them."
    return setting_values(result.response.embeds[0])


def public_history(s: Server, channel) -> list[discord.Message]:
    """What a bystander sees in the channel (ephemeral replies to others are hidden)."""
    return channel.history(viewer=s.carol)


def now(s: Server) -> int:
    return int(s.env.now().timestamp())


# ----------------------------------------------------------------------------- the command
async def test_settings_are_for_manage_server_only(server):
    s = server
    # Discord hides the command from members without Manage Server (its default permissions)...
    assert "trivia-settings" not in s.alice.available_commands(s.channel)
    assert "trivia-settings" in s.mod.available_commands(s.channel)
    # ...but an admin may override that in the server's Integrations page; the bot still refuses.
    command_id = int(s.env.backend.find_command("trivia-settings", s.guild.id)["id"])
    s.guild.set_command_permissions(command_id, {s.alice: True})
    assert "trivia-settings" in s.alice.available_commands(s.channel)

    refused = await s.alice.slash(s.channel, "trivia-settings", answer_seconds=60)
    assert refused.ephemeral
    assert refused.response.content == "Only members with Manage Server can change trivia settings."
    assert refused.response.embeds == []
    viewing = await s.alice.slash(s.channel, "trivia-settings")  # not even a look
    assert viewing.ephemeral and "Manage Server" in viewing.response.content
    assert viewing.response.embeds == []
    assert await current(s) == DEFAULTS


async def test_no_options_shows_the_current_settings(server):
    s = server
    result = await s.mod.slash(s.channel, "trivia-settings")
    assert result.ephemeral
    assert result.response.embeds[0].title == "⚙️ Trivia settings"
    assert setting_values(result.response.embeds[0]) == DEFAULTS
    assert public_history(s, s.channel) == []  # nothing public


async def test_options_change_the_settings_and_they_persist_across_a_restart(server, settings, make_bot):
    s = server
    quizmasters = s.guild.create_role("Quizmasters")
    games = s.guild.create_text_channel("games")
    expected = {
        "Answer time": "45 s",
        "Questions per game": "7",
        "Break between questions": "12 s",
        "Categories": "Space, Current Events",
        "Who may start games": quizmasters.mention,
        "Game channels": f"{s.channel.mention} {games.mention}",
        "Answer mode": "first pick locks",
        "Secret answers": "on",
        "Speed bonus": "off",
        "Auto-stop after unanswered questions": "5",
        "Time zone": "Europe/Berlin",
        "Schedule reminder": "30 min before",
    }
    shown = await configure(
        s,
        answer_seconds=45,
        questions_per_game=7,
        break_seconds=12,
        categories="space, CURRENT EVENTS",  # matched without regard to case, stored as the packs spell it
        starter_role=quizmasters,
        game_channels=f"{s.channel.mention} and {games.mention}",
        answer_mode="first",
        secret_answers=True,
        speed_bonus=False,
        auto_stop=5,
        timezone=" europe/BERLIN ",  # matched without regard to case, stored as the time zone database spells it
        schedule_reminder_minutes=30,
    )
    assert shown == expected
    assert await current(s) == expected

    # One option at a time leaves the others alone.
    expected["Break between questions"] = "0 s"
    assert await configure(s, break_seconds=0) == expected
    expected["Schedule reminder"] = "off"
    assert await configure(s, schedule_reminder_minutes=0) == expected

    await s.env.restart_bot(make_bot(settings))
    assert await current(s) == expected


async def test_each_setting_names_the_option_to_type_and_what_it_takes(server):
    s = server
    result = await s.mod.slash(s.channel, "trivia-settings")
    shown = {f.name: f.value.split(" · ", 1)[1] for f in result.response.embeds[0].fields}
    assert shown == {
        "Answer time": "`answer_seconds` (5–120 seconds)",
        "Questions per game": "`questions_per_game` (1–50)",
        "Break between questions": "`break_seconds` (0–60 seconds)",
        "Categories": "`categories` (names, comma-separated, or all)",
        "Who may start games": "`starter_role` (a role, or @everyone)",
        "Game channels": "`game_channels` (#channels, or all)",
        "Answer mode": "`answer_mode` (latest or first)",
        "Secret answers": "`secret_answers` (True or False)",
        "Speed bonus": "`speed_bonus` (True or False)",
        "Auto-stop after unanswered questions": "`auto_stop` (1–20)",
        "Time zone": "`timezone` (an IANA name, e.g. Europe/Berlin)",
        "Schedule reminder": "`schedule_reminder_minutes` (0–1440 minutes, 0 for off)",
    }


async def test_settings_are_per_server(server):
    s = server
    await configure(s, answer_seconds=60)
    other = make_server(s.env, "Other Club")
    result = await other.mod.slash(other.channel, "trivia-settings")
    assert setting_values(result.response.embeds[0]) == DEFAULTS


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("answer_seconds", 3, "answer seconds must be between 5 and 120, not 3"),
        ("answer_seconds", 500, "answer seconds must be between 5 and 120, not 500"),
        ("questions_per_game", 0, "questions per game must be between 1 and 50, not 0"),
        ("questions_per_game", 51, "questions per game must be between 1 and 50, not 51"),
        ("break_seconds", 61, "break seconds must be between 0 and 60, not 61"),
        ("auto_stop", 0, "auto stop must be between 1 and 20, not 0"),
        ("schedule_reminder_minutes", -1, "schedule reminder minutes must be between 0 and 1440, not -1"),
        ("schedule_reminder_minutes", 1441, "schedule reminder minutes must be between 0 and 1440, not 1441"),
        ("timezone", "Mars/Olympus_Mons", "there is no time zone called “Mars/Olympus\\_Mons”; use a name such as "
                                          "Europe/Berlin or America/New_York"),
    ],
)
async def test_out_of_range_values_are_refused_and_change_nothing(server, option, value, message):
    s = server
    # A valid change sent along with the bad one is not applied either.
    refused = await s.mod.slash(s.channel, "trivia-settings", speed_bonus=False, **{option: value})
    assert refused.ephemeral
    assert refused.response.content == f"Not changed: {message}."
    assert refused.response.embeds == []
    assert await current(s) == DEFAULTS


async def test_time_zones_are_offered_as_typed(server):
    s = server
    offered = [c["value"] for c in await s.mod.autocomplete(s.channel, "trivia-settings", "timezone", "berl")]
    assert offered == ["Europe/Berlin"]
    assert len(await s.mod.autocomplete(s.channel, "trivia-settings", "timezone", "")) == 25


async def test_unknown_category_is_refused(server):
    s = server
    refused = await s.mod.slash(s.channel, "trivia-settings", categories="Space, Cooking", answer_seconds=30)
    assert refused.ephemeral
    content = refused.response.content
    assert content.startswith("Not changed: there is no category called “Cooking”")
    assert "known: Current Events, Space" in content
    blank = await s.mod.slash(s.channel, "trivia-settings", categories=" , ")
    assert blank.ephemeral and blank.response.content == "Not changed: name at least one category, or 'all'."
    assert await current(s) == DEFAULTS


async def test_game_channels_need_channel_mentions(server):
    s = server
    refused = await s.mod.slash(s.channel, "trivia-settings", game_channels="trivia")
    assert refused.ephemeral
    assert refused.response.content == "Not changed: mention the channels with # (for example #trivia), or write 'all'."
    assert await current(s) == DEFAULTS


# ----------------------------------------------------------------------------- effects on games
async def test_answer_seconds_sets_the_default_countdown(server):
    s = server
    await configure(s, answer_seconds=40)
    await s.alice.slash(s.channel, "trivia")
    question = s.channel.last_message
    assert deadline_of(question) - now(s) == 40
    await s.env.advance_time(39)
    assert s.channel.last_message.id == question.id  # still open at 39 s
    await s.env.advance_time(2)
    reveal = s.channel.last_message
    assert reveal.reference.message_id == question.id

    # /trivia's own `seconds` still wins over the server default.
    await s.alice.slash(s.channel, "trivia", seconds=15)
    assert deadline_of(s.channel.last_message) - now(s) == 15
    await s.env.advance_time(16)


async def test_questions_per_game_is_the_default_game_length(server, settings):
    s = server
    await configure(s, questions_per_game=2, answer_seconds=10)
    await s.alice.slash(s.channel, "trivia")
    assert s.channel.last_message.embeds[0].title == "Question 1 of 2"
    await s.env.advance_time(11)
    await s.env.advance_time(5)
    assert s.channel.last_message.embeds[0].title == "Question 2 of 2"
    await s.env.advance_time(11)
    final = s.channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    assert "2 questions" in final.footer.text

    # An explicit `questions` wins.
    await s.alice.slash(s.channel, "trivia", questions=1)
    assert s.channel.last_message.embeds[0].title == "Trivia"
    await s.env.advance_time(11)
    assert [g.questions_planned for g in (await saved(settings, s.guild.id)).games] == [2, 1]


async def test_break_seconds_sets_the_pause_between_questions(server):
    s = server
    await configure(s, break_seconds=20)
    await s.alice.slash(s.channel, "trivia", questions=2, seconds=10)
    first = s.channel.last_message
    await s.alice.react(first, right_letter(first))
    await s.env.advance_time(11)  # the reveal comes at 10 s
    reveal = s.channel.last_message
    assert reveal.reference.message_id == first.id
    await s.env.advance_time(18)  # 29 s: still in the 20-second break (the default would be 5 s)
    assert s.channel.last_message.id == reveal.id
    await s.env.advance_time(2)  # 31 s
    assert s.channel.last_message.embeds[0].title == "Question 2 of 2"
    await s.env.advance_time(11)
    assert s.channel.last_message.embeds[0].title == "🏁 Final standings"


async def test_categories_restrict_the_questions_drawn(server):
    s = server
    assert (await configure(s, categories="space"))["Categories"] == "Space"
    # Two games in a row: the bank prefers questions the server has not seen yet, so without the
    # setting the second game would ask the Current Events question.
    for _ in range(2):
        await s.alice.slash(s.channel, "trivia", seconds=10)
        question = s.channel.last_message
        assert question.embeds[0].footer.text.startswith("Space · ")
        assert MERCURY in choice_letters(question)
        await s.env.advance_time(11)

    refused = await s.alice.slash(s.channel, "trivia", category="Current Events")
    assert refused.ephemeral
    assert refused.response.content == "This server only plays these categories: Space."
    offered = await s.alice.autocomplete(s.channel, "trivia", "category", "")
    assert [c["name"] for c in offered] == ["Space"]

    await configure(s, categories="all")
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=10)
    assert s.channel.last_message.embeds[0].footer.text.startswith("Current Events · ")
    await s.env.advance_time(11)


async def test_starter_role_decides_who_may_start_games(server):
    s = server
    env, guild = s.env, s.guild
    quizmasters = guild.create_role("Quizmasters")
    dora = guild.add_member(env.create_user("dora"), roles=[quizmasters])
    annex = guild.create_text_channel("annex")
    assert (await configure(s, starter_role=quizmasters))["Who may start games"] == quizmasters.mention

    refused = await s.alice.slash(s.channel, "trivia")
    assert refused.ephemeral
    assert refused.response.content == f"Only members with the {quizmasters.mention} role can start trivia games here."
    assert public_history(s, s.channel) == []

    allowed = await dora.slash(s.channel, "trivia", seconds=10)
    assert not allowed.ephemeral
    assert allowed.response.embeds[0].title == "Trivia"
    by_mod = await s.mod.slash(annex, "trivia", seconds=10)  # Manage Server, without the role
    assert not by_mod.ephemeral
    assert by_mod.response.embeds[0].title == "Trivia"
    await env.advance_time(11)

    # Picking @everyone lets everybody start games again.
    assert (await configure(s, starter_role=guild.default_role))["Who may start games"] == "everyone"
    again = await s.alice.slash(s.channel, "trivia", seconds=10)
    assert not again.ephemeral
    await env.advance_time(11)


async def test_game_channels_limit_where_games_run(server):
    s = server
    games = s.guild.create_text_channel("games")
    assert (await configure(s, game_channels=games.mention))["Game channels"] == games.mention

    refused = await s.alice.slash(s.channel, "trivia")
    assert refused.ephemeral
    assert refused.response.content == f"Trivia games run only in {games.mention} on this server."
    assert public_history(s, s.channel) == []
    # Even a moderator is sent to the game channel.
    assert (await s.mod.slash(s.channel, "trivia")).ephemeral

    allowed = await s.alice.slash(games, "trivia", seconds=10)
    assert not allowed.ephemeral
    await s.env.advance_time(11)

    await configure(s, game_channels="all")
    assert not (await s.alice.slash(s.channel, "trivia", seconds=10)).ephemeral
    await s.env.advance_time(11)


async def test_answer_mode_first_locks_the_first_pick(server):
    s = server
    await configure(s, answer_mode="first")
    await s.mod.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    right, wrong = letter_of(question, DEEPSEEK), wrong_letters(question, DEEPSEEK)[0]
    await s.alice.react(question, right)
    await s.alice.react(question, wrong)  # ignored: alice is locked on her first pick
    await s.bob.react(question, wrong)
    await s.bob.react(question, right)  # ignored
    await s.bob.unreact(question, wrong)  # ignored too: removing a locked pick changes nothing
    await s.carol.react(question, right)
    await s.carol.unreact(question, right)  # still counts
    await s.env.advance_time(21)

    reveal = s.channel.last_message
    winners = field(reveal, "Got it right")
    assert shown(s.alice) in winners and shown(s.carol) in winners
    assert shown(s.bob) not in winners
    spread = {line.split()[0]: line for line in field(reveal, "Answers").splitlines()}
    assert " 2 (67%)" in spread[right] and " 1 (33%)" in spread[wrong]


async def test_without_speed_bonus_a_right_answer_scores_its_base_points(server, settings):
    s = server
    await configure(s, speed_bonus=False)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, DEEPSEEK))  # at once: the full bonus, if it were on
    await s.env.advance_time(21)
    base = BASE_POINTS["medium"]
    assert field(s.channel.last_message, "Got it right") == f"{shown(s.alice)} +{base}"
    answers = (await saved(settings, s.guild.id)).answers
    assert [(a.user_id, a.points, a.response_ms) for a in answers] == [(s.alice.id, base, 0)]
    stats = await s.alice.slash(s.channel, "trivia-stats")
    assert fields(stats.response.embeds[0])["Points"] == f"{base} (rank #1)"


async def test_auto_stop_ends_the_game_after_that_many_unanswered_questions(server):
    s = server
    await configure(s, auto_stop=2)
    await s.alice.slash(s.channel, "trivia", questions=5, seconds=10)
    first = s.channel.last_message
    await s.alice.react(first, right_letter(first))  # question 1 is answered: the count starts after it
    await s.env.advance_time(16)  # reveal at 10 s, question 2 at 15 s
    assert s.channel.last_message.embeds[0].title == "Question 2 of 5"
    await s.env.advance_time(16)  # reveal at 25 s, question 3 at 30 s
    assert s.channel.last_message.embeds[0].title == "Question 3 of 5"
    await s.env.advance_time(11)  # second unanswered question in a row: the game ends
    final = s.channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings"
    assert "nobody answered" in final.description
    assert "3 of 5 questions" in final.footer.text
    await s.env.advance_time(60)
    assert s.channel.last_message.embeds[0].title == "🏁 Final standings"


# ----------------------------------------------------------------------------- secret answers
# With SimCord's default 5-second settle window, the 2-second "N answered" throttle would run out in
# real time inside each reaction's settle. A 1-second window keeps it on the virtual clock, so several
# players can react inside one throttle window (as on a busy server) and only advance_time moves it.
VIRTUAL_THROTTLE = pytest.mark.simcord(settle_timeout=1.0)

def reaction_counts(channel, message_id: int) -> dict[str, int]:
    message = next(m for m in channel.history() if m.id == message_id)
    return {str(r.emoji): r.count for r in message.reactions}


def hidden(env, channel, message_id: int, member) -> int:
    """How many times the bot removed this member's reaction from the message."""
    return len(requests(env, "DELETE", rf"^/channels/{channel.id}/messages/{message_id}/reactions/[^/]+/{member.id}$"))


def edits(env, channel, message_id: int) -> int:
    return len(requests(env, "PATCH", rf"^/channels/{channel.id}/messages/{message_id}$"))


def answered_line(channel, message_id: int) -> str:
    message = next(m for m in channel.history() if m.id == message_id)
    return message.embeds[0].description.splitlines()[-1]


@VIRTUAL_THROTTLE
async def test_secret_answers_hide_each_pick_and_count_the_latest(server, settings):
    s = server
    env, channel = s.env, s.channel
    dave = s.guild.add_member(env.create_user("dave"))
    await configure(s, secret_answers=True)
    await s.mod.slash(channel, "trivia", category="Current Events", seconds=60)
    question = channel.last_message
    right, wrong = letter_of(question, DEEPSEEK), wrong_letters(question, DEEPSEEK)[0]
    assert reaction_counts(channel, question.id) == dict.fromkeys(choice_letters(question).values(), 1)

    picks = [
        (s.alice, right),
        (s.bob, wrong), (s.bob, right),  # changes to the right answer
        (s.carol, right), (s.carol, wrong),  # changes to a wrong answer
        (dave, right), (dave, wrong), (dave, right),  # and back again: the latest pick counts
    ]
    for member, letter in picks:
        before = hidden(env, channel, question.id, member)
        await member.react(question, letter)
        assert hidden(env, channel, question.id, member) == before + 1
        # Only the bot's own reaction is left on every letter.
        assert reaction_counts(channel, question.id) == dict.fromkeys(choice_letters(question).values(), 1)
        await env.advance_time(ANSWERED_EDIT_INTERVAL + 0.5)  # let the "N answered" throttle pass
    assert answered_line(channel, question.id).endswith(" · 4 answered")
    # The question was the interaction's reply, but edits use the bot token, never the
    # 15-minute interaction token.
    assert requests(env, "PATCH", r"^/webhooks/") == []

    await env.advance_time(60)
    reveal = channel.last_message
    assert reveal.reference.message_id == question.id
    winners = field(reveal, "Got it right")
    for member in (s.alice, s.bob, dave):
        assert shown(member) in winners
    assert shown(s.carol) not in winners
    rows = {a.user_id: int(a.correct) for a in (await saved(settings, s.guild.id)).answers}
    assert rows == {s.alice.id: 1, s.bob.id: 1, s.carol.id: 0, dave.id: 1}


@VIRTUAL_THROTTLE
async def test_secret_answer_count_is_edited_at_most_once_every_two_seconds(server):
    s = server
    env, channel = s.env, s.channel
    await configure(s, secret_answers=True)
    await s.mod.slash(channel, "trivia", category="Current Events", seconds=60)
    question = channel.last_message
    right, wrong = letter_of(question, DEEPSEEK), wrong_letters(question, DEEPSEEK)[0]
    assert edits(env, channel, question.id) == 0
    assert "answered" not in answered_line(channel, question.id)

    await s.alice.react(question, right)  # the first answer shows at once
    assert edits(env, channel, question.id) == 1
    assert answered_line(channel, question.id).endswith(" · 1 answered")
    await s.bob.react(question, wrong)
    await s.carol.react(question, right)
    assert edits(env, channel, question.id) == 1  # inside the 2-second window: no edit yet
    assert answered_line(channel, question.id).endswith(" · 1 answered")
    assert reaction_counts(channel, question.id) == dict.fromkeys(choice_letters(question).values(), 1)

    await env.advance_time(ANSWERED_EDIT_INTERVAL - 0.5)
    assert edits(env, channel, question.id) == 1
    await env.advance_time(0.6)
    assert edits(env, channel, question.id) == 2  # one edit for both
    assert answered_line(channel, question.id).endswith(" · 3 answered")
    await env.advance_time(10)
    assert edits(env, channel, question.id) == 2  # nothing new: no edit

    await s.bob.react(question, right)  # a changed answer does not change the count
    await env.advance_time(10)
    assert edits(env, channel, question.id) == 2
    assert requests(env, "PATCH", r"^/webhooks/") == []
    await env.advance_time(40)
    spread = {line.split()[0]: line for line in field(channel.last_message, "Answers").splitlines()}
    assert " 3 (100%)" in spread[right] and " 0 (0%)" in spread[wrong]  # bob's change counted


@VIRTUAL_THROTTLE
async def test_secret_answers_and_first_pick(server):
    s = server
    env, channel = s.env, s.channel
    await configure(s, secret_answers=True, answer_mode="first")
    await s.mod.slash(channel, "trivia", category="Current Events", seconds=30)
    question = channel.last_message
    right, wrong = letter_of(question, DEEPSEEK), wrong_letters(question, DEEPSEEK)[0]
    await s.alice.react(question, wrong)
    await env.advance_time(ANSWERED_EDIT_INTERVAL + 0.5)
    await s.alice.react(question, right)  # locked: ignored, but still hidden
    await env.advance_time(ANSWERED_EDIT_INTERVAL + 0.5)
    assert hidden(env, channel, question.id, s.alice) == 2
    assert reaction_counts(channel, question.id) == dict.fromkeys(choice_letters(question).values(), 1)
    assert answered_line(channel, question.id).endswith(" · 1 answered")
    await env.advance_time(30)
    assert field(channel.last_message, "Got it right") == "Nobody this time."


# ----------------------------------------------------------------------------- permission check
async def test_trivia_refuses_when_the_bot_cannot_add_reactions(server):
    s = server
    guild = s.guild
    locked = guild.create_text_channel("locked", overwrites={guild.me: discord.PermissionOverwrite(add_reactions=False)})
    refused = await s.alice.slash(locked, "trivia")
    assert refused.ephemeral
    content = refused.response.content
    assert "Add Reactions" in content and "Manage Messages" not in content
    assert public_history(s, locked) == []
    assert requests(s.env, "POST", rf"^/channels/{locked.id}/messages$") == []
    assert requests(s.env, "PUT", rf"^/channels/{locked.id}/messages/.*/reactions/") == []


async def test_secret_answers_need_manage_messages(server):
    s = server
    guild = s.guild
    plain = guild.create_text_channel("plain", overwrites={guild.me: discord.PermissionOverwrite(manage_messages=False)})
    # Without secret answers the game runs there.
    assert not (await s.alice.slash(plain, "trivia", seconds=10)).ephemeral
    await s.env.advance_time(11)
    before = len(public_history(s, plain))

    await configure(s, secret_answers=True)
    refused = await s.alice.slash(plain, "trivia")
    assert refused.ephemeral
    content = refused.response.content
    assert "Manage Messages" in content and "Add Reactions" not in content
    assert len(public_history(s, plain)) == before
    # Where the bot may manage messages, secret games run.
    assert not (await s.alice.slash(s.channel, "trivia", seconds=10)).ephemeral
    await s.env.advance_time(11)
