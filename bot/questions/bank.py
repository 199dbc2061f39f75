"""The pool of loaded questions and how a round draws from it."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Collection, Iterable, Iterator

from bot.questions.model import DIFFICULTIES, Question


class QuestionBank:
    """All questions the bot can ask, indexed by id and category."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._by_id: dict[str, Question] = {q.id: q for q in questions}
        self._categories: dict[str, str] = {}
        for question in self._by_id.values():
            self._categories.setdefault(question.category.casefold(), question.category)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._by_id.values())

    def merged(self, extra: Iterable[Question]) -> QuestionBank:
        """A new bank with ``extra`` added; on a clash this bank's question and category spelling win."""
        return QuestionBank([*self._by_id.values(), *(q for q in extra if q.id not in self._by_id)])

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    @property
    def categories(self) -> list[str]:
        return sorted(self._categories.values(), key=str.casefold)

    def canonical_category(self, name: str) -> str | None:
        """The category as the packs spell it, matched without regard to case."""
        return self._categories.get(name.strip().casefold())

    def counts_by_category(self) -> dict[str, Counter[str]]:
        """For each category, how many questions it has per difficulty."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for question in self._by_id.values():
            # Keyed by the spelling `categories` shows, so "Space" and "space" are one category.
            counts[self._categories[question.category.casefold()]][question.difficulty] += 1
        return dict(counts)

    def matching(self, categories: Iterable[str] | None = None, difficulty: str | None = None) -> list[Question]:
        """Questions in any of ``categories`` (all when None or empty) of ``difficulty`` (any when None)."""
        if difficulty is not None and difficulty not in DIFFICULTIES:
            return []
        wanted = {c.casefold() for c in categories or ()}
        return [
            q for q in self._by_id.values()
            if (not wanted or q.category.casefold() in wanted)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    def draw(
        self,
        rng: random.Random,
        categories: Iterable[str] | None = None,
        difficulty: str | None = None,
        seen: Collection[str] = frozenset(),
        recent: Collection[str] = frozenset(),
    ) -> Question | None:
        """A random matching question, preferring ones not in ``seen``, then ones not in ``recent``.

        When every matching question has been seen the whole pool is eligible
        again, except the ``recent`` ones (asked in the current game), so a
        server only repeats a question after exhausting the pool, and a game
        only repeats one when its pool is smaller than the game.
        """
        pool = self.matching(categories, difficulty)
        if not pool:
            return None
        fresh = [q for q in pool if q.id not in seen] or [q for q in pool if q.id not in recent]
        return rng.choice(fresh or pool)
