"""The reveal's answers chart, for every number of choices a pack allows."""

from __future__ import annotations

import re

import pytest

from bot.constants import LETTERS
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.ui.embeds import EMPTY_BAR, PICKED_BAR, RIGHT_BAR, reveal_embed

LINE = re.compile(rf"^(\S+) ([{RIGHT_BAR}{PICKED_BAR}{EMPTY_BAR}]{{10}}) (\d+) \((\d+)%\)( ✅)?$")


def chart(choices: int, picks: list[int]) -> list[re.Match[str]]:
    question = Question(
        id="q", text="Which?", choices=tuple(f"choice {i}" for i in range(choices)), answer="choice 1", category="Test"
    )
    outcomes = tuple(PlayerOutcome(user, "", pick, pick == 1, 0, 1000) for user, pick in enumerate(picks))
    embed = reveal_embed(RoundResult(AskedQuestion(question, tuple(range(choices))), outcomes))
    value = next(f.value for f in embed.fields if f.name == "Answers")
    assert len(value) <= 1024
    matches = [LINE.match(line) for line in value.splitlines()]
    assert all(matches), value
    return matches  # type: ignore[return-value]


@pytest.mark.parametrize("choices", range(2, 11))
def test_every_choice_has_its_letter_bar_count_and_share_and_only_the_right_one_is_marked(choices: int) -> None:
    picks = [0, 1, 1, choices - 1, 1, 0, 1]
    lines = chart(choices, picks)
    assert [m[1] for m in lines] == list(LETTERS[:choices])
    assert [int(m[3]) for m in lines] == [picks.count(i) for i in range(choices)]
    assert [m[5] is not None for m in lines] == [i == 1 for i in range(choices)]
    assert RIGHT_BAR in lines[1][2] and all(RIGHT_BAR not in m[2] for i, m in enumerate(lines) if i != 1)
    assert sum(int(m[4]) for m in lines) in range(99, 102)  # shares are rounded


def test_a_single_pick_still_shows_on_the_bar_and_nobody_answering_leaves_every_bar_empty() -> None:
    lines = chart(4, [1] * 30 + [2])
    assert lines[2][2].count(PICKED_BAR) == 1 and lines[2][4] == "3"
    assert all(m[2] == EMPTY_BAR * 10 and m[3] == "0" for m in chart(3, []))
