"""The texts `/trivia-pack` replies with: validation problems, upload summaries and the pack list."""

from __future__ import annotations

from typing import Mapping, Sequence

from bot.questions.custom import MAX_PACKS_PER_SERVER, MAX_QUESTIONS_PER_SERVER
from bot.questions.errors import PackProblem
from bot.questions.model import Pack
from bot.storage.records import CustomPackRecord
from bot.ui.embeds import player_name
from bot.ui.limits import CONTENT, LIST_IN_REPLY, fit_lines, shorten
from bot.ui.markdown import ECHOED, echoed, escape

FENCE = "```"
MAX_CATEGORIES_TEXT = 500  # a pack may have many categories; the summary names what fits


def plural(count: int, word: str, many: str = "") -> str:
    """"1 player", "2 players" (with thousands separators); ``many`` for irregular plurals."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def _with_block(heading: str, lines: Sequence[str], limit: int = CONTENT) -> str:
    """``heading`` and then ``lines`` in a code block, cut to fit ``limit`` with "…and N more"."""
    if not lines:
        return heading
    room = limit - len(heading) - len(f"\n{FENCE}\n\n{FENCE}")
    safe = [line.replace(FENCE, "`\u200b``") for line in lines]  # a fence in a message must not end the block
    return f"{heading}\n{FENCE}\n{fit_lines(safe, room)}\n{FENCE}"


def name_of(pack_name: str) -> str:
    return f"**{escape(pack_name)}**"


def file_name(filename: str) -> str:
    """An uploaded file's name in code style; a backtick in it must not end the code span."""
    plain = filename.replace("`", "'")
    return f"`{shorten(plain, ECHOED)}`"


def unknown_pack_message(name: str, packs: Sequence[CustomPackRecord]) -> str:
    """The answer to a pack name the server has no pack by: the name as typed, and the packs it has."""
    known = f"Its packs: {fit_lines([name_of(p.name) for p in packs], LIST_IN_REPLY, ', ')}." if packs else "It has none."
    return f"❌ There is no custom pack called “{echoed(name)}” on this server. {known}"


def problems_message(filename: str, problems: Sequence[PackProblem]) -> str:
    """Why an upload was refused: every problem as ``file:line:col: error: …``, as many as fit."""
    errors = sum(not p.warning for p in problems)
    warnings = f" and {plural(len(problems) - errors, 'warning')}" if errors < len(problems) else ""
    heading = f"❌ {file_name(filename)} was not saved: {plural(errors, 'problem')}{warnings}. Fix the file and upload it again."
    return _with_block(heading, [str(p) for p in sorted(problems, key=lambda p: (p.line, p.column))])


def saved_message(pack: Pack, replaced: bool, warnings: Sequence[PackProblem]) -> str:
    """The summary of a stored upload: name, question count and categories, then any warnings."""
    categories = sorted({q.category for q in pack.questions}, key=str.casefold)
    heading = (
        f"✅ {'Replaced' if replaced else 'Saved'} the pack {name_of(pack.info.name)}: "
        f"{plural(len(pack.questions), 'question')} in {plural(len(categories), 'category', 'categories')} "
        f"({fit_lines([escape(c) for c in categories], MAX_CATEGORIES_TEXT, ', ')}). Only this server gets them: pick the category in `/trivia`."
    )
    if warnings:
        heading += f"\n⚠️ {plural(len(warnings), 'warning')}:"
    return _with_block(heading, [str(p) for p in warnings])


def packs_list_message(packs: Sequence[CustomPackRecord], uploaders: Mapping[int, str]) -> str:
    """This server's packs with their question counts, uploader (named from ``uploaders``; a mention,
    which never pings, for one no longer known) and upload date."""
    if not packs:
        return "This server has no custom packs yet. Upload a YAML pack with `/trivia-pack upload`."
    questions = sum(p.question_count for p in packs)
    lines = [
        f"📦 **Custom packs on this server**: {len(packs)} of {MAX_PACKS_PER_SERVER} packs, "
        f"{questions:,} of {MAX_QUESTIONS_PER_SERVER:,} questions"
    ]
    lines += [
        f"• {name_of(p.name)}: {plural(p.question_count, 'question')}, "
        f"uploaded by {player_name(p.uploaded_by, uploaders.get(p.uploaded_by, ''))} on <t:{int(p.uploaded_at)}:D>"
        for p in packs
    ]
    return fit_lines(lines, CONTENT)
