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
