"""What every importer shares: checking a question against the pack rules and counting skips.

An importer turns each record of its source file into a :class:`Draft` (or a
reason to skip it) and hands it to a :class:`Collector`, which applies the same
rules as ``trivia-night validate`` and keeps the questions that pass.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.questions import limits
from bot.questions.loader import normalise_text
from bot.questions.model import DIFFICULTIES

# How many record numbers a summary line lists before it abbreviates.
MAX_LISTED = 20


class ImporterError(Exception):
    """The source cannot be imported at all; the message names the file (and line)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """One question as read from a source file, stripped but not yet checked."""

    question: str
    answer: str
    choices: tuple[str, ...]
    category: str
    difficulty: str = "medium"
    explanation: str = ""
    learn_more: str = ""


def stable_id(prefix: str, question: str) -> str:
    """An id that depends only on the question text, so re-importing gives the same ids."""
    digest = hashlib.sha1(normalise_text(question).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def _is_https_link(value: str) -> bool:
    """True for a full https:// link without spaces, as the pack validator requires."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in value)


def _is_text(value: str) -> bool:
    """False for strings that cannot be written as UTF-8 (lone surrogates from JSON escapes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def draft_problem(draft: Draft) -> str | None:
    """Why ``draft`` would fail pack validation, as a short reason shared by similar drafts; None if it passes."""
    for name, value in (("question", draft.question), ("answer", draft.answer), ("category", draft.category)):
        if not value:
            return f"missing {name}"
    if draft.difficulty not in DIFFICULTIES:
        return f"difficulty is not one of {', '.join(DIFFICULTIES)}"
    if not all(draft.choices):
        return "empty wrong answer"
    folded = [c.casefold() for c in draft.choices]
    if folded.count(draft.answer.casefold()) > 1:
        return "answer is also a wrong answer"
    if len(set(folded)) < len(folded):
        return "the same wrong answer appears twice"
    if len(draft.choices) < 2:
        return "missing wrong answers"
    if not limits.MIN_CHOICES <= len(draft.choices) <= limits.MAX_CHOICES:
        return f"needs {limits.MIN_CHOICES - 1} to {limits.MAX_CHOICES - 1} wrong answers"
    if len(draft.question) > limits.MAX_QUESTION:
        return f"question longer than {limits.MAX_QUESTION} characters"
    if any(len(c) > limits.MAX_CHOICE for c in draft.choices):
        return f"an answer longer than {limits.MAX_CHOICE} characters"
    if len(draft.category) > limits.MAX_CATEGORY:
        return f"category longer than {limits.MAX_CATEGORY} characters"
    if len(draft.explanation) > limits.MAX_EXPLANATION:
        return f"explanation longer than {limits.MAX_EXPLANATION} characters"
    if draft.learn_more and (len(draft.learn_more) > limits.MAX_URL or not _is_https_link(draft.learn_more)):
        return "learn_more is not a full https:// link"
    texts = (draft.question, draft.category, draft.explanation, draft.learn_more, *draft.choices)
    if not all(_is_text(t) for t in texts):
        return "contains characters that are not valid text"
    return None


@dataclass
class Collector:
    """Keeps the drafts that pass as pack entries and counts the others by reason.

    ``unit`` names what the record numbers count ("line" for CSV, "result" for
    Open Trivia DB) so the summary can say e.g. "lines 4, 9". ``known`` maps the
    normalised text of questions already in other packs to the file asking it.
    """

    id_prefix: str
    unit: str
    known: dict[str, str] = field(default_factory=dict)
    entries: list[dict[str, object]] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    _texts: set[str] = field(default_factory=set)

    def skip(self, where: int, reason: str) -> None:
        """Record that record ``where`` was left out, and why."""
        self.skipped.setdefault(reason, []).append(where)

    def offer(self, where: int, draft: Draft | str) -> None:
        """Keep ``draft`` if it passes every check; a string is a reason to skip it."""
        reason = draft if isinstance(draft, str) else draft_problem(draft)
        if reason is None and isinstance(draft, Draft):
            key = normalise_text(draft.question)
            if key in self._texts:
                reason = "duplicate question text"
            elif key in self.known:
                reason = f"already asked in {self.known[key]}"
            else:
                self._texts.add(key)
                self.entries.append(self._entry(draft))
                return
        assert reason is not None
        self.skip(where, reason)

    def _entry(self, draft: Draft) -> dict[str, object]:
        """The draft as a pack question mapping, keys in the order FORMAT.md shows."""
        entry: dict[str, object] = {
            "id": stable_id(self.id_prefix, draft.question),
            "question": draft.question,
            "choices": list(draft.choices),
            "answer": draft.answer,
            "category": draft.category,
            "difficulty": draft.difficulty,
            "explanation": draft.explanation,
        }
        if draft.learn_more:
            entry["learn_more"] = draft.learn_more
        return entry

    def skip_lines(self) -> list[str]:
        """One line per skip reason: how many, and which records."""
        lines = []
        for reason, wheres in self.skipped.items():
            listed = ", ".join(str(w) for w in wheres[:MAX_LISTED])
            more = f", ... ({len(wheres) - MAX_LISTED} more)" if len(wheres) > MAX_LISTED else ""
            plural = "s" if len(wheres) > 1 else ""
            lines.append(f"  {reason}: {len(wheres)} ({self.unit}{plural} {listed}{more})")
        return lines

    @property
    def skip_count(self) -> int:
        return sum(len(w) for w in self.skipped.values())
