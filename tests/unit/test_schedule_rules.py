"""Scheduled nights without Discord: reading `when`, repeats at the same local time across DST, lengths."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.game.options import GameOptions
from bot.game.schedule import (
    MAX_AHEAD,
    Occurrence,
    ScheduleError,
    at_local_time,
    next_occurrence,
    night_length,
    parse_when,
)
from bot.game.server_settings import ServerSettings, SettingValueError
from bot.game.timezones import canonical_timezone, timezone_names

NOW = datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# --- when ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 30m", utc(2026, 1, 1, 12, 30)),  # on the whole minute
        ("in 2h", utc(2026, 1, 1, 14, 0)),
        ("in 1d", utc(2026, 1, 2, 12, 0)),
        ("IN 1h 30m", utc(2026, 1, 1, 13, 30)),
        ("in 45 minutes", utc(2026, 1, 1, 12, 45)),
        ("in 2 weeks", utc(2026, 1, 15, 12, 0)),
    ],
)
def test_relative_times_count_from_now(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, BERLIN).at == expected


def test_absolute_times_are_read_in_the_servers_time_zone() -> None:
    winter = parse_when("2026-02-06 20:00", NOW, BERLIN)
    assert winter == Occurrence(utc(2026, 2, 6, 19, 0), BERLIN, time(20, 0))  # CET, UTC+1
    summer = parse_when("2026-07-03 20:00", NOW, BERLIN)
    assert summer.at == utc(2026, 7, 3, 18, 0)  # CEST, UTC+2
    assert parse_when("2026-07-03 20:00", NOW, "America/New_York").at == utc(2026, 7, 4, 0, 0)
    assert parse_when(" 2026-01-05T09:05 ", NOW, "UTC").at == utc(2026, 1, 5, 9, 5)


def test_relative_times_keep_the_local_wall_time_for_repeats() -> None:
    assert parse_when("in 2h", NOW, BERLIN).local_time == time(15, 0)  # 14:00 UTC is 15:00 in Berlin


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow", "I can't read that time. Write it like"),
        ("in soon", "I can't read that time."),
        ("in 5 parsecs", "I don't know the unit “parsecs”."),
        ("2026-02-30 20:00", "2026-02-30 20:00 is not a real date and time."),
        ("2026-01-01 12:00", "That time has already passed."),
        ("2025-12-31 20:00", "That time has already passed."),
        ("2027-01-02 12:00", "That is more than a year ahead."),
        ("in 366d", "That is more than a year ahead."),
        ("in 99999999999999999999d", "That is more than a year ahead."),
        ("9999-12-31 23:59", "That is more than a year ahead."),
        ("0001-01-01 00:00", "That time has already passed."),
        ("2026-03-29 02:30", "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks skip that hour"),
    ],
)
def test_unusable_times_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_when(text, NOW, BERLIN)
    assert str(refused.value).startswith(message)


def test_a_year_ahead_is_the_limit() -> None:
    assert parse_when("in 365d", NOW, BERLIN).at - NOW <= MAX_AHEAD


def test_a_wall_time_that_happens_twice_is_its_first() -> None:
    # 2026-10-25: Berlin's clocks go back from 03:00 CEST to 02:00 CET; 02:30 happens twice.
    assert parse_when("2026-10-25 02:30", NOW, BERLIN).at == utc(2026, 10, 25, 0, 30)  # 02:30 CEST


# --- repeats --------------------------------------------------------------------------------------------

def test_weekly_repeats_keep_the_local_time_across_both_daylight_saving_changes() -> None:
    night = parse_when("2026-03-20 20:00", NOW, BERLIN)
    starts = []
    for _ in range(3):
        night = next_occurrence(night, "weekly", night.at)
        starts.append(night.at)
    # Clocks go forward on Sunday 2026-03-29: 20:00 moves from 19:00 UTC to 18:00 UTC.
    assert starts == [utc(2026, 3, 27, 19, 0), utc(2026, 4, 3, 18, 0), utc(2026, 4, 10, 18, 0)]
    autumn = parse_when("2026-10-23 20:00", NOW, BERLIN)
    assert next_occurrence(autumn, "weekly", autumn.at).at == utc(2026, 10, 30, 19, 0)  # back to CET on 25 Oct


def test_daily_repeats_over_a_skipped_hour_move_later_then_return() -> None:
    night = parse_when("2026-03-28 02:30", NOW, BERLIN)
    skipped = next_occurrence(night, "daily", night.at)
    assert skipped.at == utc(2026, 3, 29, 1, 30)  # 02:30 does not exist that day: 03:30 CEST
    assert skipped.local_time == time(2, 30)  # the schedule keeps its wall time
    assert next_occurrence(skipped, "daily", skipped.at).at == utc(2026, 3, 30, 0, 30)  # 02:30 CEST


def test_a_missed_stretch_skips_to_the_first_night_still_ahead() -> None:
    night = parse_when("2026-01-05 20:00", NOW, BERLIN)  # a Monday
    back = utc(2026, 2, 11, 9, 0)  # the bot was down for five weeks
    assert next_occurrence(night, "weekly", back).at == utc(2026, 2, 16, 19, 0)
    assert next_occurrence(night, "daily", back).at == utc(2026, 2, 11, 19, 0)
    assert next_occurrence(night, "daily", utc(2026, 2, 11, 19, 0)).at == utc(2026, 2, 12, 19, 0)  # strictly after


def test_one_off_nights_do_not_repeat() -> None:
    night = parse_when("in 1h", NOW, BERLIN)
    assert next_occurrence(night, "none", night.at) is None


def test_local_times_convert_to_utc() -> None:
    assert at_local_time(datetime(2026, 6, 1).date(), time(9, 0), "Asia/Tokyo") == utc(2026, 6, 1, 0, 0)


# --- lengths --------------------------------------------------------------------------------------------

def test_a_nights_length_covers_its_questions_and_breaks_plus_slack() -> None:
    assert night_length(GameOptions(questions=2, seconds=20, break_seconds=5)) == timedelta(minutes=6)
    assert night_length(GameOptions(questions=10, seconds=30, break_seconds=10)) == timedelta(minutes=12)


# --- the time zone setting ------------------------------------------------------------------------------

def test_time_zone_names_match_without_regard_to_case() -> None:
    assert canonical_timezone(" europe/berlin ") == BERLIN
    assert canonical_timezone("Mars/Olympus_Mons") is None
    assert "Europe/Berlin" in timezone_names("BERL")


def test_the_time_zone_setting_takes_known_zones_only() -> None:
    assert ServerSettings().timezone == "UTC"
    assert ServerSettings(timezone=BERLIN).timezone == BERLIN
    with pytest.raises(SettingValueError, match="no time zone called"):
        ServerSettings(timezone="Europe/Atlantis")
    stored = ServerSettings(timezone=BERLIN, schedule_reminder_minutes=30).to_json()
    assert ServerSettings.from_json(stored) == ServerSettings(timezone=BERLIN, schedule_reminder_minutes=30)
