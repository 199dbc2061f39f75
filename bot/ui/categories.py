"""The `/trivia-categories` embed: loaded categories with question counts per difficulty."""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

import discord

from bot.constants import DIFFICULTY_LABELS, QUESTION_COLOUR
from bot.questions.model import DIFFICULTIES

# Discord limits: 4096 characters of description, 1024 per field value, 2048 of footer.
MAX_DESCRIPTION = 4096
MAX_FIELD = 1024


def _breakdown(counts: Counter[str]) -> str:
    return " · ".join(f"{DIFFICULTY_LABELS[d]} {counts[d]}" for d in DIFFICULTIES)


def fit_lines(lines: Sequence[str], limit: int, separator: str = "\n") -> str:
    """Join as many ``lines`` as fit in ``limit`` characters, ending with "…and N more" if some don't."""
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = f"{separator}…and {rest} more" if rest else ""
        if len(separator.join([*shown, line]) + tail) > limit:
            more = f"…and {len(lines) - index} more"
            return separator.join([*shown, more]) if shown else more
        shown.append(line)
    return separator.join(shown)


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
            f"**{discord.utils.escape_markdown(n)}** — {sum(counts[n].values())} ({_breakdown(counts[n])})" for n in playable
        ]
        embed.description = fit_lines(lines, MAX_DESCRIPTION)
    total: Counter[str] = Counter()
    for name in playable:
        total.update(counts[name])
    questions = sum(total.values())
    embed.add_field(name="Total", value=f"{questions} question{'' if questions == 1 else 's'} ({_breakdown(total)})", inline=False)
    if disabled:
        embed.add_field(
            name=f"Disabled on this server ({len(disabled)})",
            value=fit_lines([discord.utils.escape_markdown(n) for n in disabled], MAX_FIELD, ", "),
            inline=False,
        )
    embed.set_footer(text="Play one with /trivia category:<name>")
    return embed
