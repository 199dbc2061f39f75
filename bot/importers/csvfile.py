"""A CSV sheet of questions to a pack.

The first row names the columns::

    question,answer,wrong_answers,category,difficulty,explanation,learn_more

``wrong_answers`` holds 1 to 9 answers separated by ``|``. difficulty,
explanation and learn_more may be left empty (difficulty then is medium) or
left out of the header. Skip reasons and errors give the file's line numbers.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import Iterator

from bot.importers.common import Collector, Draft, ImporterError
from bot.importers.packfile import ImportResult, check_target, questions_beside, save_pack

COLUMNS = ("question", "answer", "wrong_answers", "category", "difficulty", "explanation", "learn_more")
REQUIRED_COLUMNS = ("question", "answer", "wrong_answers", "category")
SEPARATOR = "|"


def slug(out: Path) -> str:
    """The id prefix for questions written to ``out``: its file name as lowercase words joined by -."""
    return re.sub(r"[^a-z0-9]+", "-", out.stem.lower()).strip("-")[:40].strip("-") or "csv"


def _read_text(source: Path) -> str:
    """The file as text (UTF-8, with or without Excel's byte order mark)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImporterError(f"{source}: error: cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImporterError(f"{source}:{line}: error: not UTF-8 text; save the sheet as CSV UTF-8") from None


def _check_header(source: Path, header: list[str]) -> list[str]:
    """The header's column names, lowercased; ImporterError if a column is unknown, repeated or missing."""
    names = [cell.strip().lower() for cell in header]
    for name in names:
        if name not in COLUMNS:
            near = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; the columns are {','.join(COLUMNS)}"
            raise ImporterError(f"{source}:1: error: unknown column {name!r}{hint}")
        if names.count(name) > 1:
            raise ImporterError(f"{source}:1: error: column {name!r} appears twice")
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImporterError(f"{source}:1: error: missing column(s) {', '.join(missing)}; the header must name {','.join(COLUMNS)}")
    return names


def read_rows(source: Path) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Each data row as (line where it starts, cells by column), or a reason it cannot be used.

    Blank rows are passed over. ImporterError for an unreadable file or header.
    """
    reader = csv.reader(io.StringIO(_read_text(source), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImporterError(f"{source}: error: the file is empty; the first row must be {','.join(COLUMNS)}")
        names = _check_header(source, header)
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                yield line, "more cells than header columns (put text with commas in double quotes)"
                continue
            yield line, dict(zip(names, [cell.strip() for cell in row] + [""] * (len(names) - len(row))))
    except csv.Error as exc:
        raise ImporterError(f"{source}:{reader.line_num}: error: not readable as CSV: {exc}") from None


def to_draft(cells: dict[str, str]) -> Draft:
    """One row's cells as a draft question (checked later by the collector)."""
    wrong_cell = cells["wrong_answers"]
    wrong = [w.strip() for w in wrong_cell.split(SEPARATOR)] if wrong_cell else []
    return Draft(
        question=cells["question"],
        answer=cells["answer"],
        choices=(cells["answer"], *wrong),
        category=cells["category"],
        difficulty=cells.get("difficulty", "").lower() or "medium",
        explanation=cells.get("explanation", ""),
        learn_more=cells.get("learn_more", ""),
    )


def import_csv(source: Path, out: Path, *, name: str | None = None, force: bool = False) -> ImportResult:
    """Convert a CSV sheet of questions into the pack file ``out``."""
    name = check_target(out, name, force)
    collector = Collector(slug(out), "line", questions_beside(out))
    for line, row in read_rows(source):
        collector.offer(line, row if isinstance(row, str) else to_draft(row))
    return save_pack(collector, source, out, name, {"description": f"Imported from {source.name}."}, force)
