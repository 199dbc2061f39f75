"""Posting a night's final standings: the embed, the results card and the Play again button.

The highlights come from the rounds the game kept; a game resumed after a restart kept only the
rounds since, so it reads the night's rounds back from storage (and makes do with what it kept
when the database does not answer).
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass

import discord

from bot.constants import NO_PINGS
from bot.game.flow import GameFlow
from bot.game.highlights import PlayedRound, night_highlights
from bot.game.options import EndReason, GameOptions
from bot.session.context import GameContext
from bot.session.retry import retry
from bot.storage.errors import StorageError
from bot.ui.finale import CARD_NAME, Night, final_standings_embed, night_summary, podium
from bot.ui.play_again import play_again_view
from bot.ui.results_card import Podium, draw_results_card

log = logging.getLogger(__name__)


async def _night_rounds(context: GameContext, flow: GameFlow, game_id: int) -> list[PlayedRound]:
    if flow.played_all:
        return flow.played
    try:
        return await context.storage.played_rounds(game_id)
    except StorageError as exc:
        log.warning("could not read the rounds of game %s for its highlights; using the rounds since the restart: %s", game_id, exc)
        return flow.played


async def _results_card(context: GameContext, night: Night) -> bytes | None:
    """The card's PNG, drawn off the event loop; None (and a log line) if it could not be drawn."""
    guild = context.host.get_guild(context.guild_id)
    ranking = night.standings.ranking()
    places = [Podium(s.name, s.points) for s in podium(ranking)]
    summary = night_summary(len(ranking), night.standings.rounds, night.planned)
    try:
        return await asyncio.to_thread(
            draw_results_card, guild.name if guild else "", discord.utils.utcnow(), places, summary
        )
    except (OSError, ValueError) as exc:
        log.error("could not draw the results card in channel %s: %s", context.channel_id, exc)
        return None


@dataclass(frozen=True)
class FinalStandings:
    """A night's final standings, ready to post: the embed, the results card (if it could be drawn)
    and the options of the night, which the Play again button repeats."""

    embed: discord.Embed
    card: bytes | None
    options: GameOptions


async def prepare_final_standings(
    context: GameContext, flow: GameFlow, game_id: int, reason: EndReason, stopper_name: str
) -> FinalStandings:
    night = Night(
        flow.standings, flow.options.questions, reason, flow.stopped_by, stopper_name,
        night_highlights(await _night_rounds(context, flow, game_id)),
    )
    bank = await context.host.bank_for(context.guild_id)

    def question_text(question_id: str) -> str | None:
        question = bank.get(question_id)
        return question.text if question is not None else None

    card = await _results_card(context, night)
    return FinalStandings(final_standings_embed(night, question_text, card=card is not None), card, flow.options)


async def send_final_standings(channel: discord.abc.Messageable, final: FinalStandings) -> discord.Message:
    """Post the final standings (raises :class:`discord.HTTPException` if Discord keeps refusing)."""

    async def send() -> discord.Message:
        # A fresh file for every try: a sent file is closed and cannot be read again.
        files = [discord.File(io.BytesIO(final.card), CARD_NAME)] if final.card is not None else []
        return await channel.send(embed=final.embed, files=files, view=play_again_view(final.options), allowed_mentions=NO_PINGS)

    return await retry(f"posting the final standings in {channel}", send)
