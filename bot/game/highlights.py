"""Highlights of a trivia night, worked out from its scored rounds (no Discord, no storage).

The game keeps its rounds while it runs; a game resumed after a restart reads the earlier ones
back from storage (``Storage.played_rounds``), so the finale sees the whole night either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.game.rounds import PlayerOutcome, RoundResult

MIN_STREAK = 2  # one right answer is not a streak


@dataclass(frozen=True, slots=True)
class PlayedRound:
    """One scored round of a night: which question it was and every answer to it."""

    question_id: str
    outcomes: tuple[PlayerOutcome, ...]

    @classmethod
    def of(cls, result: RoundResult) -> PlayedRound:
        return cls(result.asked.question.id, result.outcomes)


@dataclass(frozen=True, slots=True)
class Fastest:
    user_id: int
    response_ms: int


@dataclass(frozen=True, slots=True)
class Streak:
    user_id: int
    length: int


@dataclass(frozen=True, slots=True)
class Toughest:
    """The question the smallest share of its answerers got right."""

    question_id: str
    correct: int
    answered: int


@dataclass(frozen=True, slots=True)
class Highlights:
    fastest: Fastest | None = None
    streak: Streak | None = None
    toughest: Toughest | None = None

    def __bool__(self) -> bool:
        return any((self.fastest, self.streak, self.toughest))


def night_highlights(rounds: Sequence[PlayedRound]) -> Highlights:
    """The fastest right answer, the longest streak and the toughest question of a night.

    Ties go to whoever (or whichever question) came first. The toughest question is only named
    when a night had more than one answered question, since with one there is nothing to compare.
    """
    fastest: Fastest | None = None
    streak: Streak | None = None
    answered_rounds: list[Toughest] = []
    for played in rounds:
        for outcome in played.outcomes:
            if outcome.correct and (fastest is None or outcome.response_ms < fastest.response_ms):
                fastest = Fastest(outcome.user_id, outcome.response_ms)
            if outcome.streak >= MIN_STREAK and (streak is None or outcome.streak > streak.length):
                streak = Streak(outcome.user_id, outcome.streak)
        if played.outcomes:
            right = sum(o.correct for o in played.outcomes)
            answered_rounds.append(Toughest(played.question_id, right, len(played.outcomes)))
    toughest = None
    if len(answered_rounds) > 1:
        toughest = min(answered_rounds, key=lambda t: (t.correct / t.answered, t.correct))
    return Highlights(fastest, streak, toughest)
