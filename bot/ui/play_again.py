"""The "Play again" button under a night's final standings.

A :class:`discord.ui.DynamicItem`: the kind of night (questions, seconds, category, difficulty) is
written into the button's custom id, so the button works on any old message, after any restart,
and the bot keeps nothing per button. A click is handed to the ``trivia_play_again`` event, where
the trivia cog checks the member like ``/trivia`` does and starts the game.
"""

from __future__ import annotations

from dataclasses import dataclass
from re import Match
from typing import Any

import discord

from bot.game.options import GameOptions
from bot.ui.limits import CUSTOM_ID

PREFIX = "trivia:again"
ANY = "any"


@dataclass(frozen=True, slots=True)
class NightChoices:
    """What ``/trivia`` was asked for, so the same kind of night can be planned again."""

    questions: int
    seconds: int
    category: str | None = None
    difficulty: str | None = None

    @classmethod
    def of(cls, options: GameOptions) -> NightChoices:
        category = options.categories[0] if len(options.categories) == 1 else None
        return cls(options.questions, options.seconds, category, options.difficulty)

    def custom_id(self) -> str:
        custom_id = f"{PREFIX}:{self.questions}:{self.seconds}:{self.difficulty or ANY}:{self.category or ''}"
        # A category too long for the id is dropped: the night then draws from the server's categories.
        return custom_id if len(custom_id) <= CUSTOM_ID else custom_id[: custom_id.rindex(":") + 1]


class PlayAgainButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"{PREFIX}:(?P<questions>\d+):(?P<seconds>\d+):(?P<difficulty>easy|medium|hard|{ANY}):(?P<category>.*)",
):
    def __init__(self, choices: NightChoices) -> None:
        super().__init__(
            discord.ui.Button(label="Play again", emoji="🔁", style=discord.ButtonStyle.primary, custom_id=choices.custom_id())
        )
        self.choices = choices

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Match[str], /
    ) -> PlayAgainButton:
        difficulty = match["difficulty"]
        return cls(
            NightChoices(int(match["questions"]), int(match["seconds"]), match["category"] or None,
                         None if difficulty == ANY else difficulty)
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch("trivia_play_again", interaction, self.choices)


def play_again_view(options: GameOptions) -> discord.ui.View:
    """A view holding only the button: nothing is stored per message (dynamic items need no view state)."""
    view = discord.ui.View(timeout=None)
    view.add_item(PlayAgainButton(NightChoices.of(options)))
    return view
