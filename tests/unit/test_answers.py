"""AnswerSheet: which pick counts, from a stream of reaction adds and removes."""

from __future__ import annotations

import pytest

from bot.game.answers import AnswerSheet, Pick


def test_single_pick_counts() -> None:
    sheet = AnswerSheet(4)
    assert sheet.add(1, 2, at=1.5, name="Ann")
    assert sheet.final() == {1: Pick(2, 1.5)}
    assert sheet.names == {1: "Ann"}


def test_latest_still_present_pick_counts() -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=1.0)
    sheet.add(1, 3, at=2.0)
    sheet.add(1, 1, at=3.0)
    assert sheet.final()[1] == Pick(1, 3.0)


@pytest.mark.parametrize(
    ("removed", "left"),
    [
        pytest.param(3, Pick(0, 1.0), id="removing_the_latest_pick_restores_the_earlier_one"),
        pytest.param(0, Pick(3, 2.0), id="removing_an_earlier_pick_keeps_the_latest"),
    ],
)
def test_removing_one_of_two_picks_leaves_the_other(removed: int, left: Pick) -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=1.0)
    sheet.add(1, 3, at=2.0)
    assert sheet.remove(1, removed)
    assert sheet.final()[1] == left


def test_removing_every_pick_withdraws_the_answer() -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 2, at=1.0)
    sheet.add(2, 1, at=1.2)
    assert sheet.remove(1, 2)
    assert 1 not in sheet.final()
    assert set(sheet.final()) == {2}
    assert sheet.counts() == [0, 1, 0, 0]


def test_removing_something_never_added_is_a_no_op() -> None:
    sheet = AnswerSheet(4)
    assert not sheet.remove(1, 0)
    sheet.add(1, 2, at=1.0)
    assert not sheet.remove(1, 0)
    assert not sheet.remove(9, 2)
    assert sheet.final() == {1: Pick(2, 1.0)}


def test_re_adding_a_removed_pick_makes_it_the_latest_with_the_new_time() -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=1.0)
    sheet.add(1, 2, at=2.0)
    sheet.remove(1, 0)
    assert sheet.add(1, 0, at=5.0)
    assert sheet.final()[1] == Pick(0, 5.0)


def test_adding_a_pick_already_held_changes_nothing() -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=1.0)
    sheet.add(1, 2, at=2.0)
    assert not sheet.add(1, 0, at=3.0)  # duplicate reaction event
    assert sheet.final()[1] == Pick(2, 2.0)


def test_out_of_range_choice_is_ignored() -> None:
    sheet = AnswerSheet(3)
    assert not sheet.add(1, 3, at=1.0)
    assert not sheet.add(1, -1, at=1.0)
    assert sheet.final() == {}
    sheet.add(1, 1, at=2.0)
    assert not sheet.add(1, 7, at=3.0)
    assert sheet.final() == {1: Pick(1, 2.0)}
    assert sheet.counts() == [0, 1, 0]


def test_counts_one_choice_per_player() -> None:
    sheet = AnswerSheet(4)
    sheet.add(1, 0, at=1.0)
    sheet.add(1, 1, at=2.0)  # player 1 ends on B
    sheet.add(2, 1, at=1.5)
    sheet.add(3, 3, at=1.7)
    sheet.add(4, 0, at=1.1)
    sheet.add(4, 2, at=1.9)
    sheet.remove(4, 2)  # player 4 back on A
    assert sheet.counts() == [1, 2, 0, 1]
    assert sum(sheet.counts()) == len(sheet.final()) == 4


def test_empty_sheet() -> None:
    sheet = AnswerSheet(2)
    assert sheet.final() == {}
    assert sheet.counts() == [0, 0]


def test_clearing_a_letter_or_every_letter_withdraws_those_picks():
    sheet = AnswerSheet(3)
    sheet.add(1, 0, 1.0)
    sheet.add(1, 1, 2.0)
    sheet.add(2, 0, 3.0)
    sheet.add(3, 2, 4.0)
    sheet.clear(1)
    assert sheet.final() == {1: Pick(0, 1.0), 2: Pick(0, 3.0), 3: Pick(2, 4.0)}
    sheet.clear(0)
    assert sheet.final() == {3: Pick(2, 4.0)}
    sheet.clear()
    assert sheet.final() == {} and len(sheet) == 0


def test_clearing_changes_nothing_when_the_first_pick_locks():
    sheet = AnswerSheet(3, first_pick_locks=True)
    sheet.add(1, 0, 1.0)
    sheet.clear()
    assert sheet.final() == {1: Pick(0, 1.0)}
