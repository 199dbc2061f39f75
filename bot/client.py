"""The Discord client: wires settings, storage, question packs and the cogs together."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pkgutil
import random
from functools import partial
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.constants import NO_PINGS
from bot.game.server_settings import ServerSettings
from bot.questions import Question, QuestionBank
from bot.questions.cache import load_packs_cached
from bot.questions.custom import server_questions
from bot.questions.loader import LoadReport
from bot.session import GameManager
from bot.session.channel_checks import PLAYING_PERMISSIONS
from bot.settings import Settings
from bot.shards import IdentifyPacer
from bot.storage import Storage
from bot.storage.errors import StorageError
from bot.storage.factory import create_storage
from bot.ui.checks import answer_refusals

log = logging.getLogger(__name__)

COMMANDS_FINGERPRINT_KEY = "commands_fingerprint"
REACTION_EVENTS = {"raw_reaction_add": "on_raw_reaction_add", "raw_reaction_remove": "on_raw_reaction_remove"}


async def _reraise(exc: Exception, *_: object) -> None:
    """Raised again inside discord.py's event runner, which hands it to ``on_error``."""
    raise exc


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with the permissions it plays with in every kind of
    channel (Manage Messages included, for secret answers)."""
    permissions = discord.Permissions(**dict.fromkeys(PLAYING_PERMISSIONS, True))
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=("bot", "applications.commands"))


def bot_intents() -> discord.Intents:
    """Guilds, guild reactions and scheduled events only: nothing privileged, no message content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_reactions = True
    intents.guild_scheduled_events = True  # scheduled nights: events cancelled or deleted in Discord
    return intents


class TriviaTree(app_commands.CommandTree):
    """Unexpected command errors are logged and the member gets a private apology, not a dead "thinking…"."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("/%s failed in guild %s", command, interaction.guild_id, exc_info=error)
        apology = "Sorry, something went wrong on my side; the error was logged for the bot's owner."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(apology, ephemeral=True)
            else:
                await interaction.response.send_message(apology, ephemeral=True)
        except discord.HTTPException:
            pass  # the interaction expired; the log line is all that is left to do


class TriviaBot(commands.AutoShardedBot):
    """Sharded from the start, so one process serves one server or thousands (Discord requires
    shards past 2,500 servers) and a dropped gateway connection is reported per shard."""

    def __init__(self, settings: Settings, storage: Storage) -> None:
        super().__init__(
            shard_count=settings.shard_count,
            # None (every shard) is discord.py's own default, which its annotation leaves out.
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,  # type: ignore[arg-type]
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            max_messages=None,
            allowed_mentions=NO_PINGS,
            help_command=None,
            tree_cls=TriviaTree,
        )
        self.settings = settings
        self.storage = storage
        self.bank = QuestionBank(())  # the shipped packs; see bank_for for a server's view
        self._server_banks: dict[int, QuestionBank] = {}
        self._bank_epoch = 0  # bumped whenever cached server banks go stale
        self._custom: dict[int, tuple[tuple[tuple[str, str], ...], list[Question]]] = {}  # by pack content
        self.load_report = LoadReport()
        self.games = GameManager(self)
        self.rng = random.Random()
        self.connection_drops = 0  # gateway disconnects so far: events may have been lost across each
        self._announced_ready = False
        self.shards_run = settings.shards
        self._identify = IdentifyPacer(storage)
        self._max_concurrency: int | None = None  # Discord's IDENTIFY concurrency, asked at the first connect

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process plays in the server: it runs the server's gateway shard."""
        return self.shards_run.owns(guild_id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's turn to connect, shared with every process on the database (replaces
        discord.py's 5-second sleep between this process's own shards)."""
        if self._max_concurrency is None:
            try:
                self._max_concurrency = (await self.fetch_session_start_limits()).max_concurrency
            except (discord.HTTPException, discord.GatewayNotFound):
                self._max_concurrency = 1  # the safest pacing: every shard in one bucket
        await self._identify.wait_turn(shard_id or 0, self._max_concurrency)

    async def on_ready(self) -> None:
        """One "ready" line when the bot first connects (Discord sends READY again after reconnects)."""
        if self._announced_ready or self.user is None:
            return
        self._announced_ready = True
        log.info(
            "ready: %s in %d servers; invite it with %s", self.user, len(self.guilds), invite_url(self.application_id or self.user.id)
        )

    async def on_shard_disconnect(self, shard_id: int) -> None:
        log.warning("gateway shard %s disconnected; open questions will be checked against Discord", shard_id)
        self.connection_drops += 1

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Reactions added and removed go straight to the channel's game, within this call.

        They come for every reaction on every server and a game takes them without awaiting
        anything, so the task discord.py would start per event for a client or cog listener is
        spared. Listeners registered for them (``wait_for``, ``add_listener``) are still served by
        discord.py's own dispatch, and an error is reported to ``on_error`` as discord.py would.
        """
        if event_name in REACTION_EVENTS:
            self._take_reaction(event_name, args[0])
            if event_name not in self._listeners and not self.extra_events.get(REACTION_EVENTS[event_name]):
                return
        super().dispatch(event_name, *args, **kwargs)

    def _take_reaction(self, event_name: str, payload: discord.RawReactionActionEvent) -> None:
        game = self.games.get(payload.channel_id)
        if game is None:
            return
        try:
            game.answers.on_reaction(payload)
        except Exception as exc:
            self._schedule_event(partial(_reraise, exc), REACTION_EVENTS[event_name], payload)

    async def setup_hook(self) -> None:
        # One process per database, or per shard of a shared one: a second bot would resume the same games.
        await self.storage.claim(self.settings.shard_ids)
        await self.storage.open()
        self.reload_questions()
        answer_refusals(self.tree)  # checks' refusals are told to the member, not treated as errors
        for module in sorted(m.name for m in pkgutil.iter_modules(cogs.__path__)):
            await self.load_extension(f"cogs.{module}")
        await self.sync_commands_if_changed()

    async def server_settings(self, guild_id: int) -> ServerSettings:
        """This server's game settings; defaults follow the bot's own settings."""
        return await self.storage.server_settings(guild_id, ServerSettings(answer_seconds=self.settings.answer_seconds))

    async def bank_for(self, guild_id: int) -> QuestionBank:
        """The shipped questions plus this server's custom packs, cached until either changes.

        The custom packs' questions are kept by the packs' content too, so a reload of the shipped
        packs (which forgets every server's bank) re-parses no custom pack that did not change.
        """
        cached = self._server_banks.get(guild_id)
        if cached is not None:
            return cached
        epoch = self._bank_epoch
        try:
            stored = await self.storage.custom_packs(guild_id)
        except StorageError as exc:
            log.warning("could not read the custom packs of guild %s; playing the shipped packs: %s", guild_id, exc)
            return self.bank
        bank = self.bank
        if stored:
            bank = bank.merged(await self._custom_questions(guild_id, [(p.name, p.yaml) for p in stored]))
        else:
            self._custom.pop(guild_id, None)
        if epoch == self._bank_epoch:  # not invalidated while loading
            self._server_banks[guild_id] = bank
        return bank

    async def _custom_questions(self, guild_id: int, packs: list[tuple[str, str]]) -> list[Question]:
        """The questions of a server's packs, parsed again only when their content changed."""
        key = tuple((name, hashlib.sha256(text.encode("utf-8")).hexdigest()) for name, text in packs)
        known = self._custom.get(guild_id)
        if known is not None and known[0] == key:
            return known[1]
        questions = await asyncio.to_thread(server_questions, guild_id, packs)
        self._custom[guild_id] = (key, questions)
        return questions

    def forget_banks(self, guild_id: int | None = None) -> None:
        """Drop the cached bank of one server (its packs changed) or of every server."""
        self._bank_epoch += 1
        if guild_id is None:
            self._server_banks.clear()
        else:
            self._server_banks.pop(guild_id, None)

    def reload_questions(self) -> LoadReport:
        """Load every pack in the questions folder; packs with errors are skipped and logged."""
        report = load_packs_cached([self.settings.questions_dir], self.settings.bank_cache_file)
        for problem in report.problems:
            (log.warning if problem.warning else log.error)("%s", problem)
        for source in report.rejected:
            log.error("pack %s was not loaded because of the errors above", source)
        self.bank = QuestionBank(report.questions)
        self.forget_banks()
        self.load_report = report
        log.info("loaded %d questions from %d packs", len(self.bank), len(report.packs))
        return report

    def commands_fingerprint(self) -> str:
        payload = sorted((cmd.to_dict(self.tree) for cmd in self.tree.get_commands()), key=lambda c: c["name"])
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands_if_changed(self) -> bool:
        """Sync application commands when they changed since the last sync (or when forced); in a
        cluster only the process running shard 0 syncs, so commands are not synced once per process."""
        if not self.shards_run.syncs_commands:
            log.info("application commands are synced by the process running shard 0; not syncing")
            return False
        fingerprint = self.commands_fingerprint()
        stored = await self.storage.get_meta(COMMANDS_FINGERPRINT_KEY)
        if stored == fingerprint and not self.settings.force_sync:
            log.info("application commands unchanged; not syncing")
            return False
        synced = await self.tree.sync()
        await self.storage.set_meta(COMMANDS_FINGERPRINT_KEY, fingerprint)
        log.info("synced %d application commands", len(synced))
        return True

    async def close(self) -> None:
        """Leave every game resumable, disconnect, then close storage."""
        try:
            await self.games.shutdown()
            await super().close()
        finally:
            await self._identify.close()
            await self.storage.close()


def create_bot(settings: Settings, storage: Storage | None = None) -> TriviaBot:
    """An unstarted bot; `setup_hook` opens storage, loads packs and cogs, and syncs commands.

    ``storage`` defaults to the backend ``settings.database`` names.
    """
    return TriviaBot(settings, storage if storage is not None else create_storage(settings.database))
