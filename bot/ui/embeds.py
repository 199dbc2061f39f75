"""Embeds for questions, reveals and leaderboards."""

from __future__ import annotations

import discord

from bot.constants import BOARD_COLOUR, DIFFICULTY_LABELS, LETTERS, QUESTION_COLOUR, REVEAL_COLOUR
from bot.game.rounds import AskedQuestion, RoundResult
from bot.storage.records import BoardRow

BAR_WIDTH = 10
MAX_LISTED_WINNERS = 20


def _category_line(asked: AskedQuestion) -> str:
    question = asked.question
    return f"{question.category} · {DIFFICULTY_LABELS.get(question.difficulty, question.difficulty)}"


def question_embed(asked: AskedQuestion, deadline_unix: int, number: int = 1, total: int = 1) -> discord.Embed:
    choices = "\n".join(f"{LETTERS[i]} {text}" for i, text in enumerate(asked.choices))
    title = "Trivia" if total == 1 else f"Question {number} of {total}"
    embed = discord.Embed(
        title=title,
        description=f"**{asked.question.text}**\n\n{choices}\n\n⏳ Time's up <t:{deadline_unix}:R>",
        colour=QUESTION_COLOUR,
    )
    embed.set_footer(text=f"{_category_line(asked)} — react with a letter to answer")
    return embed


def _spread(result: RoundResult) -> str:
    counts = result.counts()
    total = sum(counts)
    lines = []
    for i, text in enumerate(result.asked.choices):
        share = counts[i] / total if total else 0.0
        filled = round(share * BAR_WIDTH)
        mark = " ✅" if i == result.asked.correct else ""
        lines.append(f"{LETTERS[i]} `{'█' * filled}{'░' * (BAR_WIDTH - filled)}` {counts[i]} ({share:.0%}){mark}")
    return "\n".join(lines)


def _winners(result: RoundResult) -> str:
    winners = result.winners
    if not winners:
        return "Nobody this time." if result.outcomes else "Nobody answered."
    shown = [f"<@{o.user_id}> +{o.points}" for o in winners[:MAX_LISTED_WINNERS]]
    more = len(winners) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def reveal_embed(result: RoundResult) -> discord.Embed:
    asked = result.asked
    question = asked.question
    embed = discord.Embed(
        title=f"{LETTERS[asked.correct]} {question.answer} — {question.category}",
        description=question.explanation or None,
        colour=REVEAL_COLOUR,
    )
    if question.learn_more:
        embed.add_field(name="Learn more", value=f"[Read about it]({question.learn_more})", inline=False)
    embed.add_field(name="Got it right", value=_winners(result), inline=False)
    embed.add_field(name="Answers", value=_spread(result), inline=False)
    if question.image:
        embed.set_image(url=question.image)
    embed.set_footer(text=f"Q: {question.text}"[:2048])
    return embed


def _player(row: BoardRow) -> str:
    return discord.utils.escape_markdown(row.name) if row.name else f"<@{row.user_id}>"


def leaderboard_embed(guild_name: str, rows: list[BoardRow], page: int, pages: int) -> discord.Embed:
    embed = discord.Embed(title=f"🏆 Leaderboard — {guild_name}", colour=BOARD_COLOUR)
    if not rows:
        embed.description = "No scores yet. Start a question with `/trivia` and be the first on the board!"
        return embed
    medals = {1: "🥇", 2: "🥈", 3: "🥉"}
    embed.description = "\n".join(
        f"{medals.get(r.rank, f'`#{r.rank}`')} **{_player(r)}** — {r.points} pts · "
        f"{r.correct}/{r.answered} correct ({r.accuracy:.0%})"
        for r in rows
    )
    if pages > 1:
        embed.set_footer(text=f"Page {page} of {pages}")
    return embed
