"""Recognising all-numeric choice lists ("1969", "1,500 km", "$6 million", "−40", "Seven") and their values.

The bot shows such choices in ascending order instead of shuffling them (the quiz convention), and
the bank's tests check that the answer's rank among them is spread evenly. A list counts as
numeric when every choice is one number, written

- in digits, with optional thousands separators and decimals (``1,500``, ``6.25``, ``1969``), an
  optional minus sign (``-`` or ``−``) and an optional scale word (``6 million``, ``1.5 billion``); or
- as an English number word from Zero to Twenty (``Seven``);

and every choice has the same text around its number: the same currency symbol or hedge before it
(``$``, ``£``, ``€``, ``About``) and the same unit after it (``km``, ``°C``, ``%``, ``years``; a
plural ``s`` is ignored, so ``1 year`` and ``5 years`` agree). A unit may not contain digits, so
``1 May 1916`` or ``6.022 × 10^23`` are not numeric, and names such as ``Apollo 11`` are not either
(only currencies and hedges may come before the number).
"""

from __future__ import annotations

import re
from typing import Sequence

WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
HEDGES = ("about", "around", "approximately", "roughly", "nearly", "almost", "over", "under", "c.")
CURRENCIES = ("US$", "$", "£", "€", "¥", "₹")

_HEDGE = "|".join(re.escape(h) for h in HEDGES)
_CURRENCY = "|".join(re.escape(c) for c in CURRENCIES)
_SIGN = "[-−]"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CHOICE = re.compile(
    rf"""^(?P<hedge>(?:{_HEDGE})\s+)?
    (?P<sign1>{_SIGN})?\s*(?P<currency>{_CURRENCY})?\s*(?P<sign2>{_SIGN})?
    (?:(?P<number>{_NUMBER})|(?P<word>{"|".join(WORDS)})\b)
    (?:\s*(?P<scale>{"|".join(SCALES)})\b)?
    (?P<unit>[^\d]*)$""",
    re.IGNORECASE | re.VERBOSE,
)


def _unit_key(unit: str) -> str:
    words = unit.casefold().split()
    if words and len(words[-1]) > 2 and words[-1].endswith("s"):
        words[-1] = words[-1][:-1]  # "years" and "year" are one unit
    return " ".join(words)


def parse_number(choice: str) -> tuple[float, tuple[str, str]] | None:
    """The value of one choice and the text around it (what must be shared), or None if not a number."""
    match = _CHOICE.match(choice.strip())
    if match is None or (match["sign1"] and match["sign2"]):
        return None
    unit = match["unit"]
    if unit and not unit[0].isspace() and match["word"]:
        return None  # "Sevens" is not seven of anything
    if match["number"] is not None:
        value = float(match["number"].replace(",", ""))
    else:
        value = float(WORDS.index(match["word"].casefold()))
    if match["scale"]:
        value *= SCALES[match["scale"].casefold()]
    if match["sign1"] or match["sign2"]:
        value = -value
    around = (f"{(match['hedge'] or '').strip().casefold()} {match['currency'] or ''}".strip(), _unit_key(unit))
    return value, around


def numeric_values(choices: Sequence[str]) -> tuple[float, ...] | None:
    """Each choice's value if every choice is a number with the same currency, hedge and unit; else None."""
    parsed = [parse_number(choice) for choice in choices]
    if not parsed or any(p is None for p in parsed):
        return None
    if len({p[1] for p in parsed if p is not None}) != 1:
        return None
    return tuple(p[0] for p in parsed if p is not None)


def ascending_order(choices: Sequence[str]) -> tuple[int, ...] | None:
    """The indices of ``choices`` from the smallest value to the largest, or None if they are not all numeric."""
    values = numeric_values(choices)
    if values is None:
        return None
    return tuple(sorted(range(len(choices)), key=lambda i: values[i]))


def answer_rank(choices: Sequence[str], answer: str) -> int | None:
    """Where the answer sits among numeric choices, 0 for the smallest; None if they are not all numeric."""
    order = ascending_order(choices)
    return None if order is None else order.index(list(choices).index(answer))
