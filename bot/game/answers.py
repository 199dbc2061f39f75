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

    def clear(self, choice: int | None = None) -> None:
        """Withdraw every pick of one letter, or of every letter (a moderator cleared the reactions)."""
        if self.first_pick_locks:
            return
        for user_id in list(self._picks):
            held = self._picks[user_id]
            if choice is None:
                held.clear()
            else:
                held.pop(choice, None)
            if not held:
                del self._picks[user_id]

    def pick_of(self, user_id: int) -> Pick | None:
        """One player's counted pick, if they have one."""
        held = self._picks.get(user_id)
        if not held:
            return None
        choice = next(reversed(held))  # dicts keep insertion order: the last is the latest
        return Pick(choice, held[choice])

    def final(self) -> dict[int, Pick]:
        """Each player's counted pick: the latest one still present."""
        return {user_id: pick for user_id in self._picks if (pick := self.pick_of(user_id)) is not None}

    def __len__(self) -> int:
        """How many players currently have an answer."""
        return len(self._picks)

    def holders(self) -> list[int]:
        """How many players hold each letter right now (a player may hold several)."""
        tally = [0] * self.choice_count
        for held in self._picks.values():
            for choice in held:
                tally[choice] += 1
        return tally

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


def reconcile(tracked: dict[int, Pick], held: dict[int, set[int]], correct: int, at: float, withdraw: bool) -> dict[int, Pick]:
    """Merge the picks seen as events with the reactions Discord reports, after events may have been lost.

    Discord's reactions are the truth about who answered: a player the bot never saw is scored from
    the reactions they hold (at ``at``, so without a speed bonus). When ``withdraw`` is set (public
    picks, latest-pick mode) a tracked pick whose reaction is gone was withdrawn, and one replaced by
    other letters was changed; otherwise (hidden picks, or first pick locks) tracked picks stand.
    """
    from_reactions = picks_from_reactions(held, correct, at)
    if not withdraw:
        return {**from_reactions, **tracked}
    merged = {}
    for user_id, choices in held.items():
        pick = tracked.get(user_id)
        if pick is not None and pick.choice in choices:
            merged[user_id] = pick
        elif user_id in from_reactions:
            merged[user_id] = from_reactions[user_id]
    return merged
