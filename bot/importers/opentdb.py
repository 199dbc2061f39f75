"""Open Trivia DB (https://opentdb.com) API responses to a pack.

The API answers ``{"response_code": 0, "results": [...]}``; each result has
``type`` (multiple or boolean), ``difficulty``, ``category``, ``question``,
``correct_answer`` and ``incorrect_answers``. Text comes in one of the API's
encodings: HTML entities (the default), ``urlLegacy``, ``url3986`` or
``base64`` (which also encodes type, difficulty and category).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, unquote_plus

from bot.importers.common import Collector, Draft, ImporterError
from bot.importers.packfile import ImportResult, check_target, questions_beside, save_pack

ID_PREFIX = "opentdb"
TYPES = ("multiple", "boolean")
BOOLEAN_CHOICES = ("True", "False")
ABOUT = {
    "description": "Questions from the Open Trivia Database (https://opentdb.com).",
    "author": "Open Trivia Database contributors",
    "license": "CC BY-SA 4.0",
}
# https://opentdb.com/api_config.php: what a non-zero response_code means.
RESPONSE_CODES = {
    1: "no results (the API had too few questions for the query)",
    2: "invalid parameter",
    3: "session token not found",
    4: "session token exhausted",
    5: "rate limited",
}
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _base64_text(value: str) -> str:
    """Decode one base64 field; ValueError if it is not base64 of UTF-8 text."""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


DECODERS: dict[str, Callable[[str], str]] = {
    "html": html.unescape,
    "url3986": unquote,
    "url-legacy": unquote_plus,
    "base64": _base64_text,
}
ENCODINGS = ("auto", *DECODERS)


def read_results(source: Path) -> list[Any]:
    """The ``results`` list of an API response file, or ImporterError saying what is wrong."""
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImporterError(f"{source}: error: cannot read the file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImporterError(f"{source}: error: not UTF-8 text; an Open Trivia DB response is UTF-8 JSON") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImporterError(f"{source}:{exc.lineno}:{exc.colno}: error: not valid JSON: {exc.msg}") from None
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise ImporterError(f'{source}: error: no `results` list; expected an Open Trivia DB API response like {{"response_code": 0, "results": [...]}}')
    code = document.get("response_code", 0)
    if not results and code in RESPONSE_CODES:
        raise ImporterError(f"{source}: error: the API answered response_code {code}: {RESPONSE_CODES[code]}")
    return results


def _decodes_to_type(value: Any) -> bool:
    """True if ``value`` is base64 for one of the question types."""
    if not isinstance(value, str):
        return False
    try:
        return _base64_text(value) in TYPES
    except ValueError:
        return False


def detect_encoding(results: list[Any]) -> str:
    """Guess the API encoding from the results: base64, url-legacy, url3986 or html."""
    items = [item for item in results if isinstance(item, dict)]
    types = [item.get("type") for item in items]
    if any(_decodes_to_type(t) for t in types) and not any(t in TYPES for t in types):
        return "base64"
    questions = [item["question"] for item in items if isinstance(item.get("question"), str)]
    url_encoded = (
        questions
        and not any(" " in q for q in questions)
        and any(_PERCENT_ESCAPE.search(q) for q in questions)
    )
    if url_encoded:
        # urlLegacy writes a space as "+"; url3986 writes it (and "+") as %XX.
        return "url-legacy" if any("+" in q for q in questions) else "url3986"
    return "html"


def _field(item: dict[str, Any], key: str, decode: Callable[[str], str]) -> str:
    """One decoded, stripped text field; "" if absent or not text."""
    value = item.get(key)
    return decode(value).strip() if isinstance(value, str) else ""


def to_draft(item: Any, decode: Callable[[str], str]) -> Draft | str:
    """One API result as a draft question, or the reason it cannot be one."""
    if not isinstance(item, dict):
        return "not a JSON object"
    try:
        kind, question, answer, category, difficulty = (
            _field(item, key, decode) for key in ("type", "question", "correct_answer", "category", "difficulty")
        )
        wrong_values = item.get("incorrect_answers")
        if not isinstance(wrong_values, list) or not all(isinstance(w, str) for w in wrong_values):
            return "missing incorrect_answers"
        wrong = [decode(w).strip() for w in wrong_values]
    except ValueError:
        return "a field is not in the file's encoding"
    choices: tuple[str, ...]
    if kind == "boolean":
        answer = answer.capitalize() if answer.casefold() in ("true", "false") else answer
        if answer not in BOOLEAN_CHOICES:
            return "boolean answer is not True or False"
        choices = BOOLEAN_CHOICES
    elif kind == "multiple":
        choices = (answer, *wrong)
    else:
        return "missing type" if not kind else "type is not multiple or boolean"
    return Draft(question, answer, choices, category, difficulty.lower() or "medium")


def import_opentdb(
    source: Path, out: Path, *, name: str | None = None, encoding: str = "auto", force: bool = False
) -> ImportResult:
    """Convert an Open Trivia DB API response file into the pack file ``out``."""
    if encoding not in ENCODINGS:
        raise ImporterError(f"error: unknown encoding {encoding!r}; use one of {', '.join(ENCODINGS)}")
    name = check_target(out, name, force)
    results = read_results(source)
    decode = DECODERS[detect_encoding(results) if encoding == "auto" else encoding]
    collector = Collector(ID_PREFIX, "result", questions_beside(out))
    for number, item in enumerate(results, start=1):
        collector.offer(number, to_draft(item, decode))
    return save_pack(collector, source, out, name, ABOUT, force)
