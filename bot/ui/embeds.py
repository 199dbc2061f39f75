"""Embeds for questions, reveals and leaderboards."""

from __future__ import annotations

import discord

from bot.constants import BOARD_COLOUR, DIFFICULTY_LABELS, LETTERS, QUESTION_COLOUR, REVEAL_COLOUR
from bot.game.options import EndReason
from bot.game.rounds import AskedQuestion, RoundResult
from bot.game.server_settings import ANSWER_MODES, RANGES, ServerSettings
from bot.game.stale_settings import NOTHING_STALE, StaleSettings
from bot.game.standings import GameStandings
from bot.storage.records import BoardRow, PlayerStats
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_TITLE, FIELD_VALUE, FOOTER, fit_lines, shorten
from bot.ui.markdown import escape
from bot.ui.stale import stale_notes

BAR_WIDTH = 10
MAX_LISTED_WINNERS = 15
NAME_SHOWN = 80  # a player's escaped name is shortened to this (Discord's display names are at most 32)


def _category_line(asked: AskedQuestion) -> str:
    question = asked.question
    return f"{question.category} · {DIFFICULTY_LABELS.get(question.difficulty, question.difficulty)}"


# What a question card says instead of its countdown when its round ended before the deadline.
CLOSED_BY_STOP = "⏹️ Closed early: the game was stopped. Answers given before the stop count."
CLOSED_VOID = "❌ Cancelled: this question was not scored."


def question_embed(
    asked: AskedQuestion, deadline_unix: int, number: int = 1, total: int = 1, answered: int | None = None,
    closed: str | None = None,
) -> discord.Embed:
    """A question card; ``closed`` replaces the countdown once the round ended early."""
    choices = "\n".join(f"{LETTERS[i]} {escape(text)}" for i, text in enumerate(asked.choices))
    title = "Trivia" if total == 1 else f"Question {number} of {total}"
    count = f" · {answered} answered" if answered is not None else ""
    status = closed or f"⏳ Time's up <t:{deadline_unix}:R>{count}"
    embed = discord.Embed(
        title=title,
        description=f"**{escape(asked.question.text)}**\n\n{choices}\n\n{status}",
        colour=QUESTION_COLOUR,
    )
    embed.set_footer(text=f"{_category_line(asked)} — react with a letter to answer")
    if asked.question.image:
        embed.set_image(url=asked.question.image)  # a picture question: "which landmark is this?"
    return embed


RIGHT_BAR, PICKED_BAR, EMPTY_BAR = "🟩", "🟦", "⬛"


def _spread(result: RoundResult) -> str:
    """One line per choice: its letter, a bar of squares (green for the right answer), the count and share."""
    counts = result.counts()
    total = sum(counts)
    lines = []
    for i, count in enumerate(counts):
        share = count / total if total else 0.0
        filled = max(1, round(share * BAR_WIDTH)) if count else 0
        right = i == result.asked.correct
        bar = (RIGHT_BAR if right else PICKED_BAR) * filled + EMPTY_BAR * (BAR_WIDTH - filled)
        lines.append(f"{LETTERS[i]} {bar} {count} ({share:.0%}){' ✅' if right else ''}")
    return "\n".join(lines)


def _winners(result: RoundResult) -> str:
    """The first winners by name (at most 15, and as many as fit in a field), then how many more."""
    winners = result.winners
    if not winners:
        return "Nobody this time." if result.outcomes else "Nobody answered."
    names = [f"{player_name(o.user_id, o.name)} +{o.points}" for o in winners]

    def listed(count: int) -> str:
        more = len(names) - count
        return ", ".join(names[:count]) + (f" +{more} more" if more else "")

    count = min(len(names), MAX_LISTED_WINNERS)
    while count > 1 and len(listed(count)) > FIELD_VALUE:
        count -= 1
    return listed(count)


MIN_ANSWERS_FOR_RATE = 10  # a question's correct rate is shown once this many answers exist


def correct_rate(answered: int, correct: int) -> float | None:
    """The share of all answers to a question that were right, once there are enough to mean something."""
    return correct / answered if answered >= MIN_ANSWERS_FOR_RATE else None


def reveal_embed(
    result: RoundResult, standings: GameStandings | None = None, rate: float | None = None, next_up: str | None = None,
    thumbnail: str | None = None,
) -> discord.Embed:
    """The answer card; ``next_up`` says when a night's next question comes, ``thumbnail`` is its illustration."""
    asked = result.asked
    question = asked.question
    embed = discord.Embed(
        title=shorten(f"{LETTERS[asked.correct]} {escape(question.answer)} — {escape(question.category)}", EMBED_TITLE),
        description=escape(question.explanation, EMBED_DESCRIPTION) or None,
        colour=REVEAL_COLOUR,
    )
    if question.learn_more:
        embed.add_field(name="Learn more", value=f"[Read about it]({question.learn_more})", inline=False)
    embed.add_field(name="Got it right", value=_winners(result), inline=False)
    embed.add_field(name="Answers", value=_spread(result), inline=False)
    if standings is not None and standings.points:
        embed.add_field(name="Tonight's top 3", value=_top(standings, 3, " · "), inline=False)
    if next_up:
        embed.add_field(name="Next", value=next_up, inline=False)
    if question.reveal_image:
        embed.set_image(url=question.reveal_image)
    if thumbnail:
        embed.set_thumbnail(url=thumbnail)
    rate_note = f" · {rate:.0%} of players got this right" if rate is not None else ""
    embed.set_footer(text=shorten(f"Q: {question.text}", FOOTER - len(rate_note)) + rate_note)  # footers show no markdown
    return embed


MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def player_name(user_id: int, name: str) -> str:
    """A stored display name, escaped; a (never pinging) mention when no name was seen."""
    return f"**{escape(name, NAME_SHOWN)}**" if name else f"<@{user_id}>"


def _top(standings: GameStandings, count: int, separator: str) -> str:
    return separator.join(
        f"{MEDALS.get(place, f'#{place}')} {player_name(s.user_id, s.name)} {s.points}"
        for place, s in enumerate(standings.ranking()[:count], start=1)
    )


# The closing line of the final standings, for each way a game can end.
ENDINGS: dict[EndReason, str] = {
    EndReason.COMPLETED: "That's the end of the game!",
    EndReason.STOPPED: "The game was stopped by {host}.",
    EndReason.NO_ANSWERS: "The game ended because nobody answered several questions in a row.",
    EndReason.NO_QUESTIONS: "The game ended early: there are no more questions matching its settings.",
    EndReason.DISCORD_FAILED: "The game ended early: Discord refused or failed a request (see the message above).",
}


def _board_line(row: BoardRow) -> str:
    """One player on a board; medals are for the top three who scored, never for 0 points."""
    place = MEDALS.get(row.rank, f"`#{row.rank}`") if row.points > 0 else f"`#{row.rank}`"
    return (
        f"{place} {player_name(row.user_id, row.name)} — {row.points} pts · "
        f"{row.correct}/{row.answered} correct ({row.accuracy:.0%})"
    )


def leaderboard_embed(title: str, rows: list[BoardRow], page: int, pages: int, you: BoardRow | None = None) -> discord.Embed:
    """A page of a board; ``you`` is the asking member's own row, shown under the page when they are not on it."""
    embed = discord.Embed(title=shorten(f"🏆 Leaderboard — {escape(title)}", EMBED_TITLE), colour=BOARD_COLOUR)
    if not rows:
        embed.description = "No scores yet. Start a question with `/trivia` and be the first on the board!"
        return embed
    embed.description = "\n".join(_board_line(r) for r in rows)
    if you is not None and all(r.user_id != you.user_id for r in rows):
        embed.add_field(name="Your rank", value=_board_line(you), inline=False)
    if pages > 1:
        embed.set_footer(text=f"Page {page} of {pages}")
    return embed


def stats_embed(stats: PlayerStats, display_name: str) -> discord.Embed:
    embed = discord.Embed(title=shorten(f"📊 Trivia stats — {escape(display_name)}", EMBED_TITLE), colour=BOARD_COLOUR)
    fastest = f"{stats.fastest_correct_ms / 1000:.1f} s" if stats.fastest_correct_ms is not None else "—"
    for name, value in (
        ("Points", f"{stats.points} (rank #{stats.rank})"),
        ("Answered", str(stats.answered)),
        ("Correct", f"{stats.correct} ({stats.accuracy:.0%})"),
        ("Best streak", str(stats.best_streak)),
        ("Fastest correct answer", fastest),
        ("Favourite category", escape(stats.favourite_category) if stats.favourite_category else "—"),
    ):
        embed.add_field(name=name, value=value, inline=True)
    return embed


LISTED_SETTING = FIELD_VALUE - 100  # room for a list in a setting's field, next to its option and what it takes


def settings_embed(config: ServerSettings, stale: StaleSettings = NOTHING_STALE) -> discord.Embed:
    """Each setting with its value, the `/trivia-settings` option that changes it and what that option takes;
    then what in them is ``stale`` and how to fix it."""

    def on_off(value: bool) -> str:
        return "on" if value else "off"

    def span(option: str) -> str:
        allowed = RANGES[option]
        return f"{allowed.low}–{allowed.high}" + (f" {allowed.unit}" if allowed.unit else "")

    rows = (
        ("Answer time", f"{config.answer_seconds} s", "answer_seconds", span("answer_seconds")),
        ("Questions per game", str(config.questions_per_game), "questions_per_game", span("questions_per_game")),
        ("Break between questions", f"{config.break_seconds} s", "break_seconds", span("break_seconds")),
        ("Categories", fit_lines([escape(c) for c in config.categories], LISTED_SETTING, ", ") or "all",
         "categories", "names, comma-separated, or all"),
        ("Who may start games", _starters(config, stale),
         "starter_role", "a role, or @everyone"),
        ("Game channels", _game_channels(config, stale), "game_channels", "#channels, or all"),
        ("Answer mode", "first pick locks" if config.answer_mode == "first" else "latest pick counts",
         "answer_mode", " or ".join(ANSWER_MODES)),
        ("Secret answers", on_off(config.secret_answers), "secret_answers", "True or False"),
        ("Speed bonus", on_off(config.speed_bonus), "speed_bonus", "True or False"),
        ("Auto-stop after unanswered questions", str(config.auto_stop), "auto_stop", span("auto_stop")),
        ("Time zone", config.timezone, "timezone", "an IANA name, e.g. Europe/Berlin"),
        ("Schedule reminder", f"{config.schedule_reminder_minutes} min before" if config.schedule_reminder_minutes else "off",
         "schedule_reminder_minutes", span("schedule_reminder_minutes") + ", 0 for off"),
    )
    embed = discord.Embed(title="⚙️ Trivia settings", colour=QUESTION_COLOUR)
    for name, value, option, allowed in rows:
        embed.add_field(name=name, value=f"**{value}** · `{option}` ({allowed})", inline=False)
    notes = stale_notes(config, stale)
    if notes:
        embed.add_field(name="⚠️ Stale settings", value="\n".join(notes), inline=False)
    embed.set_footer(text="Change one with /trivia-settings option:value")
    return embed


def _game_channels(config: ServerSettings, stale: StaleSettings) -> str:
    """The channels games may run in; deleted ones are said to be (Discord shows their mentions as #unknown)."""
    if not config.channel_ids:
        return "all"
    if all(c in stale.channel_ids for c in config.channel_ids):
        return "all (the channels set were deleted)"
    shown = [f"<#{c}>" for c in config.channel_ids if c not in stale.channel_ids]
    gone = len(config.channel_ids) - len(shown)
    deleted = f" (and {gone} deleted)" if gone else ""
    return fit_lines(shown, LISTED_SETTING - len(deleted), " ") + deleted


def _starters(config: ServerSettings, stale: StaleSettings) -> str:
    if config.starter_role_id is None:
        return "everyone"
    if stale.starter_role_id is not None:
        return "everyone (the role set was deleted)"
    return f"<@&{config.starter_role_id}>"
