"""Rows the storage layer hands back (plain data, no Discord, no SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.game.periods import Period


@dataclass(frozen=True, slots=True)
class HiddenPick:
    """A pick kept on an open question (a secret answer, or any pick at shutdown): the choice and how many
    seconds after posting it came."""

    user_id: int
    choice: int
    seconds: float
    name: str = ""


@dataclass(frozen=True, slots=True)
class OpenRound:
    """A round as saved when its question is posted, enough to finish it after a restart."""

    guild_id: int
    channel_id: int
    message_id: int
    question_id: str
    choice_order: tuple[int, ...]
    seconds: float
    opened_at: float  # unix seconds
    deadline: float  # unix seconds
    game_id: int | None = None
    id: int | None = None
    category: str = ""


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    user_id: int
    name: str
    points: int
    correct: int
    answered: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class BoardFilter:
    """Which answers a leaderboard counts: all of a server's, those since a time, or one game's.

    ``period`` (month, week or today) says that ``since`` is the start of that calendar period (UTC),
    so a backend may serve the board from its running totals for that period.
    """

    since: float | None = None
    game_id: int | None = None
    period: Period | None = None


@dataclass(frozen=True, slots=True)
class PlayerStats:
    user_id: int
    name: str
    points: int
    rank: int
    answered: int
    correct: int
    best_streak: int
    fastest_correct_ms: int | None
    favourite_category: str | None

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class GameRecord:
    """A game as saved when it started; ``options`` is the JSON of its GameOptions."""

    id: int
    guild_id: int
    channel_id: int
    host_id: int
    questions_planned: int
    options: str
    rounds_played: int  # rounds no longer open (closed or void)
    ended_at: float | None = None  # unix seconds; None while the game runs (or was cut short by a restart)


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """A round of a game as stored: ``status`` is "open", "closed" (scored) or "void" (not counted)."""

    id: int
    game_id: int | None
    question_id: str
    status: str
    opened_at: float  # unix seconds
    closed_at: float | None
    category: str = ""


@dataclass(frozen=True, slots=True)
class CustomPackRecord:
    """A server's uploaded question pack, stored as the YAML it was uploaded as."""

    guild_id: int
    name: str
    yaml: str
    question_count: int
    uploaded_by: int
    uploaded_at: float  # unix seconds


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message players must see, kept in the outbox until it is posted (or cannot be) and its round saved.

    ``kind`` is "reveal" (``key``: the question's message id) or "final" (``key``: the game id);
    ``payload`` is JSON the session layer writes and reads back.
    """

    kind: str
    key: int
    guild_id: int
    channel_id: int
    payload: str
    created_at: float
    posted: bool = False  # posted already; kept until what it announces (a round) is saved


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    """A scheduled night (and its repeats) as stored. ``choices`` is the JSON of the game options the
    scheduler asked for (questions, seconds, category, difficulty), planned afresh at each start."""

    guild_id: int
    channel_id: int
    host_id: int  # the member who scheduled it: the host of its games
    title: str
    choices: str
    repeat: str  # "none", "daily" or "weekly"
    timezone: str  # IANA name the repeats keep their local time in
    local_time: str  # "HH:MM", the local wall-clock time of every occurrence
    next_at: float  # unix seconds: the start of the next (or the now playing) night
    remind_at: float | None = None  # unix seconds; None once reminded (or with reminders off)
    event_id: int | None = None  # the Discord event of the next night, if the bot could create one
    game_id: int | None = None  # the game of the night now playing
    id: int | None = None
