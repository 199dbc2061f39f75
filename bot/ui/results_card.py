"""The results card: a PNG of a night's podium to share, drawn with Pillow.

1200x675 (16:9, what Discord shows full width on a phone) with large type. The font ships with the
bot (DejaVu Sans, see ``assets/fonts/LICENSE-DejaVu.txt``), so the card looks the same on every host.
Characters the font lacks (emoji, scripts it does not cover) are left out rather than drawn as empty
boxes; a name with nothing left to draw is shown as "Player N".
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 675)
FONTS = Path(__file__).parent / "assets" / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
MISSING_PROBE = "\U0010fffd"  # a private-use character no font draws: its image is the "missing glyph" box

BACKGROUND_TOP = (34, 30, 68)
BACKGROUND_BOTTOM = (18, 18, 32)
TEXT = (245, 245, 250)
MUTED = (178, 178, 204)
ACCENT = (255, 204, 77)
PLACES = {  # place: (block colour, block height)
    1: ((255, 196, 46), 250),
    2: ((192, 199, 214), 190),
    3: ((214, 137, 78), 140),
}
BLOCK_WIDTH = 300
BLOCK_GAP = 30
FLOOR = 600  # where the podium stands


@dataclass(frozen=True, slots=True)
class Podium:
    """One place on the card."""

    name: str
    points: int


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


@lru_cache(maxsize=4096)
def _has_glyph(character: str) -> bool:
    if unicodedata.category(character) == "Zs":  # spaces draw nothing, and that is right
        return True
    probe = font(40)
    return bytes(probe.getmask(character)) != bytes(probe.getmask(MISSING_PROBE))


def drawable(text: str) -> str:
    """``text`` without the characters the card's font cannot draw (and without control characters)."""
    kept = "".join(c for c in text if unicodedata.category(c)[0] != "C" and _has_glyph(c))
    return " ".join(kept.split())


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, largest: int, smallest: int, bold: bool = True) -> tuple[str, ImageFont.FreeTypeFont]:
    """The largest type (down to ``smallest``) in which ``text`` fits ``width``; shortened with "…" if even that is too wide."""
    for size in range(largest, smallest - 1, -4):
        face = font(size, bold)
        if draw.textlength(text, font=face) <= width:
            return text, face
    face = font(smallest, bold)
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text.rstrip() + "…", face


def _background() -> Image.Image:
    image = Image.new("RGB", SIZE, BACKGROUND_BOTTOM)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for y in range(height):
        t = y / (height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _points(value: int) -> str:
    return f"{value:,} point" + ("" if value == 1 else "s")


def draw_results_card(server: str, when: datetime.datetime, podium: Sequence[Podium], summary: str) -> bytes:
    """The card as PNG bytes: the server's name and the date on top, up to three places, ``summary`` below."""
    image = _background()
    draw = ImageDraw.Draw(image)
    width, _ = SIZE
    margin = 48
    draw.text((margin, 36), "Trivia Night", font=font(56, bold=True), fill=ACCENT)
    draw.text((width - margin, 52), f"{when.day} {when:%B %Y}", font=font(34), fill=MUTED, anchor="ra")
    server_text, server_font = _fit(draw, drawable(server) or "Trivia", width - 2 * margin, 40, 28, bold=False)
    draw.text((margin, 108), server_text, font=server_font, fill=TEXT)

    if not podium:
        draw.text((width / 2, 360), "Nobody scored tonight", font=font(64, bold=True), fill=TEXT, anchor="mm")
    # Second place stands left of the winner, third right.
    slots = {2: width / 2 - BLOCK_WIDTH * 1.5 - BLOCK_GAP, 1: width / 2 - BLOCK_WIDTH / 2, 3: width / 2 + BLOCK_WIDTH / 2 + BLOCK_GAP}
    for place, entry in enumerate(podium[:3], start=1):
        colour, height = PLACES[place]
        left = slots[place]
        top = FLOOR - height
        draw.rounded_rectangle([left, top, left + BLOCK_WIDTH, FLOOR], radius=18, fill=colour)
        draw.text((left + BLOCK_WIDTH / 2, top + 20), str(place), font=font(110, bold=True), fill=BACKGROUND_BOTTOM, anchor="mt")
        centre = left + BLOCK_WIDTH / 2
        name, name_font = _fit(draw, drawable(entry.name) or f"Player {place}", BLOCK_WIDTH + 20, 48, 26)
        draw.text((centre, top - 70), name, font=name_font, fill=TEXT, anchor="ms")
        draw.text((centre, top - 22), _points(entry.points), font=font(36), fill=ACCENT if place == 1 else MUTED, anchor="ms")

    draw.text((width / 2, FLOOR + 22), drawable(summary), font=font(32), fill=MUTED, anchor="mt")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
