"""Checks one parsed pack document and turns it into a :class:`Pack`.

Every problem is reported with the line and column of the offending value and a
sentence that says what to change.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Mapping
from urllib.parse import urlsplit

import yaml

from bot.questions import limits
from bot.questions.errors import PackProblem
from bot.questions.model import DIFFICULTIES, Pack, PackInfo, Question
from bot.questions.yamlsource import Located, load_located

QUESTION_KEYS = (
    "id", "question", "choices", "answer", "category", "difficulty",
    "explanation", "learn_more", "image", "reveal_image", "tags",
)
REQUIRED_KEYS = ("id", "question", "choices", "answer", "category", "explanation")
PACK_KEYS = ("name", "description", "author", "license")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_WHITESPACE = re.compile(r"\s")  # what str.isspace calls whitespace


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Checker:
    """Collects problems for one pack file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[PackProblem] = []
        self.errors = 0  # counted as they come: recounting per question made big packs quadratic

    def error(self, where: Located | tuple[int, int], message: str, field: str | None = None, rule: str = "") -> None:
        line, column = (where.line, where.column) if isinstance(where, Located) else where
        self.problems.append(PackProblem(self.source, line, column, message, field, rule=rule))
        self.errors += 1

    def warn(self, where: Located, message: str, field: str | None = None) -> None:
        self.problems.append(PackProblem(self.source, where.line, where.column, message, field, warning=True))

    def text(self, item: Located | None, field: str, max_len: int, *, required: bool = True) -> str | None:
        """A non-empty string of at most ``max_len`` characters, or None after reporting."""
        if item is None:
            return None
        value = item.value
        if value is None and not required:
            return None
        if not isinstance(value, str):
            self.error(item, f"must be text but is {_kind(value)}; put it in double quotes", field, "not_text")
            return None
        value = value.strip()
        if not value and required:
            self.error(item, "must not be empty", field, "empty")
            return None
        if len(value) > max_len:
            self.error(item, f"is {len(value)} characters; shorten it to at most {max_len}", field, "too_long")
            return None
        return value

    def url(self, item: Located | None, field: str) -> str | None:
        value = self.text(item, field, limits.MAX_URL, required=False)
        if value is None or item is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. an unclosed "[" in the host
            parts = None
        if parts is None or parts.scheme != "https" or not parts.netloc or _WHITESPACE.search(value):
            self.error(item, f"must be a full https:// link, got {value!r}", field, "link")
            return None
        return "https" + value[len("https"):]  # a scheme in any case is the same scheme; Discord's is lower case

    def unknown_keys(self, item: Located, allowed: tuple[str, ...], what: str) -> None:
        positions: dict[str, tuple[int, int]] | None = None
        for key in item.value:
            if key in allowed:
                continue
            if positions is None:  # once, and only for a mapping with an unknown key
                positions = item.key_positions()
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f"; did you mean `{hint[0]}`?" if hint else f"; allowed: {', '.join(allowed)}"
            shown = str(key) if str(key).isprintable() else repr(str(key))  # one problem, one line
            where = positions.get(str(key), (item.line, item.column))
            self.error(where, f"unknown {what} field `{shown}`{suggestion}", shown)


def _check_info(checker: _Checker, doc: Located, default_name: str) -> PackInfo:
    meta = doc.get("pack")
    if meta is None:
        checker.error(doc, "missing `pack:` section with at least `name:`", "pack")
        return PackInfo(name=default_name, source=checker.source)
    if not isinstance(meta.value, dict):
        checker.error(meta, f"must be a mapping with name, description, author, license; is {_kind(meta.value)}", "pack")
        return PackInfo(name=default_name, source=checker.source)
    checker.unknown_keys(meta, PACK_KEYS, "pack")
    name_item = meta.get("name")
    if name_item is None:
        checker.error(meta, "missing `name:`", "pack.name")
    name = checker.text(name_item, "pack.name", limits.MAX_PACK_NAME) or default_name
    extra = {
        key: checker.text(meta.get(key), f"pack.{key}", limits.MAX_PACK_TEXT, required=False) or ""
        for key in ("description", "author", "license")
    }
    return PackInfo(name=name, source=checker.source, **extra)


def _check_choices(checker: _Checker, item: Located | None) -> tuple[str, ...] | None:
    if item is None:
        return None
    if not isinstance(item.value, list):
        checker.error(item, f"must be a list of {limits.MIN_CHOICES} to {limits.MAX_CHOICES} answers; is {_kind(item.value)}", "choices", "not_text")
        return None
    count = len(item.value)
    if not limits.MIN_CHOICES <= count <= limits.MAX_CHOICES:
        checker.error(item, f"has {count} entries; give {limits.MIN_CHOICES} to {limits.MAX_CHOICES}", "choices", "choice_count")
        return None
    choices: list[str] = []
    folded: set[str] = set()  # the choices so far, compared without case
    ok = True
    for number, choice in enumerate(item.items(), start=1):
        text = checker.text(choice, f"choices[{number}]", limits.MAX_CHOICE)
        if text is None:
            ok = False
        elif text.casefold() in folded:
            checker.error(choice, f"{text!r} appears twice; every choice must be different", f"choices[{number}]", "duplicate_choice")
            ok = False
        else:
            choices.append(text)
            folded.add(text.casefold())
    return tuple(choices) if ok else None


def _check_question(checker: _Checker, item: Located, info: PackInfo) -> Question | None:
    if not isinstance(item.value, dict):
        checker.error(item, f"each entry of `questions:` must be a mapping; this one is {_kind(item.value)}", "questions")
        return None
    before = checker.errors
    checker.unknown_keys(item, QUESTION_KEYS, "question")
    for key in REQUIRED_KEYS:
        if key not in item.value:
            checker.error(item, f"missing `{key}:`", key, "missing")
    id_item = item.get("id")
    qid = checker.text(id_item, "id", limits.MAX_ID)
    if qid is not None and not ID_PATTERN.match(qid):
        checker.error(id_item or item, f"{qid!r} may only use letters, digits and - _ . :", "id")
    text = checker.text(item.get("question"), "question", limits.MAX_QUESTION)
    choices = _check_choices(checker, item.get("choices"))
    answer_item = item.get("answer")
    answer = checker.text(answer_item, "answer", limits.MAX_CHOICE)
    if answer is not None and choices is not None and answer not in choices:
        near = difflib.get_close_matches(answer, choices, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        checker.error(answer_item or item, f"{answer!r} is not one of the choices (it must match one exactly){hint}", "answer", "answer_not_choice")
    category = checker.text(item.get("category"), "category", limits.MAX_CATEGORY)
    difficulty = "medium"
    difficulty_item = item.get("difficulty")
    if difficulty_item is not None:
        value = difficulty_item.value
        if value not in DIFFICULTIES:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            checker.error(difficulty_item, f"{shown} is not allowed; use one of {', '.join(DIFFICULTIES)}", "difficulty", "not_allowed")
        else:
            difficulty = value
    explanation_item = item.get("explanation")
    explanation = checker.text(explanation_item, "explanation", limits.MAX_EXPLANATION, required=False)
    if explanation_item is not None and (explanation_item.value is None or explanation == ""):
        checker.warn(explanation_item, "is empty; players learn more when every answer is explained", "explanation")
    learn_more = checker.url(item.get("learn_more"), "learn_more")
    image = checker.url(item.get("image"), "image")
    reveal_image = checker.url(item.get("reveal_image"), "reveal_image")
    tags = _check_tags(checker, item.get("tags"))
    if checker.errors > before:
        return None
    assert qid and text and choices and answer and category
    return Question(
        id=qid, text=text, choices=choices, answer=answer, category=category,
        difficulty=difficulty, explanation=explanation or "", learn_more=learn_more,
        image=image, reveal_image=reveal_image, tags=tags, pack=info.name, line=item.line,
    )


def _check_tags(checker: _Checker, item: Located | None) -> tuple[str, ...]:
    if item is None or item.value is None:
        return ()
    if not isinstance(item.value, list) or len(item.value) > limits.MAX_TAGS:
        checker.error(item, f"must be a list of at most {limits.MAX_TAGS} short words", "tags")
        return ()
    tags = (checker.text(tag, "tags", limits.MAX_TAG) for tag in item.items())
    return tuple(tag for tag in tags if tag)


def check_question_data(entry: Mapping[str, Any], source: str = "<question>") -> tuple[Question | None, list[PackProblem]]:
    """Validate one question given as plain data (as an importer builds it) by the rules of a pack file.

    The entry goes through YAML exactly as it would be written, so it is checked as the bot will read it.
    """
    text = yaml.safe_dump({"questions": [dict(entry)]}, allow_unicode=True, sort_keys=False, width=1_000_000)
    doc = load_located(text).get("questions")
    assert doc is not None
    checker = _Checker(source)
    question = _check_question(checker, next(doc.items()), PackInfo(name=""))
    return question, checker.problems


def check_pack(doc: Located, source: str, default_name: str, *, partial: bool = False) -> tuple[Pack | None, list[PackProblem]]:
    """Validate one pack document. Returns the pack (None if any error) and all problems.

    With ``partial``, a pack with errors still comes back, holding only the questions that passed, so
    the checks across packs can report on them in the same pass; such a pack must never be played."""
    checker = _Checker(source)
    if not isinstance(doc.value, dict):
        checker.error(doc, f"a pack must be a mapping with `pack:` and `questions:`; this file holds {_kind(doc.value)}")
        return None, checker.problems
    checker.unknown_keys(doc, ("pack", "questions"), "top-level")
    info = _check_info(checker, doc, default_name)
    questions_item = doc.get("questions")
    questions: list[Question] = []
    if questions_item is None:
        checker.error(doc, "missing `questions:` list", "questions")
    elif not isinstance(questions_item.value, list) or not questions_item.value:
        checker.error(questions_item, "must be a non-empty list of questions", "questions")
    else:
        for entry in questions_item.items():
            question = _check_question(checker, entry, info)
            if question is not None:
                questions.append(question)
    if any(not p.warning for p in checker.problems) and not partial:
        return None, checker.problems
    return Pack(info=info, questions=tuple(questions)), checker.problems
