"""Reads pack files, validates them together and reports every problem.

A pack with errors is rejected as a whole; the other packs still load. Checks
that span packs (ids unique across packs, no repeated question text) reject the
later pack in file-name order, so the result does not depend on the file system.
Questions that give away another's answer are warned about across every pack
loaded (see :mod:`bot.questions.giveaways`).
"""

from __future__ import annotations

import gc
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from bot.questions import limits
from bot.questions.errors import PackProblem
from bot.questions.giveaways import giveaway_problems
from bot.questions.model import Pack, Question
from bot.questions.schema import check_pack
from bot.questions.yamlsource import YamlSourceError, load_located

PACK_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadReport:
    packs: list[Pack] = field(default_factory=list)
    problems: list[PackProblem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[PackProblem]:
        return [p for p in self.problems if not p.warning]

    @property
    def questions(self) -> list[Question]:
        return [q for pack in self.packs for q in pack.questions]


def normalise_text(text: str) -> str:
    """Question text reduced for duplicate detection: case, accents, punctuation and spacing ignored."""
    if text.isascii():  # nothing to decompose: the character by character pass is for accents
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        # Drop the accents NFKD split off; left in, \W would turn "Céline" into "ce line".
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", folded).split())


def _decode(data: bytes, source: str) -> tuple[str | None, list[PackProblem]]:
    if len(data) > limits.MAX_PACK_BYTES:
        size = f"{-(-len(data) // 1024)} KiB"  # rounded up, so it never reads as the limit itself
        return None, [PackProblem(source, 1, 1, f"the file is {size}; packs may be at most {limits.MAX_PACK_BYTES // 1024} KiB, split it")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [PackProblem(source, line, column, "the file is not UTF-8 text; save it as UTF-8")]


def parse_pack(data: bytes, source: str, default_name: str = "", *, partial: bool = False) -> tuple[Pack | None, list[PackProblem]]:
    """Validate one pack from raw bytes (a file or an upload); ``partial`` as for :func:`check_pack`."""
    text, problems = _decode(data, source)
    if text is None:
        return None, problems
    try:
        doc = load_located(text)
    except YamlSourceError as exc:
        return None, [PackProblem(source, exc.line, exc.column, exc.message)]
    return check_pack(doc, source, default_name or Path(source).stem, partial=partial)


def pack_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their pack files, sorted by name; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def cross_pack_problems(pack: Pack, seen_ids: dict[str, str], seen_texts: dict[str, str]) -> list[PackProblem]:
    """Ids and question texts of ``pack`` already used elsewhere; records this pack's for later packs."""
    problems = []
    for question in pack.questions:
        line = question.line or 1
        if question.id in seen_ids:
            problems.append(PackProblem(pack.info.source, line, 1, f"id {question.id!r} is already used in {seen_ids[question.id]}; ids must be unique across packs", "id"))
        key = normalise_text(question.text)
        if key in seen_texts:
            problems.append(PackProblem(pack.info.source, line, 1, f"the same question is already asked by {seen_texts[key]}; remove or reword one", "question"))
        seen_ids.setdefault(question.id, f"{pack.info.source} ({question.id})")
        seen_texts.setdefault(key, f"{question.id} in {pack.info.source}")
    return problems


def read_packs(paths: Iterable[Path]) -> dict[Path, bytes | OSError]:
    """The bytes of every pack file under ``paths`` (or why it could not be read), in load order."""
    contents: dict[Path, bytes | OSError] = {}
    for path in pack_files(paths):
        try:
            contents[path] = path.read_bytes()
        except OSError as exc:
            contents[path] = exc
    return contents


def load_packs(paths: Iterable[Path]) -> LoadReport:
    """Load and validate every pack under ``paths`` (files or directories)."""
    return load_files(read_packs(paths))


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a bank loads.

    A load builds millions of short-lived YAML nodes and values. None of them form cycles, so
    reference counting frees them, but their numbers keep setting off full collections that
    rescan everything alive: on a big bank those cost more than the parse itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_files(contents: dict[Path, bytes | OSError]) -> LoadReport:
    """Validate packs already read (see :func:`read_packs`), together, in the order given."""
    with _cycle_collection_paused():
        return _load_files(contents)


def _load_files(contents: dict[Path, bytes | OSError]) -> LoadReport:
    report = LoadReport()
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    for path, data in contents.items():
        source = str(path)
        if isinstance(data, OSError):
            report.problems.append(PackProblem(source, 1, 1, f"cannot read the file: {data.strerror}"))
            report.rejected.append(source)
            continue
        # Partial: the questions of a pack with errors are still compared with the other packs, so one
        # run reports a repeated id alongside a missing field.
        pack, problems = parse_pack(data, source, partial=True)
        if pack is not None:
            problems = problems + cross_pack_problems(pack, seen_ids, seen_texts)
        report.problems.extend(problems)
        if pack is None or any(not p.warning for p in problems):
            report.rejected.append(source)
        else:
            report.packs.append(pack)
    report.problems.extend(giveaway_problems((q, pack.info.source) for pack in report.packs for q in pack.questions))
    return report
