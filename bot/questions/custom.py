"""Per-server custom packs: upload limits, the checks an upload must pass, and the questions they add.

A server's packs are validated like shipped packs (:func:`parse_pack`); on top of
that their ids and question texts may not repeat a shipped question or one of
the server's other packs. Discord-free: the cog in ``cogs/packs.py`` does the I/O.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Iterable

from bot.questions.errors import PackProblem
from bot.questions.giveaways import giveaway_problems
from bot.questions.loader import cross_pack_problems, normalise_text, parse_pack
from bot.questions.model import Pack, Question

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 256 * 1024
MAX_PACKS_PER_SERVER = 10
MAX_QUESTIONS_PER_SERVER = 2000

SHIPPED = "the built-in pack"
CUSTOM = "this server's pack"


def stored_pack(yaml_text: str, name: str) -> Pack | None:
    """Parse a pack saved at upload (so already validated); None, logged, if it no longer passes."""
    pack, problems = parse_pack(yaml_text.encode("utf-8"), source=f"custom pack {name}")
    if pack is None:
        log.error("custom pack %r no longer loads: %s", name, "; ".join(str(p) for p in problems if not p.warning))
    return pack


def server_questions(guild_id: int, packs: Iterable[tuple[str, str]]) -> list[Question]:
    """The questions of a server's stored packs, given as (name, YAML) pairs.

    Ids only have to be unique within one server, but answer statistics are kept
    per id over every server, so each id gets a server prefix no pack id can have.
    """
    return [
        dataclasses.replace(question, id=f"guild-{guild_id}/{question.id}")
        for name, text in packs
        if (pack := stored_pack(text, name)) is not None
        for question in pack.questions
    ]


def clash_problems(pack: Pack, shipped: Iterable[Question], others: Iterable[tuple[str, str]]) -> list[PackProblem]:
    """Ids or question texts of an uploaded ``pack`` that repeat a shipped question or another
    of the server's packs, given as (name, YAML) pairs (the pack being replaced left out); and,
    as warnings, give-aways between the upload and those packs."""
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    loaded: list[tuple[Question, str]] = []

    def remember(question: Question, where: str) -> None:
        seen_ids.setdefault(question.id, where)
        seen_texts.setdefault(normalise_text(question.text), f"{question.id} in {where}")
        loaded.append((question, where))

    for question in shipped:
        remember(question, f"{SHIPPED} “{question.pack}”")
    for name, text in others:
        other = stored_pack(text, name)
        for question in other.questions if other else ():
            remember(question, f"{CUSTOM} “{name}”")
    problems = cross_pack_problems(pack, seen_ids, seen_texts)
    if any(not problem.warning for problem in problems):
        return problems
    loaded.extend((question, pack.info.source) for question in pack.questions)
    return problems + giveaway_problems(loaded, report_for=pack.info.source)
