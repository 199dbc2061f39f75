"""Writing an imported pack: dump it with ``yaml.safe_dump``, check it as the bot will, never overwrite by accident."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.importers.common import Collector, ImporterError
from bot.questions import limits
from bot.questions.loader import PACK_SUFFIXES, load_packs, normalise_text, pack_files, parse_pack

# Wide enough that yaml.safe_dump never folds a long question over two lines.
DUMP_WIDTH = 1_000_000


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote and what it left out."""

    out: Path
    imported: int
    skipped: int
    skip_lines: tuple[str, ...] = ()

    def summary(self) -> str:
        """The report printed after an import: a headline and one line per skip reason."""
        noun = "question" if self.imported == 1 else "questions"
        head = f"Imported {self.imported} {noun} to {self.out}; skipped {self.skipped}"
        if not self.skipped:
            return head + "."
        return "\n".join([head + ":", *self.skip_lines])


def check_target(out: Path, name: str | None, force: bool) -> str | None:
    """Check --out and --name before any work: the stripped name (None if not given)."""
    if out.suffix not in PACK_SUFFIXES:
        raise ImporterError(f"{out}: error: the output file must end in {' or '.join(PACK_SUFFIXES)}, or the bot will not load it")
    if out.is_dir():
        raise ImporterError(f"{out}: error: is a folder; give the path of the pack file to write")
    if out.exists() and not force:
        raise ImporterError(f"{out}: error: the file already exists; pass --force to overwrite it")
    if name is None:
        return None
    name = name.strip()
    if not name:
        raise ImporterError("error: --name must not be empty")
    if len(name) > limits.MAX_PACK_NAME:
        raise ImporterError(f"error: --name is {len(name)} characters; pack names may have at most {limits.MAX_PACK_NAME}")
    return name


def questions_beside(out: Path) -> dict[str, str]:
    """The normalised text of every question in the other packs of ``out``'s folder, and its file.

    The validator rejects a question asked twice in one folder, so an import
    skips questions the folder already has. ``out`` itself (with --force) is ignored.
    """
    if not out.parent.is_dir():
        return {}
    others = [path for path in pack_files([out.parent]) if path.resolve() != out.resolve()]
    known: dict[str, str] = {}
    for pack in load_packs(others).packs:
        for question in pack.questions:
            known.setdefault(normalise_text(question.text), pack.info.source)
    return known


def default_pack_name(out: Path, entries: list[dict[str, object]]) -> str:
    """The shared category if there is just one, else a title made from the file name."""
    categories = {str(entry["category"]) for entry in entries}
    if len(categories) == 1:
        return categories.pop()
    title = out.stem.replace("-", " ").replace("_", " ").strip().title()
    return title[: limits.MAX_PACK_NAME] or "Imported questions"


def dump_pack(info: dict[str, str], entries: list[dict[str, object]]) -> str:
    """The pack as YAML text; safe_dump quotes any string YAML would otherwise read as another type."""
    document = {"pack": {key: value for key, value in info.items() if value}, "questions": entries}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False, width=DUMP_WIDTH)


def verify_pack(text: str, out: Path, entries: list[dict[str, object]]) -> None:
    """Parse the text with the bot's own loader; it must load without errors and read back unchanged."""
    pack, problems = parse_pack(text.encode("utf-8"), str(out))
    errors = [str(problem) for problem in problems if not problem.warning]
    if pack is None or errors:
        raise ImporterError("\n".join([f"{out}: error: the generated pack does not validate (please report this):", *errors]))
    read_back = [(q.id, q.text, list(q.choices), q.answer, q.category) for q in pack.questions]
    expected = [(e["id"], e["question"], e["choices"], e["answer"], e["category"]) for e in entries]
    if read_back != expected:
        raise ImporterError(f"{out}: error: the generated pack does not read back as written (please report this)")


def write_text(out: Path, text: str, force: bool) -> None:
    """Write the file; without ``force`` it is created only if it does not exist yet."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w" if force else "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ImporterError(f"{out}: error: the file already exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise ImporterError(f"{out}: error: cannot write the file: {exc.strerror or exc}") from None


def save_pack(
    collector: Collector, source: Path, out: Path, name: str | None, about: dict[str, str], force: bool
) -> ImportResult:
    """Write the collected questions as a checked pack file and say what was skipped.

    ``about`` holds the optional pack fields (description, author, license).
    """
    if not collector.entries:
        if not collector.skipped:
            raise ImporterError(f"{source}: error: contains no questions")
        head = f"{source}: error: no question could be imported; skipped {collector.skip_count}:"
        raise ImporterError("\n".join([head, *collector.skip_lines()]))
    info = {"name": name or default_pack_name(out, collector.entries), **about}
    text = dump_pack(info, collector.entries)
    verify_pack(text, out, collector.entries)
    write_text(out, text, force)
    return ImportResult(out, len(collector.entries), collector.skip_count, tuple(collector.skip_lines()))
