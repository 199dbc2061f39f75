"""What frames a night of several questions: the card that opens it and the "next question" line of a reveal."""

from __future__ import annotations

import discord

from bot.constants import DIFFICULTY_LABELS, QUESTION_COLOUR
from bot.game.options import GameOptions
from bot.game.scoring import BASE_POINTS
from bot.ui.markdown import escape
from bot.ui.packs import plural


def scoring_line(options: GameOptions) -> str:
    """How points are won, in one line."""
    *first, last = (f"{points} ({DIFFICULTY_LABELS[level].lower()})" for level, points in BASE_POINTS.items())
    bonuses = "speed and streaks" if options.speed_bonus else "streaks"
    return f"Right answers score {', '.join(first)} or {last}, plus bonuses for {bonuses}."


def intro_embed(options: GameOptions) -> discord.Embed:
    """The card a night opens with: how many questions, how long each, how scoring works."""
    what = plural(options.questions, "question")
    if options.difficulty:
        what = f"{what}, {options.difficulty}"
    if len(options.categories) == 1:
        what = f"{what}, all {escape(options.categories[0])}"
    embed = discord.Embed(
        title="🎉 Trivia night starts now!",
        description=(
            f"**{what}** · {plural(options.seconds, 'second')} each\n"
            "React with the letter of your answer before time runs out.\n"
            f"{scoring_line(options)}"
        ),
        colour=QUESTION_COLOUR,
    )
    embed.set_footer(text="The first question follows right away.")
    return embed


def next_question_line(number: int, total: int, at_unix: int) -> str:
    """When the next question of a night comes, as a Discord timestamp that counts down by itself."""
    return f"Question {number} of {total} <t:{at_unix}:R>"
