"""`/trivia-pack upload|list|remove|download`: this server's own question packs (Manage Server only)."""

from __future__ import annotations

import asyncio
import io
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import TriviaBot
from bot.constants import NO_PINGS
from bot.questions import parse_pack
from bot.questions.custom import MAX_PACKS_PER_SERVER, MAX_QUESTIONS_PER_SERVER, MAX_UPLOAD_BYTES, clash_problems
from bot.questions.model import Pack
from bot.session.members import display_names
from bot.storage.records import CustomPackRecord
from bot.ui.checks import has_manage_server, requires_manage_server
from bot.ui.limits import autocomplete
from bot.ui.packs import file_name, name_of, packs_list_message, problems_message, saved_message, unknown_pack_message

# Discord shows these commands only to members with Manage Server unless an admin allows others;
# the bot refuses those others anyway.
managers_only = requires_manage_server("manage this server's trivia packs")


def _too_big(filename: str, size: int) -> str | None:
    if size <= MAX_UPLOAD_BYTES:
        return None
    kib = -(-size // 1024)  # rounded up, so it never reads as the limit itself
    return f"❌ {file_name(filename)} is {kib:,} KiB; a custom pack may be at most {MAX_UPLOAD_BYTES // 1024} KiB. Split it into smaller packs."


def _over_limits(pack: Pack, others: list[CustomPackRecord], replacing: bool) -> str | None:
    """Why storing ``pack`` next to the server's ``others`` would break the per-server limits, or None."""
    if not replacing and len(others) >= MAX_PACKS_PER_SERVER:
        return (
            f"❌ This server already has {MAX_PACKS_PER_SERVER} custom packs, the most it may have. "
            "Remove one with `/trivia-pack remove` first."
        )
    total = sum(p.question_count for p in others) + len(pack.questions)
    if total > MAX_QUESTIONS_PER_SERVER:
        return (
            f"❌ {name_of(pack.info.name)} has {len(pack.questions):,} questions; with this server's other packs that "
            f"makes {total:,}, over the limit of {MAX_QUESTIONS_PER_SERVER:,}. Remove a pack or upload a smaller one."
        )
    return None


def _download_name(pack_name: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", pack_name.casefold()).strip("-")
    return f"{slug or 'pack'}.yaml"


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Packs(commands.GroupCog, group_name="trivia-pack", group_description="This server's own trivia question packs"):
    def __init__(self, bot: TriviaBot) -> None:
        self.bot = bot
        # One upload at a time, so two uploads can't both pass the per-server limits.
        self._storing = asyncio.Lock()

    async def _reply(self, interaction: discord.Interaction, content: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        await interaction.response.send_message(content, ephemeral=True, allowed_mentions=NO_PINGS, **kwargs)

    # ----------------------------------------------------------------- upload
    @managers_only
    @app_commands.command(name="upload", description="Add a YAML question pack that only this server plays")
    @app_commands.describe(
        file=f"The pack: a YAML file of at most {MAX_UPLOAD_BYTES // 1024} KiB",
        replace="Replace this server's pack of the same name",
    )
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment, replace: bool = False) -> None:
        assert interaction.guild_id is not None
        refusal = _too_big(file.filename, file.size)
        if refusal is not None:
            await self._reply(interaction, refusal)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # downloading and checking take a moment
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            reply = f"❌ I could not download {file_name(file.filename)} from Discord ({exc.status}). Try again."
        else:
            reply = _too_big(file.filename, len(data)) or await self._store(
                interaction.guild_id, interaction.user.id, data, file.filename, replace
            )
        await interaction.edit_original_response(content=reply, allowed_mentions=NO_PINGS)

    async def _store(self, guild_id: int, user_id: int, data: bytes, filename: str, replace: bool) -> str:
        """Validate an uploaded pack and save it; returns the reply."""
        pack, problems = await asyncio.to_thread(parse_pack, data, filename)
        if pack is None:
            return problems_message(filename, problems)
        storage = self.bot.storage
        async with self._storing:
            existing = await storage.custom_pack(guild_id, pack.info.name)
            if existing is not None and not replace:
                return (
                    f"❌ This server already has a pack called {name_of(existing.name)}. "
                    "To overwrite it, upload again with `replace:True`."
                )
            others = [p for p in await storage.custom_packs(guild_id) if existing is None or p.name != existing.name]
            refusal = _over_limits(pack, others, existing is not None)
            if refusal is not None:
                return refusal
            problems += await asyncio.to_thread(
                clash_problems, pack, list(self.bot.bank), [(p.name, p.yaml) for p in others]
            )
            if any(not p.warning for p in problems):
                return problems_message(filename, problems)
            await storage.save_custom_pack(
                CustomPackRecord(
                    guild_id, pack.info.name, data.decode("utf-8-sig"), len(pack.questions), user_id,
                    discord.utils.utcnow().timestamp(),
                )
            )
            self.bot.forget_banks(guild_id)
        return saved_message(pack, existing is not None, problems)

    # ----------------------------------------------------------------- list, remove, download
    @managers_only
    @app_commands.command(name="list", description="This server's custom question packs")
    async def list_packs(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        packs = await self.bot.storage.custom_packs(interaction.guild.id)
        uploaders = await display_names(interaction.guild, (p.uploaded_by for p in packs))
        await self._reply(interaction, packs_list_message(packs, uploaders))

    @managers_only
    @app_commands.command(name="remove", description="Remove one of this server's custom question packs")
    @app_commands.describe(name="The pack's name")
    async def remove(self, interaction: discord.Interaction, name: str) -> None:
        pack = await self._managed_pack(interaction, name)
        if pack is None:
            return
        await self.bot.storage.delete_custom_pack(pack.guild_id, pack.name)
        self.bot.forget_banks(pack.guild_id)
        await self._reply(interaction, f"🗑️ Removed the pack {name_of(pack.name)} and its {pack.question_count:,} questions.")

    @managers_only
    @app_commands.command(name="download", description="Get one of this server's custom packs back as a YAML file")
    @app_commands.describe(name="The pack's name")
    async def download(self, interaction: discord.Interaction, name: str) -> None:
        pack = await self._managed_pack(interaction, name)
        if pack is None:
            return
        file = discord.File(io.BytesIO(pack.yaml.encode("utf-8")), filename=_download_name(pack.name))
        await self._reply(interaction, f"📦 The pack {name_of(pack.name)} as stored.", file=file)

    async def _managed_pack(self, interaction: discord.Interaction, name: str) -> CustomPackRecord | None:
        """The server's pack called ``name``; None once the member is told which packs exist."""
        assert interaction.guild_id is not None
        pack = await self.bot.storage.custom_pack(interaction.guild_id, name)
        if pack is None:
            await self._reply(interaction, unknown_pack_message(name, await self.bot.storage.custom_packs(interaction.guild_id)))
        return pack

    @remove.autocomplete("name")
    @download.autocomplete("name")
    async def pack_name_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not has_manage_server(interaction):
            return []
        typed = current.casefold().strip()
        names = [p.name for p in await self.bot.storage.custom_packs(interaction.guild_id) if typed in p.name.casefold()]
        return autocomplete((n, n) for n in names)


async def setup(bot: TriviaBot) -> None:
    await bot.add_cog(Packs(bot))
