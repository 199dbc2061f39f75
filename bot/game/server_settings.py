"""Per-server game settings: their defaults, allowed ranges and validation."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Literal, get_args

from bot.game.timezones import UTC_NAME, canonical_timezone

# How picks count: the latest pick counts, or the first pick locks. Slash commands take AnswerMode as
# their option type, so the choices Discord shows come from this one definition.
AnswerMode = Literal["latest", "first"]
ANSWER_MODES: tuple[AnswerMode, ...] = get_args(AnswerMode)


class SettingValueError(ValueError):
    """A setting value is out of range; the message is shown to the member."""


@dataclass(frozen=True, slots=True)
class Range:
    """The whole numbers a setting allows, and how its slash-command option describes it."""

    low: int
    high: int
    description: str = ""  # what the setting is, without its range
    unit: str = ""  # the unit the range is shown in, e.g. "seconds"

    @property
    def help(self) -> str:
        """The option's description with the range, e.g. "Default answer time, 5-120 seconds"."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.description}, {self.low}-{self.high}{unit}"


RANGES: dict[str, Range] = {
    "answer_seconds": Range(5, 120, "Default answer time", "seconds"),
    "questions_per_game": Range(1, 50, "Questions in a game when /trivia doesn't say"),
    "break_seconds": Range(0, 60, "Pause between a reveal and the next question", "seconds"),
    "auto_stop": Range(1, 20, "End a game after this many questions in a row nobody answered"),
    "schedule_reminder_minutes": Range(0, 1440, "Remind the channel before a scheduled night (0: no reminder)", "minutes"),
}


@dataclass(frozen=True, slots=True)
class ServerSettings:
    answer_seconds: int = 20
    questions_per_game: int = 1
    break_seconds: int = 5
    categories: tuple[str, ...] = ()  # empty: every category
    starter_role_id: int | None = None  # None: everyone may start games
    channel_ids: tuple[int, ...] = ()  # empty: every channel
    answer_mode: AnswerMode = "latest"
    secret_answers: bool = False
    speed_bonus: bool = True
    auto_stop: int = 3  # questions in a row nobody answered before the game ends
    timezone: str = UTC_NAME  # IANA name scheduled nights' dates and times are read in
    schedule_reminder_minutes: int = 15  # 0: no reminder before a scheduled night

    def __post_init__(self) -> None:
        for name, allowed in RANGES.items():
            value = getattr(self, name)
            if not allowed.low <= value <= allowed.high:
                raise SettingValueError(f"{name.replace('_', ' ')} must be between {allowed.low} and {allowed.high}, not {value}")
        if self.answer_mode not in ANSWER_MODES:
            raise SettingValueError(f"answer mode must be one of {', '.join(ANSWER_MODES)}")
        if self.timezone != UTC_NAME and canonical_timezone(self.timezone) != self.timezone:
            raise SettingValueError(
                f"there is no time zone called “{self.timezone}”; use a name such as Europe/Berlin or America/New_York"
            )

    def changed(self, **changes: object) -> ServerSettings:
        """A copy with ``changes`` applied and checked."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, defaults: ServerSettings | None = None) -> ServerSettings:
        """Stored settings; unknown keys (from a newer version) are dropped, missing ones take defaults."""
        base = dataclasses.asdict(defaults or cls())
        stored = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        base.update({k: v for k, v in stored.items() if k in known})
        base["categories"] = tuple(base["categories"])
        base["channel_ids"] = tuple(base["channel_ids"])
        try:
            return cls(**base)
        except SettingValueError:
            return defaults or cls()
