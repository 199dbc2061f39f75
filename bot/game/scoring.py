"""The points rule, as pure functions.

points = base + speed bonus + streak bonus, for a correct answer; 0 otherwise.

* base: easy 100, medium 150, hard 200.
* speed bonus: up to half the base, falling linearly from the moment the
  question appears (full bonus) to the deadline (none).
* streak bonus: a tenth of the base for each correct answer in a row the player
  gave just before this one in the same game, at most five tenths.

A correct answer is always worth at least its base, so it always beats a wrong
or missing one, which scores 0.
"""

from __future__ import annotations

BASE_POINTS: dict[str, int] = {"easy": 100, "medium": 150, "hard": 200}
SPEED_SHARE = 0.5
STREAK_SHARE = 0.1
MAX_STREAK_STEPS = 5


def base_points(difficulty: str) -> int:
    return BASE_POINTS.get(difficulty, BASE_POINTS["medium"])


def speed_bonus(base: int, response_seconds: float, window_seconds: float) -> int:
    """Bonus for answering early: full at 0 s, nothing at the deadline."""
    if window_seconds <= 0:
        return 0
    remaining = 1.0 - min(max(response_seconds, 0.0), window_seconds) / window_seconds
    return int(base * SPEED_SHARE * remaining)


def streak_bonus(base: int, streak_before: int) -> int:
    """Bonus for the correct answers given in a row just before this one."""
    return int(base * STREAK_SHARE * min(max(streak_before, 0), MAX_STREAK_STEPS))


def score_answer(
    difficulty: str,
    correct: bool,
    response_seconds: float,
    window_seconds: float,
    streak_before: int = 0,
    speed_bonus_enabled: bool = True,
) -> int:
    """Points for one answer under the documented rule."""
    if not correct:
        return 0
    base = base_points(difficulty)
    speed = speed_bonus(base, response_seconds, window_seconds) if speed_bonus_enabled else 0
    return base + speed + streak_bonus(base, streak_before)
