"""Validation problems that point at a place in a pack file."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One problem found in a pack, located by file, line and column (1-based)."""

    source: str
    line: int
    column: int
    message: str
    field: str | None = None
    warning: bool = False
    # Which rule was broken, for code that needs more than the sentence (e.g. an importer's skip
    # reasons): "missing", "empty", "not_text", "too_long", "link", "choice_count",
    # "duplicate_choice", "answer_not_choice", "not_allowed"; "" for the others.
    rule: str = dataclass_field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}"
        kind = "warning" if self.warning else "error"
        about = f"{self.field}: " if self.field else ""
        return f"{where}: {kind}: {about}{self.message}"
