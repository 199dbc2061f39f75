"""Category illustrations for reveals: small PNGs drawn by ``tools/draw_illustrations.py``.

A reveal carries its category's picture as an attachment (shown as the embed's thumbnail), so it
costs no request of its own; a custom category gets the generic picture.
"""

from __future__ import annotations

import re
from pathlib import Path

import discord

ASSETS = Path(__file__).parent / "assets" / "categories"
GENERIC = "generic.png"
ATTACHMENT = "category.png"


def slug(category: str) -> str:
    """"Food & Drink" -> "food-drink"."""
    return re.sub(r"[^a-z0-9]+", "-", category.casefold()).strip("-")


def illustration_path(category: str) -> Path:
    path = ASSETS / f"{slug(category)}.png"
    return path if path.is_file() else ASSETS / GENERIC


def illustration_file(category: str) -> discord.File:
    """A fresh file for one message (a sent file is closed)."""
    return discord.File(illustration_path(category), ATTACHMENT)


def attachment_url() -> str:
    return f"attachment://{ATTACHMENT}"
