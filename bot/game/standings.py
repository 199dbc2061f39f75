"""Running totals and streaks within one game (a trivia night), and the one ranking rule.

**The ranking rule** (the only place it is defined; every board follows it): more points rank higher;
between equal totals, whoever *reached* the total first ranks higher, where reaching it means the answer
that last raised the player's total, so within one round the faster answer wins; a player whose total
was never raised (0 points) comes after everyone who scored; and the user id settles the rest, so the
order is total. :func:`rank_key` is the rule as a sort key. In a game, "when" is (round number,
response time); the storage backends mirror it with the time of that answer (the round's opening time
plus the response time), which orders the same within a game and extends it to boards spanning games.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from bot.game.rounds import PlayerOutcome, RoundResult


def rank_key(points: int, reached: Any | None, user_id: int) -> tuple[Any, ...]:
    """Sort key for the ranking rule (see the module docstring): best first when sorted ascending.

    ``reached`` is when the total was last raised (any comparable value, None if it never was).
    """
    return (-points, reached is None, reached if reached is not None else 0, user_id)



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
    # When each total was last raised: (round number, response ms) of that answer.
    reached_at: dict[int, tuple[int, int]] = field(default_factory=dict)
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
            if outcome.points > 0:
                self.reached_at[outcome.user_id] = (self.rounds, outcome.response_ms)
        for user_id in self.streaks.keys() - answered:
            self.streaks[user_id] = 0

    def ranking(self) -> list[Standing]:
        """Best first, by the ranking rule: ties go to whoever reached the total first (an earlier round,
        then the faster answer in that round)."""
        order = sorted(self.points, key=lambda u: rank_key(self.points[u], self.reached_at.get(u), u))
        return [Standing(u, self.names.get(u, ""), self.points[u], self.correct.get(u, 0)) for u in order]
