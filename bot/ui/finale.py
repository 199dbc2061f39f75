"""The final standings of a trivia night: the winner, a podium, everyone else and the night's highlights."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import discord

from bot.constants import BOARD_COLOUR
from bot.game.highlights import Highlights
from bot.game.options import EndReason
from bot.game.standings import GameStandings, Standing
from bot.ui.embeds import ENDINGS, MEDALS, player_name
from bot.ui.limits import FIELD_VALUE, fit_lines
from bot.ui.markdown import escape
from bot.ui.packs import plural

CARD_NAME = "results.png"
MAX_QUESTION_SHOWN = 120  # a long question is shortened in the highlights


def points(value: int) -> str:
    return plural(value, "point")


@dataclass(frozen=True, slots=True)
class Night:
    """What the finale tells: the standings, how many questions were planned, why and by whom it ended."""

    standings: GameStandings
    planned: int
    reason: EndReason
    stopped_by: int | None = None
    stopper_name: str = ""
    highlights: Highlights = Highlights()


def podium(ranking: list[Standing]) -> list[Standing]:
    """The top three who scored: nobody stands on the podium with 0 points."""
    return [s for s in ranking[:3] if s.points > 0]


def _name(standing: Standing) -> str:
    return player_name(standing.user_id, standing.name)


def _headline(ranking: list[Standing]) -> str:
    if not ranking:
        return "Nobody answered this time."
    if ranking[0].points <= 0:
        return "Nobody scored this time."
    return f"🏆 {_name(ranking[0])} wins with **{points(ranking[0].points)}**!"


def _highlight_lines(highlights: Highlights, names: Mapping[int, str], question_text: Callable[[str], str | None]) -> list[str]:
    def who(user_id: int) -> str:
        return player_name(user_id, names.get(user_id, ""))

    lines = []
    if highlights.fastest is not None:
        seconds = highlights.fastest.response_ms / 1000
        lines.append(f"⚡ Fastest right answer: {who(highlights.fastest.user_id)} in {seconds:.1f} s")
    if highlights.streak is not None:
        lines.append(f"🔥 Longest streak: {who(highlights.streak.user_id)}, {highlights.streak.length} right in a row")
    toughest = highlights.toughest
    if toughest is not None:
        text = question_text(toughest.question_id)
        if text is not None:
            share = "nobody" if toughest.correct == 0 else f"{toughest.correct} of {toughest.answered}"
            lines.append(f"🧠 Toughest question: “{escape(text, MAX_QUESTION_SHOWN)}” ({share} got it right)")
    return lines


def night_summary(players: int, played: int, planned: int) -> str:
    """"3 players · 10 questions", or "1 player · 2 of 10 questions" for a night that ended early."""
    questions = f"{played} of {planned} questions" if played != planned else plural(planned, "question")
    return f"{plural(players, 'player')} · {questions}"


def final_standings_embed(
    night: Night, question_text: Callable[[str], str | None] = lambda _: None, card: bool = False
) -> discord.Embed:
    """The final standings; ``question_text`` finds a question by id, ``card`` shows the attached results card."""
    standings = night.standings
    ranking = standings.ranking()
    ending = ENDINGS[night.reason].format(host=player_name(night.stopped_by or 0, night.stopper_name))
    embed = discord.Embed(
        title="🏁 Final standings",
        description=f"{_headline(ranking)}\n{ending}".strip(),
        colour=BOARD_COLOUR,
    )
    top = podium(ranking)
    if top:
        embed.add_field(
            name="Podium",
            value="\n".join(f"{MEDALS[place]} {_name(s)}: {points(s.points)}" for place, s in enumerate(top, start=1)),
            inline=False,
        )
    rest = ranking[len(top):]
    if rest:
        lines = [f"`#{place}` {_name(s)}: {points(s.points)}" for place, s in enumerate(rest, start=len(top) + 1)]
        embed.add_field(name="Everyone else" if top else "Players", value=fit_lines(lines, FIELD_VALUE), inline=False)
    highlights = _highlight_lines(night.highlights, standings.names, question_text)
    if highlights:
        embed.add_field(name="Highlights of the night", value="\n".join(highlights), inline=False)
    if card:
        embed.set_image(url=f"attachment://{CARD_NAME}")
    embed.set_footer(text=f"{night_summary(len(ranking), standings.rounds, night.planned)} · see /leaderboard for the all-time standings")
    return embed
