"""Per-server game settings: their defaults, allowed ranges and validation."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

ANSWER_MODES = ("latest", "first")


class SettingValueError(ValueError):
    """A setting value is out of range; the message is shown to the member."""


@dataclass(frozen=True, slots=True)
class Range:
    low: int
    high: int


RANGES: dict[str, Range] = {
    "answer_seconds": Range(5, 120),
    "questions_per_game": Range(1, 50),
    "break_seconds": Range(0, 60),
    "auto_stop": Range(1, 20),
}


@dataclass(frozen=True, slots=True)
class ServerSettings:
    answer_seconds: int = 20
    questions_per_game: int = 1
    break_seconds: int = 5
    categories: tuple[str, ...] = ()  # empty: every category
    starter_role_id: int | None = None  # None: everyone may start games
    channel_ids: tuple[int, ...] = ()  # empty: every channel
    answer_mode: str = "latest"  # latest pick counts, or the first pick locks
    secret_answers: bool = False
    speed_bonus: bool = True
    auto_stop: int = 3  # questions in a row nobody answered before the game ends

    def __post_init__(self) -> None:
        for name, allowed in RANGES.items():
            value = getattr(self, name)
            if not allowed.low <= value <= allowed.high:
                raise SettingValueError(f"{name.replace('_', ' ')} must be between {allowed.low} and {allowed.high}, not {value}")
        if self.answer_mode not in ANSWER_MODES:
            raise SettingValueError(f"answer mode must be one of {', '.join(ANSWER_MODES)}")

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
