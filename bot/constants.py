"""Emoji, colours and limits the Discord-facing code shares."""

from __future__ import annotations

import discord

from bot.questions.model import DIFFICULTIES

# Regional indicator letters 🇦 … 🇯, one per choice (packs allow at most 10 choices).
LETTERS: tuple[str, ...] = tuple(chr(0x1F1E6 + i) for i in range(10))
LETTER_CHOICES: dict[str, int] = {letter: index for index, letter in enumerate(LETTERS)}

DIFFICULTY_LABELS: dict[str, str] = {difficulty: difficulty.capitalize() for difficulty in DIFFICULTIES}

QUESTION_COLOUR = discord.Colour.blurple()
REVEAL_COLOUR = discord.Colour.green()
BOARD_COLOUR = discord.Colour.gold()

BOARD_PAGE_SIZE = 10
BOARD_VIEW_TIMEOUT = 300  # seconds the page buttons stay usable

# Nobody is ever pinged by the bot, whatever a question or a name contains.
NO_PINGS = discord.AllowedMentions.none()


def letter_index(emoji: str) -> int | None:
    """The choice index of a letter reaction, or None for any other emoji."""
    return LETTER_CHOICES.get(emoji)
