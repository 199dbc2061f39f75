"""QuestionBank: drawing questions, category matching and counts."""

from __future__ import annotations

import random
from collections import Counter

from bot.questions.bank import QuestionBank
from bot.questions.model import Question


def q(qid: str, category: str = "Space", difficulty: str = "medium") -> Question:
    return Question(
        id=qid, text=f"Question {qid}?", choices=("yes", "no"), answer="yes",
        category=category, difficulty=difficulty, explanation="Because.",
    )


BANK = QuestionBank([
    q("s1", "Space", "easy"), q("s2", "Space", "hard"), q("s3", "Space", "easy"),
    q("h1", "History", "medium"), q("h2", "History", "easy"),
    q("a1", "Art & Design", "hard"),
])


def test_len_get_and_categories() -> None:
    assert len(BANK) == 6
    assert BANK.get("h2") is not None and BANK.get("h2").category == "History"
    assert BANK.get("missing") is None
    assert BANK.categories == ["Art & Design", "History", "Space"]


def test_duplicate_ids_keep_one_question() -> None:
    bank = QuestionBank([q("x", "Space"), q("x", "History")])
    assert len(bank) == 1


def test_draw_prefers_unseen_questions() -> None:
    rng = random.Random(1)
    seen = {"s1", "s2", "h1", "h2", "a1"}
    for _ in range(50):
        assert BANK.draw(rng, seen=seen).id == "s3"


def test_drawing_and_marking_seen_goes_through_the_whole_pool_before_repeating() -> None:
    rng = random.Random(2)
    seen: set[str] = set()
    for _ in range(len(BANK)):
        question = BANK.draw(rng, seen=seen)
        assert question is not None and question.id not in seen
        seen.add(question.id)
    assert seen == {"s1", "s2", "s3", "h1", "h2", "a1"}


def test_draw_falls_back_to_the_whole_pool_once_all_are_seen() -> None:
    rng = random.Random(3)
    seen = {"s1", "s2", "s3", "h1", "h2", "a1"}
    drawn = {BANK.draw(rng, seen=seen).id for _ in range(200)}
    assert drawn == seen  # every question is eligible again


def test_fallback_is_per_filter() -> None:
    rng = random.Random(4)
    # All Space questions were seen, History ones were not: a Space draw repeats a Space question.
    drawn = {BANK.draw(rng, ["Space"], seen={"s1", "s2", "s3"}).id for _ in range(100)}
    assert drawn == {"s1", "s2", "s3"}


def test_category_matching_is_case_insensitive() -> None:
    rng = random.Random(5)
    for spelling in ("space", "SPACE", "sPaCe"):
        assert {x.id for x in BANK.matching([spelling])} == {"s1", "s2", "s3"}
        assert BANK.draw(rng, [spelling]).category == "Space"
    assert BANK.canonical_category("  art & design ") == "Art & Design"
    assert BANK.canonical_category("Cooking") is None


def test_several_categories_and_difficulty() -> None:
    assert {x.id for x in BANK.matching(["space", "history"], "easy")} == {"s1", "s3", "h2"}
    assert {x.id for x in BANK.matching(None, "hard")} == {"s2", "a1"}
    assert {x.id for x in BANK.matching([], None)} == {"s1", "s2", "s3", "h1", "h2", "a1"}


def test_nothing_matches() -> None:
    rng = random.Random(6)
    assert BANK.draw(rng, ["Cooking"]) is None
    assert BANK.draw(rng, ["History"], "hard") is None
    assert BANK.matching(None, "impossible") == []
    assert QuestionBank([]).draw(rng) is None


def test_draw_only_returns_matching_questions() -> None:
    rng = random.Random(7)
    for _ in range(100):
        question = BANK.draw(rng, ["space"], "easy")
        assert question.id in {"s1", "s3"}


def test_draw_is_reproducible_with_a_seeded_rng() -> None:
    first = [BANK.draw(random.Random(42)).id for _ in range(5)]
    second = [BANK.draw(random.Random(42)).id for _ in range(5)]
    assert first == second


def test_counts_by_category() -> None:
    counts = BANK.counts_by_category()
    assert counts == {
        "Space": Counter({"easy": 2, "hard": 1}),
        "History": Counter({"medium": 1, "easy": 1}),
        "Art & Design": Counter({"hard": 1}),
    }
    assert sum(sum(c.values()) for c in counts.values()) == len(BANK)


def test_counts_by_category_merges_spellings_like_categories_does() -> None:
    bank = QuestionBank([q("a", "Space", "easy"), q("b", "space", "hard")])
    assert bank.categories == ["Space"]
    assert bank.counts_by_category() == {"Space": Counter({"easy": 1, "hard": 1})}


def test_after_the_pool_is_exhausted_a_game_does_not_repeat_its_own_questions():
    import random

    from bot.questions import Question, QuestionBank

    questions = [
        Question(id=f"q{i}", text=f"Question {i}?", choices=("a", "b"), answer="a", category="C") for i in range(4)
    ]
    bank = QuestionBank(questions)
    everything = {q.id for q in questions}
    rng = random.Random(7)
    this_game: set[str] = set()
    for _ in range(4):
        drawn = bank.draw(rng, seen=everything, recent=this_game)
        assert drawn is not None and drawn.id not in this_game
        this_game.add(drawn.id)
    assert this_game == everything
    # A game longer than its pool repeats only once every question has been asked in it.
    assert bank.draw(rng, seen=everything, recent=this_game) is not None
