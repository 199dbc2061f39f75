"""Leaderboard periods and where each one starts (calendar boundaries in UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum


class Period(Enum):
    ALL_TIME = "all-time"
    MONTH = "this month"
    WEEK = "this week"
    TODAY = "today"
    LAST_GAME = "last game"


def period_start(period: Period, now: datetime) -> float | None:
    """Unix time the period starts at, in UTC (weeks start on Monday); None for all-time and last game."""
    now = now.astimezone(timezone.utc)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period is Period.TODAY:
        return midnight.timestamp()
    if period is Period.WEEK:
        return (midnight - timedelta(days=midnight.weekday())).timestamp()
    if period is Period.MONTH:
        return midnight.replace(day=1).timestamp()
    return None


# Running totals are kept per calendar bucket; a bucket's key names the period containing a time.
# (The SQL backfill in bot/storage/migrations.py computes the same keys; keep them in step.)
BUCKET_PERIODS = (Period.MONTH, Period.WEEK, Period.TODAY)
ALL_TIME_BUCKET = "all"
DAY_SECONDS = 86400.0  # a UTC day: unix time has no leap seconds


def bucket_key(period: Period, at: float) -> str:
    """The key of the ``period`` bucket (UTC month, ISO week by its Monday, or day) holding unix time ``at``."""
    day = datetime.fromtimestamp(at, timezone.utc).date()
    if period is Period.MONTH:
        return f"m:{day:%Y-%m}"
    if period is Period.WEEK:
        return f"w:{(day - timedelta(days=day.weekday())).isoformat()}"
    if period is Period.TODAY:
        return f"d:{day.isoformat()}"
    raise ValueError(f"{period.value} has no calendar bucket")


def day_buckets(day: int) -> list[str]:
    """The calendar buckets (month, week, day) holding UTC day number ``day`` (unix time // DAY_SECONDS)."""
    return [bucket_key(period, day * DAY_SECONDS) for period in BUCKET_PERIODS]


def game_bucket(game_id: int) -> str:
    return f"g:{game_id}"
