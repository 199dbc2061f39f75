"""A validated cache of the loaded question bank, so a restart does not re-validate every pack.

The cache is keyed by the content of the packs (the SHA-256 of each file's bytes, with its name)
and by the code that validates them (a hash of this package's source), so it is rebuilt when a
pack is added, removed or edited, and when the bot is upgraded. It is never trusted blindly:
the body carries its own SHA-256, and a cache that is unreadable, truncated, corrupt, from another
version or for other packs is ignored (with a warning when it should have been usable) and
rebuilt from the packs. The file is JSON, never pickle: reading it cannot run code.

What is cached is the whole :class:`LoadReport`: the packs and their questions, every problem
(the give-away warnings included, which cost more than the rest of validation) and the
rejected packs, so a warm start reports exactly what a fresh load would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from bot.questions.errors import PackProblem
from bot.questions.loader import LoadReport, load_files, read_packs
from bot.questions.model import Pack, PackInfo, Question

log = logging.getLogger(__name__)

FORMAT = 2  # bump when the layout below changes
MAGIC = b"trivia-night question bank cache\n"


class CorruptCache(ValueError):
    """The cache file does not hold what this version writes."""


@cache
def code_version() -> str:
    """A hash of the question-loading code: any change to validation invalidates every cache."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def load_packs_cached(paths: Iterable[Path], cache_file: Path | None) -> LoadReport:
    """:func:`load_packs`, served from ``cache_file`` when it matches the packs' content.

    With no ``cache_file`` it is a plain load. A cache that cannot be written is logged and skipped.
    """
    contents = read_packs(paths)
    if cache_file is None:
        return load_files(contents)
    key = cache_key(contents)
    report = read_cache(cache_file, key)
    if report is None:
        report = load_files(contents)
        write_cache(cache_file, key, report)
    return report


def cache_key(contents: dict[Path, bytes | OSError]) -> dict[str, Any]:
    """What a cache must have been built from to be used: this code and these exact pack bytes."""
    packs = [
        [str(path), hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else f"unreadable: {data}"]
        for path, data in contents.items()
    ]
    return {"format": FORMAT, "code": code_version(), "packs": packs}


def read_cache(cache_file: Path, key: dict[str, Any]) -> LoadReport | None:
    """The cached report if ``cache_file`` holds one built from ``key``; None (and why, logged) if not."""
    try:
        data = cache_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("could not read the question cache %s (%s); loading the packs", cache_file, exc.strerror)
        return None
    try:
        header, body = _split(data)
        if header.get("format") != FORMAT or header.get("code") != key["code"]:
            log.info("the question cache %s is from another version; rebuilding it", cache_file)
            return None
        if header.get("packs") != key["packs"]:
            log.info("question packs changed since the cache was built; rebuilding it")
            return None
        if header.get("digest") != hashlib.sha256(body).hexdigest():
            raise CorruptCache("its content does not match its checksum")
        return _report_from_json(json.loads(body))
    except (CorruptCache, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        log.warning("the question cache %s is corrupt (%s); ignoring it and loading the packs", cache_file, exc)
        return None


def write_cache(cache_file: Path, key: dict[str, Any], report: LoadReport) -> None:
    """Replace ``cache_file`` atomically with ``report`` under ``key`` (a failure is only logged)."""
    body = json.dumps(_report_to_json(report), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({**key, "digest": hashlib.sha256(body).hexdigest()}).encode("utf-8")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_file.parent, prefix=f".{cache_file.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + header + b"\n" + body)
            os.replace(temporary, cache_file)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        log.warning("could not write the question cache %s (%s); the next start loads the packs again", cache_file, exc)


def _split(data: bytes) -> tuple[dict[str, Any], bytes]:
    if not data.startswith(MAGIC):
        raise CorruptCache("it is not a question cache")
    header, newline, body = data[len(MAGIC):].partition(b"\n")
    if not newline:
        raise CorruptCache("it is truncated")
    parsed = json.loads(header)
    if not isinstance(parsed, dict):
        raise CorruptCache("its header is not a mapping")
    return parsed, body


# ---------------------------------------------------------------------------- JSON layout
QUESTION_FIELDS = tuple(f.name for f in dataclasses.fields(Question))
PROBLEM_FIELDS = ("source", "line", "column", "message", "field", "warning", "rule")
INFO_FIELDS = ("name", "description", "author", "license", "source")


def _report_to_json(report: LoadReport) -> dict[str, Any]:
    return {
        "packs": [
            {
                "info": [getattr(pack.info, f) for f in INFO_FIELDS],
                "questions": [[getattr(q, f) for f in QUESTION_FIELDS] for q in pack.questions],
            }
            for pack in report.packs
        ],
        "problems": [[getattr(p, f) for f in PROBLEM_FIELDS] for p in report.problems],
        "rejected": report.rejected,
    }


def _typed(values: list[Any], kinds: tuple[type | tuple[type, ...], ...]) -> list[Any]:
    """``values`` if it has one value of the expected type per field; CorruptCache otherwise."""
    if not isinstance(values, list) or len(values) != len(kinds):
        raise CorruptCache("a record has the wrong number of fields")
    for value, kind in zip(values, kinds, strict=True):
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CorruptCache(f"a field holds {type(value).__name__}")
    return values


_OPTIONAL = (str, type(None))
QUESTION_TYPES = (str, str, list, str, str, str, str, _OPTIONAL, _OPTIONAL, _OPTIONAL, list, str, int)
PROBLEM_TYPES = (str, int, int, str, _OPTIONAL, bool, str)
INFO_TYPES = (str, str, str, str, str)


def _strings(values: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise CorruptCache("a list of text holds something else")
    return tuple(values)


def _question(values: list[Any]) -> Question:
    ident, text, choices, answer, category, difficulty, explanation, learn_more, image, reveal_image, tags, pack, line = (
        _typed(values, QUESTION_TYPES)
    )
    return Question(
        ident, text, _strings(choices), answer, category, difficulty, explanation, learn_more, image, reveal_image,
        _strings(tags), pack, line,
    )


def _report_from_json(data: dict[str, Any]) -> LoadReport:
    packs = [
        Pack(PackInfo(*_typed(pack["info"], INFO_TYPES)), tuple(_question(q) for q in pack["questions"]))
        for pack in data["packs"]
    ]
    problems = [PackProblem(*_typed(p, PROBLEM_TYPES)) for p in data["problems"]]
    return LoadReport(packs=packs, problems=problems, rejected=list(_strings(data["rejected"])))
