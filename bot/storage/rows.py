"""What every SQL backend computes the same way outside its SQL: which running-totals bucket a board
reads, the buckets a round close adds each answer to, and rows of answers folded back into rounds."""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from bot.game.highlights import PlayedRound
from bot.game.periods import ALL_TIME_BUCKET, BUCKET_PERIODS, DAY_SECONDS, bucket_key, day_buckets, game_bucket
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.storage.records import BoardFilter, OpenRound


def board_bucket(board: BoardFilter) -> str | None:
    """The running-totals bucket that holds exactly the answers ``board`` selects, if one does."""
    if board.game_id is not None:
        return game_bucket(board.game_id) if board.since is None else None
    if board.since is None:
        return ALL_TIME_BUCKET
    if board.period in BUCKET_PERIODS:
        return bucket_key(board.period, board.since)
    return None  # an arbitrary start time: counted from the answers


def answered_at(opened_at: float, outcome: PlayerOutcome) -> float:
    """When an answer came, in unix seconds: the round's opening plus the response time."""
    return opened_at + outcome.response_ms / 1000


def bucket_rows(result: RoundResult, opened_at: float) -> list[tuple[Any, ...]]:
    """(bucket, user, points, correct, answered at, streak, response ms) for the all-time bucket and the
    calendar buckets each answer of a round adds to: the answer's own values, since what a total keeps
    of them (when it was reached, the fastest right answer) is the storage's SQL.

    The calendar buckets are worked out once per UTC day the answers fall on (one, unless the round
    crossed midnight), not per answer: a thousand answers would otherwise cost three thousand dates.
    """
    days: dict[int, list[str]] = {}
    rows: list[tuple[Any, ...]] = []
    for o in result.outcomes:
        at = answered_at(opened_at, o)
        day = int(at // DAY_SECONDS)
        calendar = days.get(day)
        if calendar is None:
            calendar = days[day] = day_buckets(day)
        answer = (o.user_id, o.points, int(o.correct), at, o.streak, o.response_ms)
        rows += [(bucket, *answer) for bucket in (ALL_TIME_BUCKET, *calendar)]
    return rows


def played_rounds_from(rows: Iterable[Sequence[Any]]) -> list[PlayedRound]:
    """Rounds from (round id, question id, user, name, choice, correct, points, response ms, streak) rows,
    in the rows' order; a round nobody answered comes as one row whose user is NULL."""
    questions: dict[int, str] = {}
    outcomes: dict[int, list[PlayerOutcome]] = {}
    for round_id, question_id, user_id, name, choice, correct, points, response_ms, streak in rows:
        questions[round_id] = question_id
        answers = outcomes.setdefault(round_id, [])
        if user_id is not None:
            answers.append(PlayerOutcome(user_id, name, choice, bool(correct), points, response_ms, streak))
    return [PlayedRound(questions[r], tuple(outcomes[r])) for r in questions]


def open_round_from(row: Sequence[Any]) -> OpenRound:
    """An OpenRound from (guild, channel, message, question, choice order JSON, seconds, opened, deadline,
    game, id, category)."""
    return OpenRound(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6], row[7], row[8], row[9], row[10])
