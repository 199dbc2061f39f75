"""The question on screen in one channel and the answers seen so far."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import discord

from bot.game.answers import AnswerSheet
from bot.game.rounds import AskedQuestion
from bot.storage.records import OpenRound


@dataclass(slots=True)
class LiveRound:
    asked: AskedQuestion
    message: discord.Message
    number: int
    opened_at: float  # loop clock
    opened_unix: float
    deadline_unix: float
    sheet: AnswerSheet
    drops_at_open: int  # the bot's gateway connection drops when this question went up
    record: OpenRound  # as saved; its id is None while the database refused it
    shown_answered: int = 0
    answered_edit: asyncio.Task[None] | None = None

    @property
    def deadline(self) -> float:
        """When answers stop counting, on the loop clock."""
        return self.opened_at + (self.deadline_unix - self.opened_unix)

    @property
    def round_id(self) -> int | None:
        return self.record.id

    @property
    def choice_count(self) -> int:
        return len(self.asked.choices)
