"""The pure game flow: numbering, breaks, stops, auto-stop, end reasons and a resumed night."""

from __future__ import annotations

from bot.game.flow import GameFlow
from bot.game.options import EndReason, GameOptions
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question

QUESTION = Question(
    id="q-1", text="Which planet is closest to the Sun?", choices=("Mercury", "Venus", "Mars", "Earth"),
    answer="Mercury", category="Space", difficulty="easy", explanation="Mercury orbits closest.",
)


def result(*outcomes: PlayerOutcome) -> RoundResult:
    return RoundResult(AskedQuestion(QUESTION, (0, 1, 2, 3)), outcomes)


def right(user_id: int, points: int = 100, streak: int = 1) -> PlayerOutcome:
    return PlayerOutcome(user_id, f"player {user_id}", 0, True, points, 1000, streak)


def test_a_night_asks_each_question_in_turn_then_completes() -> None:
    flow = GameFlow(GameOptions(questions=3))
    numbers = []
    while (number := flow.next_question()) is not None:
        numbers.append(number)
        flow.scored(result(right(1)))
    assert numbers == [1, 2, 3]
    assert flow.reason is EndReason.COMPLETED
    assert flow.standings.points == {1: 300}


def test_breaks_come_before_every_question_but_the_first() -> None:
    assert [GameFlow.break_before(n) for n in (1, 2, 3)] == [False, True, True]


def test_a_stop_ends_the_game_before_the_next_question_and_names_who_stopped_it() -> None:
    flow = GameFlow(GameOptions(questions=5))
    assert flow.next_question() == 1
    flow.request_stop(42)
    flow.request_stop(7)  # the first request is the one named
    flow.scored(result(right(1)))
    assert flow.next_question() is None
    assert flow.reason is EndReason.STOPPED and flow.stopped_by == 42


def test_auto_stop_after_the_set_number_of_unanswered_questions_in_a_row() -> None:
    flow = GameFlow(GameOptions(questions=10, auto_stop=2))
    flow.scored(result())
    flow.scored(result(right(1)))  # an answered question resets the count
    flow.scored(result())
    assert flow.next_question() == 4
    flow.scored(result())
    assert flow.next_question() is None
    assert flow.reason is EndReason.NO_ANSWERS and flow.asked == 4


def test_an_unanswered_last_question_completes_the_game_rather_than_auto_stopping_it() -> None:
    flow = GameFlow(GameOptions(questions=2, auto_stop=1))
    flow.scored(result(right(1)))
    flow.scored(result())
    assert flow.next_question() is None and flow.reason is EndReason.COMPLETED


def test_a_voided_question_counts_as_asked_but_not_as_unanswered() -> None:
    flow = GameFlow(GameOptions(questions=3, auto_stop=1))
    flow.voided()
    assert flow.next_question() == 2
    assert flow.unanswered_in_a_row == 0


def test_the_first_end_reason_stands() -> None:
    flow = GameFlow(GameOptions(questions=3))
    flow.end(EndReason.DISCORD_FAILED)
    flow.end(EndReason.NO_QUESTIONS)
    assert flow.next_question() is None and flow.reason is EndReason.DISCORD_FAILED


def test_a_resumed_night_carries_on_from_its_saved_rounds() -> None:
    saved = [[right(1, 150, 1)], [right(1, 160, 2), right(2, 100, 1)]]
    flow = GameFlow.resumed(GameOptions(questions=5), rounds_played=3, outcomes=saved)  # one round was voided
    assert flow.next_question() == 4
    assert flow.standings.points == {1: 310, 2: 100}
    assert flow.standings.streaks == {1: 2, 2: 1}
