"""What every importer shares: checking a question against the pack rules and counting skips.

An importer turns each record of its source file into a :class:`Draft` (or a
reason to skip it) and hands it to a :class:`Collector`, which checks it with
the pack validator itself (``trivia-night validate``'s rules, not a copy of
them) and keeps the questions that pass.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.questions import limits
from bot.questions.errors import PackProblem
from bot.questions.loader import normalise_text
from bot.questions.model import DIFFICULTIES
from bot.questions.schema import check_question_data

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


def _is_text(value: str) -> bool:
    """False for strings that cannot be written as UTF-8 (lone surrogates from JSON escapes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reason(problem: PackProblem, draft: Draft) -> tuple[int, str]:
    """A validator error as a short skip reason shared by similar drafts, with its rank: when a draft
    breaks several rules, the lowest rank names it."""
    name, rule = problem.field or "", problem.rule
    if name in ("question", "answer", "category") and rule in ("missing", "empty"):
        return 0, f"missing {name}"
    if name == "difficulty":
        return 1, f"difficulty is not one of {', '.join(DIFFICULTIES)}"
    if name.startswith("choices[") and rule == "empty":
        return 2, "empty wrong answer"
    if rule == "duplicate_choice":
        repeated = draft.choices[int(name[len("choices["):-1]) - 1]
        if repeated.casefold() == draft.answer.casefold():
            return 3, "answer is also a wrong answer"
        return 4, "the same wrong answer appears twice"
    if rule == "choice_count":
        if len(draft.choices) < limits.MIN_CHOICES:
            return 5, "missing wrong answers"
        return 6, f"needs {limits.MIN_CHOICES - 1} to {limits.MAX_CHOICES - 1} wrong answers"
    if rule == "too_long" and name == "question":
        return 7, f"question longer than {limits.MAX_QUESTION} characters"
    if rule == "too_long" and name.startswith("choices["):
        return 8, f"an answer longer than {limits.MAX_CHOICE} characters"
    if rule == "too_long" and name == "category":
        return 9, f"category longer than {limits.MAX_CATEGORY} characters"
    if rule == "too_long" and name == "explanation":
        return 10, f"explanation longer than {limits.MAX_EXPLANATION} characters"
    if name == "learn_more":
        return 11, "learn_more is not a full https:// link"
    return 12, f"{name}: {problem.message}" if name else problem.message  # a rule added to the validator later


def draft_problem(draft: Draft, entry: dict[str, object] | None = None) -> str | None:
    """Why ``draft`` would fail pack validation, as a short reason shared by similar drafts; None if it passes.

    The pack validator (``bot.questions.schema``) decides; this only words its verdict for the summary.
    ``entry`` is the draft as a pack question mapping, if the caller has it already.
    """
    texts = (draft.question, draft.category, draft.explanation, draft.learn_more, *draft.choices)
    if not all(_is_text(t) for t in texts):
        return "contains characters that are not valid text"  # cannot even be written to the file
    _, problems = check_question_data(entry if entry is not None else pack_entry("x", draft))
    errors = [problem for problem in problems if not problem.warning]
    if not errors:
        return None
    return min(_reason(problem, draft) for problem in errors)[1]


def pack_entry(question_id: str, draft: Draft) -> dict[str, object]:
    """The draft as a pack question mapping, keys in the order FORMAT.md shows."""
    entry: dict[str, object] = {
        "id": question_id,
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
        entry = None if isinstance(draft, str) else pack_entry(stable_id(self.id_prefix, draft.question), draft)
        reason = draft if isinstance(draft, str) else draft_problem(draft, entry)
        if reason is None and isinstance(draft, Draft):
            key = normalise_text(draft.question)
            if key in self._texts:
                reason = "duplicate question text"
            elif key in self.known:
                reason = f"already asked in {self.known[key]}"
            else:
                assert entry is not None
                self._texts.add(key)
                self.entries.append(entry)
                return
        assert reason is not None
        self.skip(where, reason)

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
