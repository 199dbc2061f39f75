"""The shape of a game, without Discord: which question comes next, breaks, stops, auto-stop, why it ended.

The Discord-facing game asks :meth:`GameFlow.next_question` before each question and reports
each round's fate (:meth:`scored` or :meth:`voided`); everything a night decides on its own
lives here, so it is unit-tested without a simulated Discord.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.game.highlights import PlayedRound
from bot.game.options import EndReason, GameOptions
from bot.game.rounds import PlayerOutcome, RoundResult
from bot.game.standings import GameStandings


@dataclass
class GameFlow:
    options: GameOptions
    standings: GameStandings = field(default_factory=GameStandings)
    asked: int = 0  # questions that went up and were revealed or voided
    unanswered_in_a_row: int = 0
    stopped_by: int | None = None
    reason: EndReason | None = None  # set once the game is over
    played: list[PlayedRound] = field(default_factory=list)  # the rounds scored since this game (re)started

    @classmethod
    def resumed(cls, options: GameOptions, rounds_played: int, outcomes: Iterable[list[PlayerOutcome]]) -> GameFlow:
        """A game that was running when the bot stopped, rebuilt from its saved rounds (one list of
        outcomes per scored round, empty when nobody answered), as it stood before the stop."""
        flow = cls(options)
        for round_outcomes in outcomes:
            flow.standings.apply_outcomes(round_outcomes)
            flow.unanswered_in_a_row = 0 if round_outcomes else flow.unanswered_in_a_row + 1
        flow.asked = rounds_played
        return flow

    @property
    def played_all(self) -> bool:
        """Whether :attr:`played` holds every scored round (not so after a restart)."""
        return len(self.played) == self.standings.rounds

    @property
    def stopping(self) -> bool:
        return self.stopped_by is not None

    def request_stop(self, member_id: int) -> None:
        """Ask for the game to end; the first member to ask is the one named."""
        if self.stopped_by is None:
            self.stopped_by = member_id

    def next_question(self) -> int | None:
        """The number of the next question to ask, or None when the game is over (``reason`` says why)."""
        if self.reason is None:
            self.reason = self._ending()
        return None if self.reason is not None else self.asked + 1

    def upcoming(self) -> int | None:
        """The number of the question that will follow the one just revealed, None if the night ends here."""
        return None if self.reason is not None or self._ending() is not None else self.asked + 1

    def _ending(self) -> EndReason | None:
        """Why the game would end now, if it would."""
        if self.stopping:
            return EndReason.STOPPED
        if self.asked >= self.options.questions:
            return EndReason.COMPLETED
        if self.unanswered_in_a_row >= self.options.auto_stop:
            return EndReason.NO_ANSWERS
        return None

    @staticmethod
    def break_before(number: int) -> bool:
        """Every question but a game's first comes after a break (also the first one after a restart)."""
        return number > 1

    def scored(self, result: RoundResult) -> None:
        self.asked += 1
        self.standings.apply(result)
        self.played.append(PlayedRound.of(result))
        self.unanswered_in_a_row = 0 if result.outcomes else self.unanswered_in_a_row + 1

    def voided(self) -> None:
        """A question that went up but was not scored (deleted, or its reveal impossible)."""
        self.asked += 1

    def end(self, reason: EndReason) -> None:
        """End the game for a reason of the caller's (Discord failed, no questions left)."""
        if self.reason is None:
            self.reason = reason
