"""Validation problems that point at a place in a pack file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One problem found in a pack, located by file, line and column (1-based)."""

    source: str
    line: int
    column: int
    message: str
    field: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}"
        kind = "warning" if self.warning else "error"
        about = f"{self.field}: " if self.field else ""
        return f"{where}: {kind}: {about}{self.message}"
