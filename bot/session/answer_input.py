"""How players answer: the small interface between a game and its input (reactions today).

A game posts a question, asks its input to make it answerable, and at the deadline asks for the
picks to score. In between the input feeds the round's :class:`AnswerSheet` from whatever
players do. Another way of answering (buttons, a select menu) is one new class with these methods.
"""

from __future__ import annotations

from typing import Protocol

from bot.game.answers import Pick
from bot.session.live import LiveRound


class AnswerInput(Protocol):
    async def offer(self, live: LiveRound) -> None:
        """Start taking answers to the posted question and make it answerable."""
        ...

    def withdraw(self) -> LiveRound | None:
        """Stop taking answers (the deadline passed, or the round ended early); returns the round that was open."""
        ...

    async def collect(self, live: LiveRound, events_may_be_lost: bool) -> dict[int, Pick]:
        """The picks to score, checked against Discord when events may have been missed."""
        ...
