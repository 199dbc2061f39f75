"""Running totals and streaks within one game (a trivia night)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from bot.game.rounds import PlayerOutcome, RoundResult


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    name: str
    points: int
    correct: int


@dataclass
class GameStandings:
    points: dict[int, int] = field(default_factory=dict)
    correct: dict[int, int] = field(default_factory=dict)
    streaks: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    reached_at: dict[int, int] = field(default_factory=dict)
    rounds: int = 0

    def apply(self, result: RoundResult) -> None:
        """Add a scored round: totals grow, streaks grow on right answers and reset otherwise."""
        self.apply_outcomes(result.outcomes)

    def apply_outcomes(self, outcomes: Iterable[PlayerOutcome]) -> None:
        """Add one round's scored answers (also used to rebuild a game after a restart)."""
        self.rounds += 1
        answered = set()
        for outcome in outcomes:
            answered.add(outcome.user_id)
            self.names[outcome.user_id] = outcome.name or self.names.get(outcome.user_id, "")
            self.points[outcome.user_id] = self.points.get(outcome.user_id, 0) + outcome.points
            self.streaks[outcome.user_id] = outcome.streak
            if outcome.correct:
                self.correct[outcome.user_id] = self.correct.get(outcome.user_id, 0) + 1
                self.reached_at[outcome.user_id] = self.rounds
        for user_id in self.streaks.keys() - answered:
            self.streaks[user_id] = 0

    def ranking(self) -> list[Standing]:
        """Best first; ties go to whoever reached the total in an earlier round."""
        order = sorted(self.points, key=lambda u: (-self.points[u], self.reached_at.get(u, 0), u))
        return [Standing(u, self.names.get(u, ""), self.points[u], self.correct.get(u, 0)) for u in order]
