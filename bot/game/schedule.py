"""Scheduled nights without Discord: reading `when`, repeat rules, the next occurrence, a night's length.

Times are aware UTC datetimes; a schedule remembers its time zone and its local wall-clock time, so a
weekly night at 20:00 stays at 20:00 local time across daylight-saving changes.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from bot.game.options import GameOptions
from bot.game.server_settings import ServerSettings

Repeat = Literal["none", "daily", "weekly"]
REPEATS: tuple[Repeat, ...] = get_args(Repeat)
REPEAT_DAYS: dict[Repeat, int] = {"daily": 1, "weekly": 7}



def repeat_rule(text: str) -> Repeat:
    """The repeat rule ``text`` names; anything unknown (from a newer version) is a one-off night."""
    return next((rule for rule in REPEATS if rule == text), "none")


MAX_SCHEDULES = 25  # per server
MAX_AHEAD = timedelta(days=365)
START_GRACE = timedelta(minutes=10)  # a night due while the bot was down still starts this long after its time
GAME_WAIT = timedelta(minutes=10)  # how long a night waits for a game already running in its channel
NIGHT_SLACK = timedelta(minutes=5)  # added to a night's estimated length for its event's end time
DEFAULT_TITLE = "Trivia Night"

ABSOLUTE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})")
RELATIVE = re.compile(r"in\s+(.+)", re.IGNORECASE)
AMOUNT = re.compile(r"(\d+)\s*([a-z]+)", re.IGNORECASE)
UNIT_MINUTES = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("d", "day", "days"), 24 * 60),
    **dict.fromkeys(("w", "week", "weeks"), 7 * 24 * 60),
}
EXAMPLES = "`2026-05-01 20:00` (in the server's time zone) or `in 30m`, `in 2h`, `in 1d`"
UNREADABLE = f"I can't read that time. Write it like {EXAMPLES}."
PASSED = "That time has already passed. Pick a time in the future."
TOO_FAR = "That is more than a year ahead. Schedule nights at most a year in advance."


class ScheduleError(ValueError):
    """A schedule can't be made as asked; the message says why, for the member."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """When a night happens: the instant, and the zone and wall-clock time its repeats keep."""

    at: datetime  # aware, UTC
    timezone: str
    local_time: time


def parse_when(text: str, now: datetime, timezone: str) -> Occurrence:
    """Read `when` as typed: ``YYYY-MM-DD HH:MM`` in ``timezone``, or ``in 30m`` / ``in 2h 30m`` / ``in 1d``.

    Relative times are counted from ``now`` and fall on the whole minute. The time must be in the
    future and at most a year ahead; :class:`ScheduleError` says what is wrong otherwise.
    """
    tz = ZoneInfo(timezone)
    typed = text.strip()
    if match := ABSOLUTE.fullmatch(typed):
        at = _local_instant(match, tz, timezone)
    elif match := RELATIVE.fullmatch(typed):
        at = (now + _duration(match.group(1))).replace(second=0, microsecond=0)
    else:
        raise ScheduleError(UNREADABLE)
    if at <= now:
        raise ScheduleError(PASSED)
    if at - now > MAX_AHEAD:
        raise ScheduleError(TOO_FAR)
    local = at.astimezone(tz)
    return Occurrence(at, timezone, time(local.hour, local.minute))


def _local_instant(match: re.Match[str], tz: ZoneInfo, timezone: str) -> datetime:
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        wall = datetime(year, month, day, hour, minute)
    except ValueError:
        raise ScheduleError(f"{match.group(0)} is not a real date and time. Write it like {EXAMPLES}.") from None
    try:
        at = wall.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:  # the edge of the calendar, year 1 or 9999
        raise ScheduleError(TOO_FAR if year > 1 else PASSED) from None
    if at.astimezone(tz).replace(tzinfo=None) != wall:
        raise ScheduleError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {timezone}: the clocks skip that hour for daylight saving. "
            "Pick another time."
        )
    return at


def _duration(text: str) -> timedelta:
    parts = AMOUNT.findall(text)
    if not parts or AMOUNT.sub("", text).strip():
        raise ScheduleError(UNREADABLE)
    minutes = 0
    for amount, unit in parts:
        step = UNIT_MINUTES.get(unit.casefold())
        if step is None:
            raise ScheduleError(f"I don't know the unit “{unit}”. Use m (minutes), h (hours), d (days) or w (weeks).")
        minutes += int(amount) * step
    if minutes > MAX_AHEAD // timedelta(minutes=1):
        raise ScheduleError(TOO_FAR)
    return timedelta(minutes=minutes)


def at_local_time(day: date, wall: time, timezone: str) -> datetime:
    """The UTC instant of ``wall`` on ``day`` in ``timezone``. A wall time the clocks skip (spring
    forward) moves later by the skipped hour; one that happens twice (fall back) is the first."""
    return datetime.combine(day, wall, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def next_occurrence(previous: Occurrence, repeat: Repeat, after: datetime) -> Occurrence | None:
    """The first occurrence of a repeating night after ``after`` (None for a one-off night): at the
    same local wall-clock time, a day or a week on from ``previous`` (whole periods skipped past ``after``)."""
    days = REPEAT_DAYS.get(repeat)
    if days is None:
        return None
    local_day = previous.at.astimezone(ZoneInfo(previous.timezone)).date()
    behind = (after.astimezone(ZoneInfo(previous.timezone)).date() - local_day).days
    periods = max(1, behind // days)
    while True:
        candidate = at_local_time(local_day + timedelta(days=periods * days), previous.local_time, previous.timezone)
        if candidate > after:
            return Occurrence(candidate, previous.timezone, previous.local_time)
        periods += 1


def night_length(options: GameOptions) -> timedelta:
    """How long a night of these options may take, rounded up to whole minutes, for its event's end time."""
    playing = options.questions * options.seconds + (options.questions - 1) * options.break_seconds
    return timedelta(minutes=math.ceil(playing / 60)) + NIGHT_SLACK


@dataclass(frozen=True, slots=True)
class NightChoices:
    """What the scheduler asked for; the rest comes from the server's settings when the night starts."""

    questions: int | None = None
    seconds: int | None = None
    category: str | None = None
    difficulty: str | None = None

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in dataclasses.asdict(self).items() if v is not None}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> NightChoices:
        """Stored choices; anything unreadable falls back to the server's settings."""
        known = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in json.loads(text).items() if k in known})
        except (ValueError, TypeError, AttributeError):
            return cls()

    def options(self, config: ServerSettings) -> GameOptions:
        """The night's options under ``config`` (category and difficulty unchecked: see ``plan_game``)."""
        return GameOptions.compose(config, questions=self.questions, seconds=self.seconds)
