"""The shipped question bank (questions/*.yaml) keeps the properties issue 16 asks of it.

Every check lists the offending question ids. `pytest -q tests/unit/test_shipped_bank.py -rx`
prints them while the module is marked as an expected failure.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bot.questions import DIFFICULTIES, load_packs
from bot.questions.giveaways import STOP_WORDS, sentences, words
from bot.questions.model import Question
from bot.questions.numeric import answer_rank

BANK = Path(__file__).resolve().parents[2] / "questions"
MIN_QUESTIONS = 1200
MIN_CATEGORIES = 24
MIN_PER_CATEGORY = 50
MIX = {"easy": 0.4, "medium": 0.4, "hard": 0.2}
MIX_SLACK = 1  # questions of rounding either way
CHOICES = 4
SENTENCES = (2, 4)
MIN_LINKED = 0.9
RANK_SHARE = (0.15, 0.35)  # each of the 4 ranks of the answer among numeric choices
SAME_FACT_SIMILARITY = 0.6  # stems of questions with the same answer at least this alike ask the same fact
MAX_LISTED = 60


@pytest.fixture(scope="module")
def report():
    return load_packs([BANK])


@pytest.fixture(scope="module")
def bank(report) -> list[Question]:
    return report.questions


def offenders(what: str, ids: list[str]) -> None:
    """Fail listing the ids (all of them up to MAX_LISTED) if there are any."""
    if ids:
        shown = ", ".join(ids[:MAX_LISTED]) + (f", … ({len(ids) - MAX_LISTED} more)" if len(ids) > MAX_LISTED else "")
        pytest.fail(f"{len(ids)} {what}: {shown}", pytrace=False)


def test_every_pack_loads_without_errors(report) -> None:
    offenders("errors", [str(p) for p in report.errors])


def test_size_and_categories(bank) -> None:
    per_category = Counter(q.category for q in bank)
    problems = []
    if len(bank) < MIN_QUESTIONS:
        problems.append(f"{len(bank)} questions (want {MIN_QUESTIONS})")
    if len(per_category) < MIN_CATEGORIES:
        problems.append(f"{len(per_category)} categories (want {MIN_CATEGORIES})")
    problems += [f"{c} has {n}" for c, n in sorted(per_category.items()) if n < MIN_PER_CATEGORY]
    offenders(f"size problems (each category needs {MIN_PER_CATEGORY})", problems)


def test_difficulty_mix_per_category(bank) -> None:
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for q in bank:
        by_category[q.category][q.difficulty] += 1
    problems = []
    for category, counts in sorted(by_category.items()):
        total = sum(counts.values())
        for difficulty in DIFFICULTIES:
            wanted = MIX[difficulty] * total
            if abs(counts[difficulty] - wanted) > MIX_SLACK + 0.5:  # ±1 beyond rounding
                problems.append(f"{category} {difficulty} {counts[difficulty]}/{total} (want ~{wanted:.0f})")
    offenders("categories off the 40/40/20 mix", problems)


def test_four_choices(bank) -> None:
    offenders(f"questions without exactly {CHOICES} choices", [q.id for q in bank if len(q.choices) != CHOICES])


def test_explanations_of_two_to_four_sentences(bank) -> None:
    low, high = SENTENCES
    offenders(
        f"explanations not of {low} to {high} sentences",
        [f"{q.id} ({len(sentences(q.explanation))})" for q in bank if not low <= len(sentences(q.explanation)) <= high],
    )


def test_learn_more_links(bank) -> None:
    missing = [q.id for q in bank if not q.learn_more]
    if len(missing) > (1 - MIN_LINKED) * len(bank):
        offenders(f"questions without learn_more (at most {1 - MIN_LINKED:.0%} of {len(bank)} may lack one)", missing)


def test_numeric_answer_ranks_are_spread_evenly(bank) -> None:
    """Among questions whose choices are all numeric (shown ascending), the answer is the smallest,
    second, third and largest value each in 15% to 35% of them."""
    ranks: dict[int, list[str]] = defaultdict(list)
    for q in bank:
        rank = answer_rank(q.choices, q.answer) if len(q.choices) == CHOICES else None
        if rank is not None:
            ranks[rank].append(q.id)
    total = sum(len(ids) for ids in ranks.values())
    low, high = RANK_SHARE
    problems = []
    for rank in range(CHOICES):
        share = len(ranks[rank]) / total if total else 0.0
        if total and not low <= share <= high:
            problems.append(f"rank {rank + 1} of {CHOICES}: {len(ranks[rank])}/{total} = {share:.0%}: {', '.join(ranks[rank])}")
    offenders(f"answer ranks outside {low:.0%}-{high:.0%} of numeric questions", problems)


def test_no_give_aways(report) -> None:
    offenders("give-aways", [f"{Path(p.source).name}:{p.line} {p.message}" for p in report.problems
                             if p.warning and "gives away" in p.message])


def _stem(q: Question) -> str:
    return " ".join(w for w in words(q.text) if w not in STOP_WORDS)


def test_no_two_questions_ask_the_same_fact(bank) -> None:
    """Questions with the same answer whose stems (without common words) are at least 60% alike."""
    by_answer: dict[str, list[Question]] = defaultdict(list)
    for q in bank:
        by_answer[" ".join(words(q.answer))].append(q)
    pairs = []
    for group in by_answer.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if difflib.SequenceMatcher(None, _stem(a), _stem(b)).ratio() >= SAME_FACT_SIMILARITY:
                    pairs.append(f"{a.id} ~ {b.id}")
    offenders("pairs asking the same fact", pairs)
