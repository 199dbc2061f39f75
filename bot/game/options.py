"""How a game is played (chosen at /trivia from the server's settings) and why it ended."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from enum import Enum, auto

from bot.game.server_settings import ServerSettings


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

    @classmethod
    def compose(
        cls,
        config: ServerSettings,
        *,
        questions: int | None = None,
        seconds: int | None = None,
        categories: tuple[str, ...] | None = None,
        difficulty: str | None = None,
    ) -> GameOptions:
        """A game's options: what the starter asked for, the server's settings for the rest."""
        return cls(
            questions=questions or config.questions_per_game,
            seconds=seconds or config.answer_seconds,
            break_seconds=config.break_seconds,
            categories=config.categories if categories is None else categories,
            difficulty=difficulty,
            first_pick_locks=config.answer_mode == "first",
            secret_answers=config.secret_answers,
            speed_bonus=config.speed_bonus,
            auto_stop=config.auto_stop,
        )

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
