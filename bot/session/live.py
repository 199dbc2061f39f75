"""The question on screen in one channel and the answers seen so far."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import discord

from bot.game.answers import AnswerSheet, Pick
from bot.game.rounds import AskedQuestion
from bot.storage.records import HiddenPick, OpenRound


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

    def kept_pick(self, user_id: int) -> HiddenPick | None:
        """A player's counted pick as storage keeps it: the time as seconds after the question went up."""
        pick = self.sheet.pick_of(user_id)
        return None if pick is None else self._kept(user_id, pick)

    def kept_picks(self) -> list[HiddenPick]:
        """Every player's counted pick, as storage keeps them."""
        return [self._kept(user_id, pick) for user_id, pick in self.sheet.final().items()]

    def _kept(self, user_id: int, pick: Pick) -> HiddenPick:
        return HiddenPick(user_id, pick.choice, pick.at - self.opened_at, self.sheet.names.get(user_id, ""))

    def restore(self, picks: list[HiddenPick]) -> None:
        """Put kept picks back on the sheet, with their times (a resumed question)."""
        for kept in picks:
            self.sheet.add(kept.user_id, kept.choice, self.opened_at + kept.seconds, kept.name)
