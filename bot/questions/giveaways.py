"""Finding questions whose text or explanation answers another question (a give-away).

A plain "does the answer appear anywhere else" check floods on common answers (Paris, Jupiter,
1969, Gold), so a sentence counts as giving an answer away only when both hold:

1. it contains the other question's **answer as a whole phrase** (word for word, ignoring case,
   accents, punctuation and a plural or possessive "s"); and
2. the same sentence (or it and the next one, as "Mars looks red. Its moons suit the god of
   war." refers back) shares at least :data:`MIN_SHARED` **distinctive words** with the other
   question's text: words that are not stop words, not part of the answer, at least 3 letters
   long, and rare in the bank (used by at most :data:`RARE_SHARE` of all questions, and never
   fewer than :data:`RARE_AT_LEAST`), so "capital" or "planet" never count but "Olympus" or
   "Pythagoras" do; and
3. at least one of them is **strong**: a name (capitalised inside the question, like "Brazil"),
   a number (like "1969"), or one of two neighbouring words of the question that stand side by
   side in the sentence too (like "god of war").

A question given away by more than :data:`MAX_REVEALERS` others is left out: its answer sits in
a stock phrase ("Nobel Prize in Physics"), and those sentences are about something else.

"Canberra" in a sentence about a cricket ground is a coincidence; "Canberra was chosen as a
compromise between Sydney and Melbourne" next to "Which city is Australia's capital, a
compromise between Sydney and Melbourne?" is a give-away. Answers that cannot be told apart from
ordinary words (True/False, Yes/No, one- or two-character answers, stop words) are not checked,
and a number ("Four", "1969") needs one more shared word and two strong ones that are names or
numbers, since numbers turn up everywhere ("four Olympic gold medals").

The search is indexed by word, not pairwise: each answer is filed under its rarest word, and a
sentence is checked only against the answers filed under one of its words; the words of a
question that only a match needs (its word pairs and names) are worked out only for a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.questions.errors import PackProblem
from bot.questions.model import Question
from bot.questions.numeric import parse_number

MIN_SHARED = 2
MAX_REVEALERS = 3
RARE_SHARE = 0.04
RARE_AT_LEAST = 3

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very was we
    were what when where which while who whom whose why will with would you your yours
    one two three first second called name named known most many much made make used use often
    around became become today still which whose ever every year years century world famous
    """.split()
)
UNCHECKED_ANSWERS = frozenset({"true", "false", "yes", "no", "neither", "both", "none"})
# A sentence ends at . ! or ? before a capital, digit or opening quote, but not after a common
# abbreviation ("Symphony No. 9") or a name's initial ("J. R. R. Tolkien", "John F. Kennedy").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[A-Z0-9])")
_ABBREVIATIONS = "No no Nos St Dr Mr Mrs Ms Jr Sr vs c ca approx".split()
_ABBREVIATION = re.compile(rf"\b(?:{'|'.join(_ABBREVIATIONS)})\.$")
_ABBREVIATION_SPAN = max(map(len, _ABBREVIATIONS)) + 1  # how far from the end a match can start
_INITIAL = re.compile(r"(?:^|[\s(])(?:[A-Z]\.\s*)*[A-Z][a-z]*\.?\s+[A-Z]\.$|(?:^|\s)[A-Z]\.\s*[A-Z]\.$|^[A-Z]\.$")
_STARTERS = frozenset(
    "A An The This That These Those It Its In On At By For From He She His Her They Their Then There "
    "When While After Before Since As But And So Today Later Both Each Some Many Most".split()
)
_NON_WORD = re.compile(r"[^\w\s]|_")


_POSSESSIVE = re.compile(r"['’]s\b")
# _NON_WORD for ASCII text as a str.translate table, which is faster than the regular expression.
_ASCII_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if _NON_WORD.match(c)})


def words(text: str) -> list[str]:
    """The text as comparable words: accents, case and punctuation dropped, plural/possessive s trimmed."""
    if text.isascii():
        folded = text.lower()
        if "'" in folded:
            folded = _POSSESSIVE.sub("", folded)
        tokens = folded.translate(_ASCII_NON_WORD).split()
    else:
        folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
        tokens = _NON_WORD.sub(" ", _POSSESSIVE.sub("", folded)).split()
    # A plural s is trimmed from words longer than 3 letters, except after s, u or i (glass, virus, axis).
    return [word[:-1] if word[-1] == "s" and len(word) > 3 and word[-2] not in "sui" else word for word in tokens]


def _ends_in_abbreviation_or_initial(before: str, after: str) -> bool:
    """Whether the sentence end between ``before`` and ``after`` is an abbreviation's or a name's initial."""
    if before[-1] != ".":  # both patterns end in "."; the cheap tests first, as most sentences end here
        return False
    if _ABBREVIATION.search(before, max(0, len(before) - _ABBREVIATION_SPAN)):  # \b still sees what is before
        return True
    return "A" <= before[-2:-1] <= "Z" and bool(_INITIAL.search(before)) and after.split(maxsplit=1)[0].strip("\"'“‘([") not in _STARTERS


def sentences(text: str) -> list[str]:
    merged: list[str] = []
    for part in _SENTENCE_END.split(text.strip()):
        if not part:
            continue
        if merged and _ends_in_abbreviation_or_initial(merged[-1], part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def worded_sentences(text: str) -> list[tuple[str, list[str]]]:
    """Each sentence with its words; together they are the text's words."""
    return [(part, words(part)) for part in sentences(text)]


def windows(parts: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Each sentence, and each pair of neighbouring sentences ("Mars looks red. Its moons suit the god
    of war."), with its words: a give-away often names the answer in one sentence and refers back to
    it in the next. A pair's words are its two sentences' words, so no sentence is read twice."""
    if len(parts) <= 1:
        return parts
    return parts[:1] + [(f"{before} {after}", first + second) for (before, first), (after, second) in zip(parts, parts[1:])]


_LIST_WORDS = frozenset({"and", "or", "nor"})
_RAW_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _pairs(sequence: list[str]) -> set[tuple[str, str]]:
    """Neighbouring content words ("god of war" gives (god, war)); a list ("blue and yellow") gives none."""
    found: set[tuple[str, str]] = set()
    last: str | None = None
    for word in sequence:
        if word in _LIST_WORDS:
            last = None
        elif word not in STOP_WORDS:
            if last is not None:
                found.add((last, word))
            last = word
    return found


def _strong_words(text: str) -> set[str]:
    """Names (capitalised after the first word) and numbers in a question's text, as comparable words."""
    strong: set[str] = set()
    for position, match in enumerate(_RAW_WORD.finditer(text)):
        token = match.group()
        if token[0].isdigit() or (position > 0 and token[0].isupper()):
            strong.update(words(token))
    return strong


@dataclass(frozen=True, slots=True)
class Giveaway:
    """``revealer``'s ``field`` ("question" or "explanation") answers ``revealed`` in ``sentence``."""

    revealer: Question
    revealed: Question
    field: str
    sentence: str
    shared: tuple[str, ...]  # the distinctive words the sentence shares with the revealed question


@dataclass(slots=True)
class _Sentence:
    owner: int  # index of the question it belongs to
    field: str
    text: str
    sequence: list[str]  # its words in order
    words: frozenset[str]

    def holds_phrase(self, phrase: str) -> bool:
        """Whether ``phrase`` (words joined, with a space at each end) stands in it word for word."""
        return phrase in f" {' '.join(self.sequence)} "


def _answer_words(question: Question) -> list[str]:
    answer = words(question.answer)
    if not answer or " ".join(answer) in UNCHECKED_ANSWERS or len("".join(answer)) < 3:
        return []
    if all(word in STOP_WORDS for word in answer):
        return []
    return answer


class _Bank:
    """Every sentence of the questions searched together, their word counts and their checked answers."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = questions
        self.units: list[_Sentence] = []
        self.stems: list[list[str]] = []  # each question's text as words
        self.document_frequency: Counter[str] = Counter()
        for owner, question in enumerate(questions):
            stem_parts = worded_sentences(question.text)
            explanation_parts = worded_sentences(question.explanation)
            stem = [word for _, part_words in stem_parts for word in part_words]
            self.stems.append(stem)
            for field, parts in (("question", stem_parts), ("explanation", explanation_parts)):
                for sentence, sentence_words in windows(parts):
                    self.units.append(_Sentence(owner, field, sentence, sentence_words, frozenset(sentence_words)))
            self.document_frequency.update({*stem, *(word for _, part_words in explanation_parts for word in part_words)})
        self.rare_limit = max(RARE_AT_LEAST, int(RARE_SHARE * len(questions)))
        self.answers = {index: answer for index, question in enumerate(questions) if (answer := _answer_words(question))}

    def sentences_with_answer_words(self) -> dict[int, list[int]]:
        """For each checked answer, the sentences of other questions holding its rarest word, in order.

        A sentence holding an answer as a phrase holds each of its words, so each answer is filed
        under its rarest word and each sentence is checked only against the answers filed under its words.
        """
        by_rarest: dict[str, list[int]] = defaultdict(list)
        for index, answer in self.answers.items():
            by_rarest[min(answer, key=self.document_frequency.__getitem__)].append(index)
        filed = frozenset(by_rarest)
        found: dict[int, list[int]] = defaultdict(list)
        for position, unit in enumerate(self.units):
            for word in unit.words & filed:
                for index in by_rarest[word]:
                    if index != unit.owner:
                        found[index].append(position)
        return found

    def giveaways_of(self, index: int, positions: Iterable[int]) -> list[Giveaway]:
        """The sentences among ``positions`` (in order) that give question ``index``'s answer away."""
        question, answer, stem = self.questions[index], self.answers[index], self.stems[index]
        distinctive = {
            word for word in stem
            if len(word) >= 3 and word not in STOP_WORDS and word not in answer
            and self.document_frequency[word] <= self.rare_limit
        }
        if len(distinctive) < MIN_SHARED:
            return []
        numeric = parse_number(question.answer) is not None
        needed, needed_strong = (MIN_SHARED + 1, 2) if numeric else (MIN_SHARED, 1)
        phrase = f" {' '.join(answer)} "
        matching = [
            (unit, shared) for unit in (self.units[position] for position in positions)
            if len(shared := distinctive & unit.words) >= needed and unit.holds_phrase(phrase)
        ]
        if not matching:
            return []
        stem_pairs = _pairs(stem)
        strong_names = _strong_words(question.text)
        reported: set[tuple[int, str]] = set()
        revealed: list[Giveaway] = []
        for unit, shared in matching:
            if (unit.owner, unit.field) in reported:
                continue
            side_by_side = set() if numeric else {word for pair in stem_pairs & _pairs(unit.sequence) for word in pair}
            strong = shared & (strong_names | side_by_side)
            if len(strong) >= needed_strong:
                reported.add((unit.owner, unit.field))
                revealed.append(Giveaway(self.questions[unit.owner], question, unit.field, unit.text, tuple(sorted(shared))))
        return revealed if len({g.revealer.id for g in revealed}) <= MAX_REVEALERS else []


def find_giveaways(questions: Sequence[Question]) -> list[Giveaway]:
    """Every sentence of one question that gives another question's answer away (see the module doc)."""
    bank = _Bank(questions)
    found: list[Giveaway] = []
    for index, positions in sorted(bank.sentences_with_answer_words().items()):
        found.extend(bank.giveaways_of(index, positions))
    return found


def describe(giveaway: Giveaway, where: str = "") -> str:
    """The warning's text, e.g. 'gives away the answer to space-001 (“Mercury”) in “…”, which also shares …'."""
    revealed = giveaway.revealed
    place = f" in {where}" if where else ""
    quoted = giveaway.sentence if len(giveaway.sentence) <= 200 else giveaway.sentence[:199] + "…"
    return (
        f"gives away the answer to {revealed.id}{place} (“{revealed.answer}”) in “{quoted}”, "
        f"which also shares {', '.join(giveaway.shared)} with that question; reword one of them"
    )


def pairs(giveaways: Iterable[Giveaway]) -> set[tuple[str, str]]:
    """(revealer id, revealed id) of each give-away, for reports and tests."""
    return {(g.revealer.id, g.revealed.id) for g in giveaways}


def giveaway_problems(entries: Iterable[tuple[Question, str]], report_for: str | None = None) -> list[PackProblem]:
    """Warnings for give-aways among ``entries``, (question, source file) pairs of every pack loaded together.

    Each warning points at the question whose text or explanation gives the answer away. With
    ``report_for`` (an uploaded pack's source) only warnings in that file are made: its questions
    that give others away, and its questions another pack gives away.
    """
    listed = list(entries)
    source_of = {id(question): source for question, source in listed}
    problems = []
    for giveaway in find_giveaways([question for question, _ in listed]):
        revealer, revealed = giveaway.revealer, giveaway.revealed
        here, there = source_of[id(revealer)], source_of[id(revealed)]
        if report_for is None or here == report_for:
            where = "" if there == here else there
            problems.append(PackProblem(here, revealer.line or 1, 1, describe(giveaway, where), giveaway.field, warning=True))
        elif there == report_for:
            message = (
                f"its answer (“{revealed.answer}”) is given away by {revealer.id} in {here}: “{giveaway.sentence}”; "
                "reword this question"
            )
            problems.append(PackProblem(there, revealed.line or 1, 1, message, "answer", warning=True))
    return problems
