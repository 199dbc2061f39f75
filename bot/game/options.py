"""How a game is played (chosen at /trivia from the server's settings) and why it ended."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import Enum, auto


class EndReason(Enum):
    """Why a game ended. The wording players see lives in ``bot.ui.embeds.ENDINGS``."""

    COMPLETED = auto()
    STOPPED = auto()
    NO_ANSWERS = auto()
    NO_QUESTIONS = auto()
    DISCORD_FAILED = auto()


@dataclass(frozen=True, slots=True)
class GameOptions:
    questions: int = 1
    seconds: int = 20
    break_seconds: int = 5
    categories: tuple[str, ...] = ()  # empty: any category
    difficulty: str | None = None
    first_pick_locks: bool = False
    secret_answers: bool = False
    speed_bonus: bool = True
    auto_stop: int = 3

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> GameOptions:
        """Saved options; anything unreadable falls back to the defaults."""
        known = {f.name for f in dataclasses.fields(cls)}
        try:
            values = {k: v for k, v in json.loads(text).items() if k in known}
            values["categories"] = tuple(values.get("categories", ()))
            return cls(**values)
        except (ValueError, TypeError, AttributeError):
            return cls()
