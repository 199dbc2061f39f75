"""One asked question: its choices in the order shown, and scoring the answers once time is up."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.game.answers import Pick
from bot.game.scoring import score_answer
from bot.questions.model import Question
from bot.questions.numeric import ascending_order


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question as shown in one round: ``order[i]`` is the original index of displayed choice ``i``."""

    question: Question
    order: tuple[int, ...]

    @classmethod
    def shuffled(cls, question: Question, rng: random.Random) -> AskedQuestion:
        """The choices shuffled; all-numeric choices (years, amounts, counts) ascending instead, as quizzes show them."""
        ascending = ascending_order(question.choices)
        if ascending is not None:
            return cls(question, ascending)
        order = list(range(len(question.choices)))
        rng.shuffle(order)
        return cls(question, tuple(order))

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.question.choices[i] for i in self.order)

    @property
    def correct(self) -> int:
        """Displayed index of the right answer."""
        return self.order.index(self.question.answer_index)


@dataclass(frozen=True, slots=True)
class PlayerOutcome:
    user_id: int
    name: str
    choice: int
    correct: bool
    points: int
    response_ms: int
    streak: int = 0  # correct answers in a row in this game, this one included


@dataclass(frozen=True, slots=True)
class RoundResult:
    asked: AskedQuestion
    outcomes: tuple[PlayerOutcome, ...]

    @property
    def winners(self) -> list[PlayerOutcome]:
        return [o for o in self.outcomes if o.correct]

    def counts(self) -> list[int]:
        tally = [0] * len(self.asked.order)
        for outcome in self.outcomes:
            tally[outcome.choice] += 1
        return tally


def score_round(
    asked: AskedQuestion,
    picks: dict[int, Pick],
    names: dict[int, str],
    opened_at: float,
    window_seconds: float,
    streaks: dict[int, int] | None = None,
    speed_bonus_enabled: bool = True,
) -> RoundResult:
    """Score every player's counted pick. Outcomes are ordered best first, then fastest."""
    streaks = streaks or {}
    outcomes = []
    for user_id, pick in picks.items():
        response = max(pick.at - opened_at, 0.0)
        correct = pick.choice == asked.correct
        points = score_answer(
            asked.question.difficulty, correct, response, window_seconds,
            streaks.get(user_id, 0), speed_bonus_enabled,
        )
        streak = streaks.get(user_id, 0) + 1 if correct else 0
        outcomes.append(
            PlayerOutcome(user_id, names.get(user_id, ""), pick.choice, correct, points, round(response * 1000), streak)
        )
    outcomes.sort(key=lambda o: (-o.points, o.response_ms, o.user_id))
    return RoundResult(asked, tuple(outcomes))
