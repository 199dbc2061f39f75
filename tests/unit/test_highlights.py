"""Highlights of a night, from its scored rounds, and the results card's text that any font can draw."""

from __future__ import annotations

import datetime
import io

from PIL import Image

from bot.game.highlights import Fastest, PlayedRound, Streak, Toughest, night_highlights
from bot.game.rounds import PlayerOutcome
from bot.ui.results_card import Podium, draw_results_card, drawable


def answer(user_id: int, correct: bool, response_ms: int = 5000, streak: int = 0) -> PlayerOutcome:
    return PlayerOutcome(user_id, f"player {user_id}", 0 if correct else 1, correct, 100 if correct else 0, response_ms, streak)


def test_fastest_right_answer_longest_streak_and_toughest_question() -> None:
    rounds = [
        PlayedRound("q1", (answer(1, True, 4000, 1), answer(2, True, 3000, 1), answer(3, False, 100))),
        PlayedRound("q2", (answer(1, True, 2500, 2), answer(2, False, 900), answer(3, False, 800))),
        PlayedRound("q3", ()),  # nobody answered: no share to compare
        PlayedRound("q4", (answer(1, True, 6000, 3), answer(2, True, 2500, 1))),
    ]
    highlights = night_highlights(rounds)
    assert highlights.fastest == Fastest(1, 2500)  # a wrong answer is never the fastest; a tie goes to the first
    assert highlights.streak == Streak(1, 3)
    assert highlights.toughest == Toughest("q2", 1, 3)


def test_a_night_without_right_answers_or_streaks_has_only_what_happened() -> None:
    highlights = night_highlights([PlayedRound("q1", (answer(1, False),)), PlayedRound("q2", (answer(1, True, streak=1),))])
    assert highlights.streak is None  # one right answer is not a streak
    assert highlights.toughest == Toughest("q1", 0, 1)
    assert not night_highlights([PlayedRound("q1", ())])


def test_one_answered_question_names_no_toughest_question() -> None:
    assert night_highlights([PlayedRound("q1", (answer(1, False),))]).toughest is None


def test_characters_the_font_lacks_are_left_out_never_drawn_as_boxes() -> None:
    assert drawable("dave 🎉") == "dave"
    assert drawable("Ἀθηνᾶ Жанна") == "Ἀθηνᾶ Жанна"  # Greek and Cyrillic are in the font
    assert drawable("a\u0000b\u200bc") == "abc"
    assert drawable("🔥🔥") == ""


def test_the_card_is_a_16_by_9_png_whatever_the_names() -> None:
    names = ["田中", "🔥" * 40, "x" * 300, "", "Ünïcødé"]
    png = draw_results_card("Quiz 🎲 Club", datetime.datetime(2026, 3, 14), [Podium(n, 1000 * i) for i, n in enumerate(names)], "5 players")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 675)
