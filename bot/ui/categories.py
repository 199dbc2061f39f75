"""The `/trivia-categories` embed: loaded categories with question counts per difficulty."""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

import discord

from bot.constants import DIFFICULTY_LABELS, QUESTION_COLOUR
from bot.questions.model import DIFFICULTIES
from bot.ui.limits import EMBED_DESCRIPTION, FIELD_VALUE, LIST_IN_REPLY, fit_lines
from bot.ui.markdown import escape


def category_list(names: Sequence[str]) -> str:
    """Category names for a reply, escaped, as many as fit ("…and N more")."""
    return fit_lines([escape(n) for n in names], LIST_IN_REPLY, ", ")


def _breakdown(counts: Counter[str]) -> str:
    return " · ".join(f"{DIFFICULTY_LABELS[d]} {counts[d]}" for d in DIFFICULTIES)


def categories_embed(counts: Mapping[str, Counter[str]], allowed: Sequence[str] = ()) -> discord.Embed:
    """One line per playable category; ``allowed`` empty means every category is playable.

    Categories outside ``allowed`` are named as disabled on this server; ``allowed``
    is matched without regard to case.
    """
    names = sorted(counts, key=str.casefold)
    wanted = {name.casefold() for name in allowed}
    playable = [n for n in names if not wanted or n.casefold() in wanted]
    disabled = [n for n in names if n not in playable]
    embed = discord.Embed(title="📚 Trivia categories", colour=QUESTION_COLOUR)
    if not names:
        embed.description = "No questions are loaded. The bot owner needs to add question packs to the questions folder."
        return embed
    if not playable:
        embed.description = "None of the categories this server allows are loaded. A moderator can pick others with `/trivia-settings`."
    else:
        lines = [
            f"**{escape(n)}** — {sum(counts[n].values())} ({_breakdown(counts[n])})" for n in playable
        ]
        embed.description = fit_lines(lines, EMBED_DESCRIPTION)
    total: Counter[str] = Counter()
    for name in playable:
        total.update(counts[name])
    questions = sum(total.values())
    embed.add_field(name="Total", value=f"{questions} question{'' if questions == 1 else 's'} ({_breakdown(total)})", inline=False)
    if disabled:
        embed.add_field(
            name=f"Disabled on this server ({len(disabled)})",
            value=fit_lines([escape(n) for n in disabled], FIELD_VALUE, ", "),
            inline=False,
        )
    embed.set_footer(text="Play one with /trivia category:<name>")
    return embed
