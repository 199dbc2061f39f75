"""Asked questions, scoring a round, and running totals within a game."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.game.answers import AnswerSheet, Pick
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult, score_round
from bot.game.standings import GameStandings
from bot.questions.model import Question


def make_question(answer_index: int = 2, count: int = 4, difficulty: str = "medium") -> Question:
    choices = tuple(f"choice {i}" for i in range(count))
    return Question(
        id="q-1", text="Which one?", choices=choices, answer=choices[answer_index],
        category="Test", difficulty=difficulty, explanation="Because.",
    )


# --- AskedQuestion.shuffled ---------------------------------------------------

@settings(max_examples=200)
@given(count=st.integers(min_value=2, max_value=10), data=st.data(), seed=st.integers())
def test_shuffled_keeps_the_answer_findable(count: int, data, seed: int) -> None:
    answer_index = data.draw(st.integers(min_value=0, max_value=count - 1))
    question = make_question(answer_index, count)
    asked = AskedQuestion.shuffled(question, random.Random(seed))
    assert sorted(asked.order) == list(range(count))
    assert sorted(asked.choices) == sorted(question.choices)
    assert asked.choices[asked.correct] == question.answer


def test_shuffled_is_deterministic_for_a_seed_and_actually_shuffles() -> None:
    question = make_question(count=10)
    a = AskedQuestion.shuffled(question, random.Random(7))
    b = AskedQuestion.shuffled(question, random.Random(7))
    assert a.order == b.order
    orders = {AskedQuestion.shuffled(question, random.Random(seed)).order for seed in range(20)}
    assert len(orders) > 1


def test_correct_is_the_displayed_index_not_the_original_one() -> None:
    question = make_question(answer_index=0)
    asked = AskedQuestion(question, (3, 2, 1, 0))
    assert asked.choices == ("choice 3", "choice 2", "choice 1", "choice 0")
    assert asked.correct == 3


# --- score_round -----------------------------------------------------------------

def test_score_round_orders_best_first_then_fastest() -> None:
    asked = AskedQuestion(make_question(answer_index=1), (0, 1, 2, 3))  # correct displayed index 1
    opened = 1000.0
    picks = {
        10: Pick(1, opened + 10.0),  # right, slow
        11: Pick(0, opened + 1.0),   # wrong, fast
        12: Pick(1, opened + 2.5),   # right, fast
        13: Pick(3, opened + 0.5),   # wrong, fastest
    }
    names = {10: "Slow", 11: "Wrong", 12: "Fast", 13: "Wrong2"}
    result = score_round(asked, picks, names, opened, window_seconds=20.0)
    assert [o.user_id for o in result.outcomes] == [12, 10, 13, 11]
    by_user = {o.user_id: o for o in result.outcomes}
    fast = by_user[12]
    assert (fast.name, fast.choice, fast.correct, fast.response_ms) == ("Fast", 1, True, 2500)
    assert fast.points == 150 + int(75 * (1 - 2.5 / 20))
    assert by_user[10].points == 150 + int(75 * 0.5)
    assert by_user[10].response_ms == 10000
    assert by_user[11].points == 0 and not by_user[11].correct
    assert by_user[13].response_ms == 500
    assert [o.user_id for o in result.winners] == [12, 10]
    assert result.counts() == [1, 2, 0, 1]


def test_score_round_equal_points_and_time_break_ties_by_user_id() -> None:
    asked = AskedQuestion(make_question(answer_index=0), (0, 1, 2, 3))
    picks = {5: Pick(0, 3.0), 2: Pick(0, 3.0)}
    result = score_round(asked, picks, {}, opened_at=0.0, window_seconds=20.0, speed_bonus_enabled=False)
    assert [o.user_id for o in result.outcomes] == [2, 5]
    assert all(o.points == 150 and o.name == "" for o in result.outcomes)


def test_score_round_response_ms_is_rounded_and_never_negative() -> None:
    asked = AskedQuestion(make_question(answer_index=0), (0, 1, 2, 3))
    picks = {1: Pick(0, 99.0), 2: Pick(0, 100.0014), 3: Pick(0, 100.0016)}
    result = score_round(asked, picks, {}, opened_at=100.0, window_seconds=20.0)
    by_user = {o.user_id: o for o in result.outcomes}
    assert by_user[1].response_ms == 0  # reaction seen before the recorded open time
    assert by_user[2].response_ms == 1
    assert by_user[3].response_ms == 2


def test_score_round_uses_streaks_and_speed_toggle() -> None:
    asked = AskedQuestion(make_question(answer_index=0, difficulty="hard"), (0, 1, 2, 3))
    picks = {1: Pick(0, 0.0), 2: Pick(0, 0.0), 3: Pick(1, 0.0)}
    result = score_round(asked, picks, {}, 0.0, 20.0, streaks={1: 2, 3: 4}, speed_bonus_enabled=False)
    points = {o.user_id: o.points for o in result.outcomes}
    assert points == {1: 240, 2: 200, 3: 0}


def test_score_round_from_an_answer_sheet() -> None:
    asked = AskedQuestion(make_question(answer_index=2), (2, 0, 1, 3))  # answer shown first (A)
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=2.0, name="Ann")
    sheet.add(1, 3, at=3.0)
    sheet.remove(1, 3)  # back to A
    sheet.add(2, 3, at=1.0, name="Bob")
    result = score_round(asked, sheet.final(), sheet.names, 0.0, 20.0)
    assert [(o.name, o.correct) for o in result.outcomes] == [("Ann", True), ("Bob", False)]
    assert result.outcomes[0].response_ms == 2000


def test_score_round_with_no_answers() -> None:
    asked = AskedQuestion(make_question(), (0, 1, 2, 3))
    result = score_round(asked, {}, {}, 0.0, 20.0)
    assert result.outcomes == () and result.winners == [] and result.counts() == [0, 0, 0, 0]


# --- GameStandings -----------------------------------------------------------------

ASKED = AskedQuestion(make_question(answer_index=0), (0, 1, 2, 3))  # displayed A is right
RIGHT, WRONG = 0, 1


def play(game: GameStandings, answers: dict[int, int], *, at: float = 20.0, asked: AskedQuestion = ASKED) -> RoundResult:
    """Score one round the way a game does (streaks from the standings) and add it."""
    picks = {user: Pick(choice, at) for user, choice in answers.items()}
    names = {user: f"user{user}" for user in answers}
    result = score_round(asked, picks, names, 0.0, 20.0, dict(game.streaks))
    game.apply(result)
    return result


def test_streak_grows_on_right_answers_and_resets_on_a_wrong_one() -> None:
    game = GameStandings()
    play(game, {1: RIGHT})
    play(game, {1: RIGHT})
    assert game.streaks[1] == 2
    play(game, {1: WRONG})
    assert game.streaks[1] == 0
    play(game, {1: RIGHT})
    assert game.streaks[1] == 1
    assert game.correct[1] == 3
    # At the deadline (no speed bonus): 150, 150 + 15 (one before), 0, 150 (streak broken).
    assert game.points[1] == 150 + 165 + 0 + 150
    assert game.rounds == 4


def test_streak_resets_when_a_player_does_not_answer() -> None:
    game = GameStandings()
    play(game, {1: RIGHT, 2: RIGHT})
    play(game, {2: RIGHT})  # player 1 skipped
    assert game.streaks == {1: 0, 2: 2}
    result = play(game, {1: RIGHT, 2: RIGHT})
    points = {o.user_id: o.points for o in result.outcomes}
    assert points == {1: 150, 2: 150 + 30}  # player 1's streak bonus was lost by skipping
    play(game, {})  # nobody answered
    assert game.streaks == {1: 0, 2: 0}
    assert game.rounds == 4


def test_streak_bonus_is_capped_after_five_in_a_row() -> None:
    game = GameStandings()
    per_round = [play(game, {1: RIGHT}).outcomes[0].points for _ in range(8)]
    assert per_round == [150, 165, 180, 195, 210, 225, 225, 225]
    assert game.streaks[1] == 8


def test_ranking_by_points_then_who_reached_the_total_first() -> None:
    game = GameStandings()
    # Round 1: user 9 right. Round 2: user 3 right. Both end on 150; user 5 answers a hard one.
    play(game, {9: RIGHT, 3: WRONG})
    play(game, {3: RIGHT, 9: WRONG})
    hard = AskedQuestion(make_question(answer_index=0, difficulty="hard"), (0, 1, 2, 3))
    play(game, {5: RIGHT}, asked=hard)
    ranking = game.ranking()
    assert [s.user_id for s in ranking] == [5, 9, 3]  # 9 tied with 3 but got there in round 1
    assert [s.points for s in ranking] == [200, 150, 150]
    assert [s.correct for s in ranking] == [1, 1, 1]
    assert ranking[1].name == "user9"


def test_ranking_tie_goes_to_the_earlier_player_even_with_a_higher_user_id() -> None:
    game = GameStandings()
    play(game, {200: RIGHT})
    play(game, {100: RIGHT})
    assert [s.user_id for s in game.ranking()] == [200, 100]


def test_a_later_wrong_answer_does_not_change_when_the_total_was_reached() -> None:
    game = GameStandings()
    play(game, {2: RIGHT})  # round 1: user 2 reaches 150
    play(game, {1: RIGHT, 2: WRONG})  # round 2: user 1 reaches 150, user 2 only answers wrong
    assert [s.user_id for s in game.ranking()] == [2, 1]


def test_players_with_only_wrong_answers_rank_last_with_zero() -> None:
    game = GameStandings()
    play(game, {1: WRONG, 2: RIGHT})
    ranking = game.ranking()
    assert [(s.user_id, s.points, s.correct) for s in ranking] == [(2, 150, 1), (1, 0, 0)]


def test_name_kept_when_a_later_outcome_has_none() -> None:
    game = GameStandings()
    game.apply(RoundResult(ASKED, (PlayerOutcome(1, "Ann", 0, True, 150, 10),)))
    game.apply(RoundResult(ASKED, (PlayerOutcome(1, "", 0, True, 150, 10),)))
    assert game.ranking()[0].name == "Ann"
    assert game.points[1] == 300


def test_a_tie_within_one_round_goes_to_the_faster_answer() -> None:
    game = GameStandings()
    # Equal points on purpose (no speed bonus in play here): only the response time differs.
    game.apply_outcomes([PlayerOutcome(7, "slow", 0, True, 150, 9000), PlayerOutcome(8, "fast", 0, True, 150, 4000)])
    assert [s.user_id for s in game.ranking()] == [8, 7]
    # A later round decides over the faster answer of an earlier one.
    game.apply_outcomes([PlayerOutcome(8, "fast", 0, True, 150, 100), PlayerOutcome(7, "slow", 0, True, 150, 50)])
    assert [s.user_id for s in game.ranking()] == [7, 8]  # 7 reached 300 at round 2 +50 ms, 8 at +100 ms


def test_rank_key_puts_never_raised_totals_after_scored_ones_and_settles_by_user_id() -> None:
    from bot.game.standings import rank_key

    rows = [(0, None, 3), (150, (2, 10), 9), (150, (1, 900), 4), (0, None, 1), (200, (3, 0), 5), (150, (1, 900), 2)]
    assert [u for _, _, u in sorted(rows, key=lambda r: rank_key(*r))] == [5, 2, 4, 9, 1, 3]
