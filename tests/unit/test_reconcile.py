"""Merging tracked picks with the reactions Discord reports, after events may have been lost."""

from __future__ import annotations

from bot.game.answers import AnswerSheet, Pick, reconcile

RIGHT, WRONG, OTHER = 0, 1, 2
DEADLINE = 30.0


def test_holders_counts_every_letter_a_player_holds():
    sheet = AnswerSheet(3)
    sheet.add(1, RIGHT, 1.0)
    sheet.add(1, WRONG, 2.0)
    sheet.add(2, WRONG, 3.0)
    assert sheet.holders() == [1, 2, 0]
    assert sheet.counts() == [0, 2, 0]  # one counted pick per player


def test_an_untracked_player_is_scored_from_reactions_at_the_deadline():
    merged = reconcile({}, {7: {RIGHT}}, RIGHT, DEADLINE, withdraw=True)
    assert merged == {7: Pick(RIGHT, DEADLINE)}


def test_a_tracked_pick_still_on_the_message_keeps_its_time():
    tracked = {7: Pick(RIGHT, 2.0)}
    assert reconcile(tracked, {7: {RIGHT, WRONG}}, RIGHT, DEADLINE, withdraw=True) == tracked


def test_a_tracked_pick_whose_reaction_is_gone_was_withdrawn_or_changed():
    tracked = {7: Pick(RIGHT, 2.0), 8: Pick(WRONG, 3.0)}
    merged = reconcile(tracked, {8: {OTHER}}, RIGHT, DEADLINE, withdraw=True)
    assert merged == {8: Pick(OTHER, DEADLINE)}


def test_untracked_hedging_scores_a_wrong_letter():
    merged = reconcile({}, {7: {RIGHT, OTHER}}, RIGHT, DEADLINE, withdraw=True)
    assert merged == {7: Pick(OTHER, DEADLINE)}


def test_hidden_or_locked_picks_stand_without_their_reactions():
    tracked = {7: Pick(RIGHT, 2.0)}
    merged = reconcile(tracked, {7: {WRONG}, 8: {RIGHT}}, RIGHT, DEADLINE, withdraw=False)
    assert merged == {7: Pick(RIGHT, 2.0), 8: Pick(RIGHT, DEADLINE)}
