"""Which choice each player ends up with, from a stream of reaction adds and removes.

Default rule ("latest"): the latest pick that is still present when time runs
out counts. Removing a reaction withdraws that pick; an earlier pick that is
still present then counts again. In "first" mode a player's first pick locks:
later picks and removals change nothing. Times are seconds on one monotonic clock.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pick:
    choice: int
    at: float


class AnswerSheet:
    """The reactions each player currently has on one question."""

    def __init__(self, choice_count: int, first_pick_locks: bool = False) -> None:
        self.choice_count = choice_count
        self.first_pick_locks = first_pick_locks
        self._picks: dict[int, dict[int, float]] = {}
        self.names: dict[int, str] = {}

    def add(self, user_id: int, choice: int, at: float, name: str | None = None) -> bool:
        """Record a pick; returns False if the choice is out of range or already held."""
        if not 0 <= choice < self.choice_count:
            return False
        if name:
            self.names[user_id] = name
        held = self._picks.setdefault(user_id, {})
        if choice in held or (self.first_pick_locks and held):
            return False
        held[choice] = at
        return True

    def remove(self, user_id: int, choice: int) -> bool:
        held = self._picks.get(user_id)
        if not held or choice not in held or self.first_pick_locks:
            return False
        del held[choice]
        if not held:
            del self._picks[user_id]
        return True

    def final(self) -> dict[int, Pick]:
        """Each player's counted pick: the latest one still present."""
        out: dict[int, Pick] = {}
        for user_id, held in self._picks.items():
            choice = next(reversed(held))  # dicts keep insertion order: the last is the latest
            out[user_id] = Pick(choice, held[choice])
        return out

    def __len__(self) -> int:
        """How many players currently have an answer."""
        return len(self._picks)

    def counts(self) -> list[int]:
        """How many players each choice counts for (one choice per player)."""
        tally = [0] * self.choice_count
        for pick in self.final().values():
            tally[pick.choice] += 1
        return tally


def picks_from_reactions(held: dict[int, set[int]], correct: int, at: float) -> dict[int, Pick]:
    """Counted picks rebuilt from the reactions a message still has, when the events were not seen.

    Discord does not say in which order a player reacted, so a player holding
    several letters is scored on a wrong one if any is wrong: hedging never pays.
    """
    picks = {}
    for user_id, choices in held.items():
        if choices:
            wrong = sorted(c for c in choices if c != correct)
            picks[user_id] = Pick(wrong[0] if wrong else correct, at)
    return picks
