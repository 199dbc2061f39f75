"""Plain data types for questions and packs (no Discord, no YAML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

# The one definition of the difficulties, easiest first. Slash commands take Difficulty as their
# option type, so the choices Discord shows come from here too.
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = get_args(Difficulty)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    choices: tuple[str, ...]
    answer: str
    category: str
    difficulty: str = "medium"
    explanation: str = ""
    learn_more: str | None = None
    image: str | None = None  # shown on the question itself (a picture question)
    reveal_image: str | None = None  # shown on the reveal instead (for example the answer's picture)
    tags: tuple[str, ...] = ()
    pack: str = ""
    line: int = field(default=0, compare=False)  # where the question starts in its pack file

    @property
    def answer_index(self) -> int:
        return self.choices.index(self.answer)


@dataclass(frozen=True, slots=True)
class PackInfo:
    name: str
    description: str = ""
    author: str = ""
    license: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Pack:
    info: PackInfo
    questions: tuple[Question, ...] = field(default_factory=tuple)
