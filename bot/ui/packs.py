"""The texts `/trivia-pack` replies with: validation problems, upload summaries and the pack list."""

from __future__ import annotations

from typing import Sequence

from discord.utils import escape_markdown

from bot.questions.custom import MAX_PACKS_PER_SERVER, MAX_QUESTIONS_PER_SERVER
from bot.questions.errors import PackProblem
from bot.questions.model import Pack
from bot.storage.records import CustomPackRecord
from bot.ui.categories import fit_lines

MAX_CONTENT = 2000  # Discord's limit for a message's text
FENCE = "```"
MAX_CATEGORIES_TEXT = 500  # a pack may have many categories; the summary names what fits


def plural(count: int, word: str, many: str = "") -> str:
    """"1 player", "2 players" (with thousands separators); ``many`` for irregular plurals."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def _with_block(heading: str, lines: Sequence[str], limit: int = MAX_CONTENT) -> str:
    """``heading`` and then ``lines`` in a code block, cut to fit ``limit`` with "…and N more"."""
    if not lines:
        return heading
    room = limit - len(heading) - len(f"\n{FENCE}\n\n{FENCE}")
    safe = [line.replace(FENCE, "`\u200b``") for line in lines]  # a fence in a message must not end the block
    return f"{heading}\n{FENCE}\n{fit_lines(safe, room)}\n{FENCE}"


def name_of(pack_name: str) -> str:
    return f"**{escape_markdown(pack_name)}**"


def problems_message(filename: str, problems: Sequence[PackProblem]) -> str:
    """Why an upload was refused: every problem as ``file:line:col: error: …``, as many as fit."""
    errors = sum(not p.warning for p in problems)
    warnings = f" and {plural(len(problems) - errors, 'warning')}" if errors < len(problems) else ""
    heading = f"❌ `{filename}` was not saved: {plural(errors, 'problem')}{warnings}. Fix the file and upload it again."
    return _with_block(heading, [str(p) for p in sorted(problems, key=lambda p: (p.line, p.column))])


def saved_message(pack: Pack, replaced: bool, warnings: Sequence[PackProblem]) -> str:
    """The summary of a stored upload: name, question count and categories, then any warnings."""
    categories = sorted({q.category for q in pack.questions}, key=str.casefold)
    heading = (
        f"✅ {'Replaced' if replaced else 'Saved'} the pack {name_of(pack.info.name)}: "
        f"{plural(len(pack.questions), 'question')} in {plural(len(categories), 'category', 'categories')} "
        f"({fit_lines([escape_markdown(c) for c in categories], MAX_CATEGORIES_TEXT, ', ')}). Only this server gets them: pick the category in `/trivia`."
    )
    if warnings:
        heading += f"\n⚠️ {plural(len(warnings), 'warning')}:"
    return _with_block(heading, [str(p) for p in warnings])


def packs_list_message(packs: Sequence[CustomPackRecord]) -> str:
    """This server's packs with their question counts, uploader and upload date."""
    if not packs:
        return "This server has no custom packs yet. Upload a YAML pack with `/trivia-pack upload`."
    questions = sum(p.question_count for p in packs)
    lines = [
        f"📦 **Custom packs on this server**: {len(packs)} of {MAX_PACKS_PER_SERVER} packs, "
        f"{questions:,} of {MAX_QUESTIONS_PER_SERVER:,} questions"
    ]
    lines += [
        f"• {name_of(p.name)}: {plural(p.question_count, 'question')}, "
        f"uploaded by <@{p.uploaded_by}> on <t:{int(p.uploaded_at)}:D>"
        for p in packs
    ]
    return fit_lines(lines, MAX_CONTENT)
