"""Discord's size limits, and the one way the bot shortens text to fit them.

Discord refuses a whole message (a 400) when one part is too long, so every text the bot builds
from data it does not control (names, pack text, lists of any length) goes through here:
:func:`shorten` for one piece of text, :func:`fit_lines` for a list, :func:`autocomplete` for
the suggestions of a slash-command option.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

from discord import app_commands

# https://discord.com/developers/docs/resources/message and .../interactions, as of 2026.
CONTENT = 2000  # a message's text
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000  # every text of every embed of one message together
CUSTOM_ID = 100  # a button's id
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
EVENT_NAME = 100  # a scheduled event's name
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100

LIST_IN_REPLY = 1500  # a list of names inside a reply, leaving room for the sentence around it

ELLIPSIS = "…"

ChoiceValue = TypeVar("ChoiceValue", str, int)

# What a cut must never split: a Discord token such as <@123>, <#123>, <t:1700000000:R> or
# <:name:123>, and a backslash escape (\*). A trailing run of backslashes is handled apart.
_TOKEN = re.compile(r"<(?:@[!&]?\d+|#\d+|t:-?\d+(?::[tTdDfFR])?|a?:\w+:\d+)>")
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e"}  # zero-width joiner and variation selectors stay with their emoji


def _safe_cut(text: str, cut: int) -> int:
    """The largest position at or before ``cut`` that splits no token, escape or combined character."""
    for token in _TOKEN.finditer(text, max(0, cut - 40), cut + 40):
        if token.start() < cut < token.end():
            cut = token.start()
    while 0 < cut < len(text) and (unicodedata.combining(text[cut]) or text[cut] in _JOINERS or text[cut - 1] == "\u200d"):
        cut -= 1
    backslashes = len(text[:cut]) - len(text[:cut].rstrip("\\"))
    return cut - backslashes % 2  # an odd run ends with an escape that lost its character


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut (never inside a mention, timestamp or
    markdown escape) and ended with "…". Meant for one piece of text: escape it first, then shorten,
    then add any formatting around it, so a cut can never leave a ``**`` open."""
    if len(text) <= limit:
        return text
    cut = _safe_cut(text, limit - len(ELLIPSIS))
    return text[:cut].rstrip() + ELLIPSIS


def fit_lines(lines: Sequence[str], limit: int, separator: str = "\n") -> str:
    """Join as many whole ``lines`` as fit in ``limit`` characters, ending with "…and N more" if some
    don't; a first line too long on its own is shortened."""
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = f"{separator}…and {rest} more" if rest else ""
        if len(separator.join([*shown, line]) + tail) > limit:
            if not shown:
                return shorten(line, limit - len(tail)) + tail
            return separator.join([*shown, f"…and {rest + 1} more"])
        shown.append(line)
    return separator.join(shown)


def autocomplete(names_and_values: Iterable[tuple[str, ChoiceValue]]) -> list[app_commands.Choice[ChoiceValue]]:
    """Suggestions for a slash-command option: at most 25, names shortened; a text value too long for
    Discord could not be sent back, so it is not offered."""
    choices: list[app_commands.Choice[ChoiceValue]] = []
    for name, value in names_and_values:
        if isinstance(value, str) and len(value) > CHOICE_VALUE:
            continue
        choices.append(app_commands.Choice(name=shorten(name, CHOICE_NAME), value=value))
        if len(choices) == AUTOCOMPLETE_CHOICES:
            break
    return choices
