"""SimCord tests: settings naming what was deleted since (a starter role, game channels, a category whose
custom pack was removed) lock nobody out, and the replies say what is stale and how an admin fixes it;
`game_channels` takes only this server's channels.

Roles and channels are deleted directly on SimCord's backend, as a moderator would in Discord's interface.
"""

from __future__ import annotations

import pytest

from tests.fixtures import Server, make_server
from tests.test_custom_packs import MOVIES, upload
from tests.test_schedules import organiser
from tests.test_server_settings import configure, fields, setting_values

ROLE_NOTE = (
    "⚠️ The starter role in this server's trivia settings was deleted, so everyone may start games; "
    "an admin can pick another with `/trivia-settings starter_role`."
)
SOME_CHANNELS_NOTE = (
    "⚠️ 1 of the game channels in this server's trivia settings no longer exists; "
    "an admin can update the list with `/trivia-settings game_channels`."
)
ALL_CHANNELS_NOTE = (
    "⚠️ The game channels in this server's trivia settings no longer exist, so games may run in every channel; "
    "an admin can name others with `/trivia-settings game_channels`."
)


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env)


async def shown_settings(s: Server):
    """The moderator's `/trivia-settings` without options: the settings embed."""
    result = await s.mod.slash(s.channel, "trivia-settings")
    assert result.ephemeral
    return result.response.embeds[0]


async def starts_with_a_note(s: Server, note: str, **options) -> str:
    """alice's `/trivia` in #trivia starts a game, and she is told privately what is stale; the
    question's footer (its category first)."""
    started = await s.alice.slash(s.channel, "trivia", seconds=10, **options)
    assert not started.ephemeral
    question = started.response.embeds[0]
    assert question.title == "Trivia"
    assert [(f.ephemeral, f.content) for f in started.followups] == [(True, note)]
    await s.env.advance_time(11)
    return question.footer.text


# ----------------------------------------------------------------------------- starter role
async def test_a_deleted_starter_role_locks_nobody_out_and_is_explained(server):
    s = server
    hosts = s.guild.create_role("Hosts")
    await configure(s, starter_role=hosts)
    refused = await s.alice.slash(s.channel, "trivia")
    assert refused.response.content == f"Only members with the {hosts.mention} role can start trivia games here."

    s.env.backend.delete_role(s.guild.id, hosts.id)
    await s.env.settle()
    await starts_with_a_note(s, ROLE_NOTE)

    embed = await shown_settings(s)
    assert fields(embed)["Who may start games"].startswith("**everyone (the role set was deleted)** · ")
    assert fields(embed)["⚠️ Stale settings"] == ROLE_NOTE.removeprefix("⚠️ ")

    # Picking a role again ends the note.
    quizmasters = s.guild.create_role("Quizmasters")
    assert (await configure(s, starter_role=quizmasters))["Who may start games"] == quizmasters.mention
    assert "⚠️ Stale settings" not in fields(await shown_settings(s))


# ----------------------------------------------------------------------------- game channels
async def two_game_channels_then_one_deleted(s):
    """Games limited to #games and #annex, then #games deleted; returns #annex."""
    games = s.guild.create_text_channel("games")
    annex = s.guild.create_text_channel("annex")
    await configure(s, game_channels=f"{games.mention} {annex.mention}")
    s.env.backend.delete_channel(games.id)
    await s.env.settle()
    return annex


async def test_deleted_game_channels_are_explained_and_never_lock_games_out(server):
    s = server
    annex = await two_game_channels_then_one_deleted(s)
    refused = await s.alice.slash(s.channel, "trivia")
    assert refused.ephemeral
    assert refused.response.content == f"Trivia games run only in {annex.mention} on this server.\n{SOME_CHANNELS_NOTE}"
    assert fields(await shown_settings(s))["⚠️ Stale settings"] == SOME_CHANNELS_NOTE.removeprefix("⚠️ ")
    # The settings name the channel left, not a mention Discord would show as #unknown.
    assert fields(await shown_settings(s))["Game channels"].startswith(f"**{annex.mention} (and 1 deleted)** · ")

    # With every game channel gone, games run anywhere again, and the starter is told why.
    s.env.backend.delete_channel(annex.id)
    await s.env.settle()
    await starts_with_a_note(s, ALL_CHANNELS_NOTE)
    assert fields(await shown_settings(s))["⚠️ Stale settings"] == ALL_CHANNELS_NOTE.removeprefix("⚠️ ")
    assert fields(await shown_settings(s))["Game channels"].startswith("**all (the channels set were deleted)** · ")


async def test_game_channels_take_only_this_servers_channels(server):
    s = server
    other = s.env.create_guild("Elsewhere")
    foreign = other.create_text_channel("their-trivia")
    games = s.guild.create_text_channel("games")
    category = s.guild.create_category("Fun")

    for given, reason in (
        (foreign.mention, f"{foreign.mention} is a channel of another server; name channels of this one"),
        (str(foreign.id), f"{foreign.mention} is a channel of another server; name channels of this one"),
        ("<#123456789012345678>", "there is no channel 123456789012345678 on this server; mention channels with #"),
        (category.mention, f"{category.mention} is a category; name the channels in it instead"),
        (f"{games.mention} {foreign.mention}", f"{foreign.mention} is a channel of another server; name channels of this one"),
    ):
        refused = await s.mod.slash(s.channel, "trivia-settings", game_channels=given)
        assert refused.ephemeral
        assert refused.response.content == f"Not changed: {reason}."
        assert setting_values(await shown_settings(s))["Game channels"] == "all"

    # A bare id of this server's channel is taken like a mention.
    assert (await configure(s, game_channels=str(games.id)))["Game channels"] == games.mention


# ----------------------------------------------------------------------------- categories of removed packs
async def remove_the_movies_pack_after_allowing(s: Server, categories: str) -> str:
    """The moderator uploads the Movies pack, allows ``categories``, then removes the pack; the note
    the replies should now carry (what games do meanwhile depends on what else is allowed)."""
    await upload(s, MOVIES)
    await configure(s, categories=categories)
    await s.mod.slash(s.channel, "trivia-pack remove", name="Movie Night")
    meanwhile = "games skip it" if "," in categories else "so games use every category"
    return (
        "⚠️ The category “Movies” in this server's trivia settings has no questions any more (its pack was removed), "
        f"{meanwhile}; an admin can update them with `/trivia-settings categories` (names, or all)."
    )


async def test_a_category_whose_pack_was_removed_is_explained_and_skipped(server):
    s = server
    note = await remove_the_movies_pack_after_allowing(s, "Movies, Space")

    refused = await s.alice.slash(s.channel, "trivia", category="Current Events")
    assert refused.ephemeral
    assert refused.response.content == f"This server only plays these categories: Space.\n{note}"
    offered = await s.alice.autocomplete(s.channel, "trivia", "category", "")
    assert [c["name"] for c in offered] == ["Space"]

    assert (await starts_with_a_note(s, note)).startswith("Space · ")
    assert fields(await shown_settings(s))["⚠️ Stale settings"] == note.removeprefix("⚠️ ")


async def test_when_every_set_category_is_gone_games_use_every_category(server):
    s = server
    note = await remove_the_movies_pack_after_allowing(s, "Movies")
    assert (await starts_with_a_note(s, note, category="Current Events")).startswith("Current Events · ")
    assert fields(await shown_settings(s))["⚠️ Stale settings"] == note.removeprefix("⚠️ ")
    listed = await s.alice.slash(s.channel, "trivia-categories")
    assert [line.split("**")[1] for line in listed.response.embeds[0].description.splitlines()] == ["Current Events", "Space"]


async def test_a_scheduled_night_is_refused_with_the_note_and_allowed_once_no_game_channel_is_left(server):
    s = server
    annex = await two_game_channels_then_one_deleted(s)
    olga = organiser(s)
    refused = await olga.slash(s.channel, "trivia-schedule add", when="in 1h")
    assert refused.ephemeral
    assert refused.response.content == f"Trivia games run only in {annex.mention} on this server.\n{SOME_CHANNELS_NOTE}"

    s.env.backend.delete_channel(annex.id)
    await s.env.settle()
    scheduled = await olga.slash(s.channel, "trivia-schedule add", when="in 1h")
    assert scheduled.ephemeral
    assert scheduled.response.content.startswith("📅 **Trivia Night** is scheduled for ")
    assert f"in {s.channel.mention}, once (schedule #1)." in scheduled.response.content
