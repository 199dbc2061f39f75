"""`/trivia-settings`: view and change this server's game settings (Manage Server only)."""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.game.server_settings import RANGES, AnswerMode, SettingValueError
from bot.game.timezones import canonical_timezone, timezone_names
from bot.questions import QuestionBank
from bot.session.planning import stale_in
from bot.ui.categories import category_list
from bot.ui.checks import requires_manage_server
from bot.ui.embeds import settings_embed
from bot.ui.limits import autocomplete
from bot.ui.markdown import echoed

ALL = "all"
CHANNEL_REFERENCE = re.compile(r"<#(\d+)>|\b(\d{15,20})\b")  # a mention, or a bare channel id


class Settings(commands.Cog):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot

    @app_commands.command(name="trivia-settings", description="View or change this server's trivia settings")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @requires_manage_server("change trivia settings")
    @app_commands.describe(
        **{name: allowed.help for name, allowed in RANGES.items()},
        categories="Comma-separated categories games may use, or 'all'",
        starter_role="Only this role may start games (pick @everyone to allow everybody)",
        game_channels="Channels where games may run, e.g. #trivia #games, or 'all'",
        answer_mode="latest: the last pick counts; first: the first pick locks",
        secret_answers="Hide picks: the bot removes each reaction and shows how many answered",
        speed_bonus="Award extra points for answering fast",
        timezone="Time zone of scheduled nights, e.g. Europe/Berlin or America/New_York",
    )
    async def trivia_settings(
        self,
        interaction: discord.Interaction,
        answer_seconds: int | None = None,
        questions_per_game: int | None = None,
        break_seconds: int | None = None,
        categories: str | None = None,
        starter_role: discord.Role | None = None,
        game_channels: str | None = None,
        answer_mode: AnswerMode | None = None,
        secret_answers: bool | None = None,
        speed_bonus: bool | None = None,
        auto_stop: int | None = None,
        timezone: str | None = None,
        schedule_reminder_minutes: int | None = None,
    ) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        changes: dict[str, object] = {
            name: value
            for name, value in (
                ("answer_seconds", answer_seconds), ("questions_per_game", questions_per_game),
                ("break_seconds", break_seconds), ("answer_mode", answer_mode),
                ("secret_answers", secret_answers), ("speed_bonus", speed_bonus), ("auto_stop", auto_stop),
                ("schedule_reminder_minutes", schedule_reminder_minutes),
            )
            if value is not None
        }
        try:
            if categories is not None:
                changes["categories"] = _categories(categories, await self.bot.bank_for(guild.id))
            if game_channels is not None:
                changes["channel_ids"] = _channels(game_channels, guild, self.bot)
            if timezone is not None:
                changes["timezone"] = _timezone(timezone)
            if starter_role is not None:
                changes["starter_role_id"] = None if starter_role.is_default() else starter_role.id
            current = await self.bot.server_settings(guild.id)
            updated = current.changed(**changes)
        except SettingValueError as exc:
            await interaction.response.send_message(f"Not changed: {exc}.", ephemeral=True)
            return
        if changes:
            await self.bot.storage.save_server_settings(guild.id, updated)
        heading = "Settings updated." if changes else "Current settings. Pass options to change them."
        embed = settings_embed(updated, await stale_in(self.bot, guild, updated))
        await interaction.response.send_message(heading, embed=embed, ephemeral=True)

    @trivia_settings.autocomplete("timezone")
    async def timezone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return autocomplete((name, name) for name in timezone_names(current))


def _categories(text: str, bank: QuestionBank) -> tuple[str, ...]:
    """The categories named in ``text`` as this server's bank spells them; () for 'all'."""
    if text.strip().casefold() == ALL:
        return ()
    names = [part.strip() for part in text.split(",") if part.strip()]
    found = []
    for name in names:
        canonical = bank.canonical_category(name)
        if canonical is None:
            raise SettingValueError(f"there is no category called “{echoed(name)}”; known: {category_list(bank.categories)}")
        found.append(canonical)
    if not found:
        raise SettingValueError("name at least one category, or 'all'")
    return tuple(dict.fromkeys(found))


def _timezone(text: str) -> str:
    name = canonical_timezone(text)
    if name is None:
        raise SettingValueError(
            f"there is no time zone called “{echoed(text)}”; "
            "use a name such as Europe/Berlin or America/New_York"
        )
    return name


def _channels(text: str, guild: discord.Guild, bot: TriviaBot) -> tuple[int, ...]:
    """The channels of ``guild`` mentioned (or given by id) in ``text``; () for 'all'.

    A thread is refused (games may run in the threads of a game channel anyway), and so is a category."""
    if text.strip().casefold() == ALL:
        return ()
    ids = [int(mention or bare) for mention, bare in CHANNEL_REFERENCE.findall(text)]
    if not ids:
        raise SettingValueError("mention the channels with # (for example #trivia), or write 'all'")
    for channel_id in ids:
        _check_game_channel_choice(channel_id, guild, bot)
    return tuple(dict.fromkeys(ids))


def _check_game_channel_choice(channel_id: int, guild: discord.Guild, bot: TriviaBot) -> None:
    channel = guild.get_channel_or_thread(channel_id)
    if channel is None:
        elsewhere = bot.get_channel(channel_id)
        if isinstance(elsewhere, (discord.abc.GuildChannel, discord.Thread)):
            raise SettingValueError(f"<#{channel_id}> is a channel of another server; name channels of this one")
        raise SettingValueError(f"there is no channel {channel_id} on this server; mention channels with #")
    if isinstance(channel, discord.Thread):
        raise SettingValueError(
            f"{channel.mention} is a thread; name the channel it is in (games may run in a game channel's threads too)"
        )
    if isinstance(channel, discord.CategoryChannel):
        raise SettingValueError(f"{channel.mention} is a category; name the channels in it instead")


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Settings(bot))
