"""The documented points rule (bot/game/scoring.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.game.scoring import base_points, score_answer, speed_bonus, streak_bonus

WINDOW = 20.0


@pytest.mark.parametrize(("difficulty", "base"), [("easy", 100), ("medium", 150), ("hard", 200)])
def test_base_points_by_difficulty(difficulty: str, base: int) -> None:
    assert base_points(difficulty) == base
    # Answering exactly at the deadline with no streak earns the base alone.
    assert score_answer(difficulty, True, WINDOW, WINDOW) == base


def test_unknown_difficulty_scores_as_medium() -> None:
    assert base_points("impossible") == 150


@pytest.mark.parametrize(("difficulty", "base"), [("easy", 100), ("medium", 150), ("hard", 200)])
def test_instant_answer_gets_half_the_base_as_speed_bonus(difficulty: str, base: int) -> None:
    assert score_answer(difficulty, True, 0.0, WINDOW) == base + base // 2


def test_speed_bonus_falls_linearly_to_zero_at_the_deadline() -> None:
    # hard: base 200, full speed bonus 100.
    assert speed_bonus(200, 0.0, 20.0) == 100
    assert speed_bonus(200, 5.0, 20.0) == 75
    assert speed_bonus(200, 10.0, 20.0) == 50
    assert speed_bonus(200, 15.0, 20.0) == 25
    assert speed_bonus(200, 20.0, 20.0) == 0
    assert score_answer("hard", True, 10.0, 20.0) == 250


def test_speed_bonus_is_clamped_outside_the_window() -> None:
    assert speed_bonus(200, -3.0, 20.0) == 100  # clock skew: never more than the full bonus
    assert speed_bonus(200, 99.0, 20.0) == 0  # late: never negative
    assert speed_bonus(200, 1.0, 0.0) == 0  # no window, no bonus


def test_speed_bonus_never_increases_with_time() -> None:
    values = [speed_bonus(150, t / 10, 20.0) for t in range(0, 201)]
    assert values == sorted(values, reverse=True)
    assert values[0] == 75 and values[-1] == 0


def test_streak_bonus_is_a_tenth_per_previous_correct_answer_up_to_half() -> None:
    assert [streak_bonus(200, n) for n in range(8)] == [0, 20, 40, 60, 80, 100, 100, 100]
    assert streak_bonus(100, 3) == 30
    assert streak_bonus(150, -1) == 0
    # At the deadline (no speed bonus) the streak adds on top of the base.
    assert score_answer("easy", True, WINDOW, WINDOW, streak_before=2) == 120
    assert score_answer("medium", True, WINDOW, WINDOW, streak_before=9) == 150 + 75


def test_full_formula_combines_base_speed_and_streak() -> None:
    # medium, 5 s into a 20 s window, 3 correct before: 150 + int(75 * 0.75) + 45.
    assert score_answer("medium", True, 5.0, 20.0, streak_before=3) == 150 + 56 + 45


def test_wrong_answer_scores_zero_whatever_the_speed_and_streak() -> None:
    assert score_answer("hard", False, 0.0, WINDOW, streak_before=5) == 0


def test_speed_bonus_off() -> None:
    assert score_answer("hard", True, 0.0, WINDOW, speed_bonus_enabled=False) == 200
    assert score_answer("hard", True, 0.0, WINDOW, streak_before=2, speed_bonus_enabled=False) == 240
    assert score_answer("easy", False, 0.0, WINDOW, speed_bonus_enabled=False) == 0


difficulties = st.sampled_from(["easy", "medium", "hard"])
times = st.floats(min_value=-10, max_value=500, allow_nan=False)
windows = st.floats(min_value=0, max_value=300, allow_nan=False)
streaks = st.integers(min_value=-3, max_value=50)


@settings(max_examples=500)
@given(
    right=st.tuples(difficulties, times, windows, streaks, st.booleans()),
    wrong=st.tuples(difficulties, times, windows, streaks, st.booleans()),
)
def test_a_correct_answer_always_beats_a_wrong_one(right, wrong) -> None:
    d1, t1, w1, s1, speed1 = right
    d2, t2, w2, s2, speed2 = wrong
    won = score_answer(d1, True, t1, w1, s1, speed1)
    lost = score_answer(d2, False, t2, w2, s2, speed2)
    assert lost == 0
    assert won > lost
    base = base_points(d1)
    assert base <= won <= base + base // 2 + base // 2


@settings(max_examples=300)
@given(difficulty=difficulties, t=times, window=windows, streak=streaks)
def test_speed_bonus_on_never_scores_less_than_off(difficulty, t, window, streak) -> None:
    on = score_answer(difficulty, True, t, window, streak, True)
    off = score_answer(difficulty, True, t, window, streak, False)
    assert on >= off == base_points(difficulty) + streak_bonus(base_points(difficulty), streak)
