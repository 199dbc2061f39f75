"""All-numeric choices: which lists count, their values, and that the bot shows them ascending."""

from __future__ import annotations

import random

import pytest

from bot.game.rounds import AskedQuestion
from bot.questions.model import Question
from bot.questions.numeric import answer_rank, ascending_order, numeric_values


@pytest.mark.parametrize(
    ("choices", "values"),
    [
        (["1969", "1972", "1958", "1961"], (1969, 1972, 1958, 1961)),
        (["1,500 km", "15,000 km", "150 km", "1,250.5 km"], (1500, 15000, 150, 1250.5)),
        (["$6 million", "$60 million", "$600 million", "$6 billion"], (6e6, 6e7, 6e8, 6e9)),
        (["−40", "-32", "0", "40"], (-40, -32, 0, 40)),
        (["−196 °C", "−100 °C", "−459.67 °C", "−273.15 °C"], (-196, -100, -459.67, -273.15)),
        (["One", "three", "Twenty", "Zero"], (1, 3, 20, 0)),
        (["1 year", "5 years", "10 years", "Two years"], (1, 5, 10, 2)),
        (["About 300,000 km per second", "About 30,000 km per second"], (300000, 30000)),
        (["50%", "25%", "75%", "100%"], (50, 25, 75, 100)),
        (["£2.50", "£3", "£0.99", "£10"], (2.5, 3, 0.99, 10)),
        (["1.5", ".5", "2", "10"], (1.5, 0.5, 2, 10)),
    ],
)
def test_numeric_lists_and_their_values(choices, values) -> None:
    assert numeric_values(choices) == pytest.approx(values)


@pytest.mark.parametrize(
    "choices",
    [
        ["Apollo 1", "Apollo 8", "Apollo 11", "Apollo 13"],  # names, not numbers
        ["About 8 seconds", "About 8 minutes", "About 8 hours", "About 1 second"],  # units differ
        ["$6 million", "£6 million", "$60 million", "$600 million"],  # currencies differ
        ["1 May 1916", "16 June 1904", "25 December 1899", "31 October 1910"],  # dates
        ["6.022 × 10^23", "6.626 × 10^-34", "1.602 × 10^-19", "2.998 × 10^8"],
        ["1939–1945", "1914–1918", "1950–1953", "1955–1975"],  # ranges
        ["1st", "2nd", "3rd", "4th"],
        ["Mercury", "Venus", "Mars", "Earth"],
        ["Seven", "Eight", "Nine", "Twenty-one"],  # past the words we read
        ["12", "Twelve Angry Men", "7", "9"],
        ["choice 0", "choice 1", "choice 2", "choice 3"],
        [],
    ],
)
def test_other_lists_are_not_numeric(choices) -> None:
    assert numeric_values(choices) is None
    assert ascending_order(choices) is None


def question(choices: tuple[str, ...], answer: str) -> Question:
    return Question(id="q", text="How many?", choices=choices, answer=answer, category="Test")


def test_numeric_choices_are_shown_ascending_whatever_the_seed() -> None:
    q = question(("1989", "1991", "1985", "1987"), "1989")
    for seed in range(10):
        asked = AskedQuestion.shuffled(q, random.Random(seed))
        assert asked.choices == ("1985", "1987", "1989", "1991")
        assert asked.choices[asked.correct] == "1989"
    assert answer_rank(q.choices, q.answer) == 2


def test_words_and_scales_sort_by_value_not_by_text() -> None:
    q = question(("$6 billion", "$60 million", "$6 million", "$600 million"), "$6 million")
    assert AskedQuestion.shuffled(q, random.Random(1)).choices == ("$6 million", "$60 million", "$600 million", "$6 billion")
    words = question(("Twelve", "Three", "Eight", "Ten"), "Eight")
    assert AskedQuestion.shuffled(words, random.Random(1)).choices == ("Three", "Eight", "Ten", "Twelve")


def test_other_choices_are_still_shuffled() -> None:
    q = question(("Apollo 1", "Apollo 8", "Apollo 11", "Apollo 13"), "Apollo 13")
    orders = {AskedQuestion.shuffled(q, random.Random(seed)).order for seed in range(20)}
    assert len(orders) > 1
