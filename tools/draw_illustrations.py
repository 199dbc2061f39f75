"""Draw the category illustrations shown on reveals: one small PNG per category, plus a generic one.

    /work/venv/bin/python tools/draw_illustrations.py

Each icon is a coloured disc with a symbol from the bundled DejaVu Sans font, drawn with Pillow at
4x and scaled down for clean edges. The PNGs are committed under ``bot/ui/assets/categories/``;
run this again after changing a colour or a symbol.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ui.illustrations import ASSETS, GENERIC, slug  # noqa: E402

FONT = ROOT / "bot" / "ui" / "assets" / "fonts" / "DejaVuSans-Bold.ttf"
SIZE = 160
SCALE = 4

BALL = "ball"  # drawn with shapes: the font has no ball

# category: (disc colour, symbol)
ICONS: dict[str, tuple[tuple[int, int, int], str]] = {
    "Architecture": ((181, 101, 29), "⌂"),
    "Art": ((214, 51, 132), "✎"),
    "Computing & AI": ((32, 120, 200), "⌘"),
    "Current Events": ((220, 60, 60), "✉"),
    "Earth & Weather": ((40, 160, 200), "☂"),
    "Economics & Business": ((30, 140, 90), "$"),
    "Film & TV": ((60, 60, 70), "★"),
    "Food & Drink": ((230, 120, 40), "☕"),
    "Games": ((120, 70, 200), "♞"),
    "Geography": ((20, 150, 130), "⚑"),
    "History": ((150, 110, 60), "⚔"),
    "Human Body & Health": ((220, 70, 90), "♥"),
    "Inventions & Engineering": ((100, 110, 130), "⚙"),
    "Language & Words": ((70, 90, 190), "¶"),
    "Literature": ((130, 60, 60), "❦"),
    "Mathematics & Logic": ((50, 100, 160), "∑"),
    "Music": ((200, 50, 170), "♫"),
    "Mythology & Religion": ((190, 150, 40), "☯"),
    "Nature & Animals": ((60, 150, 60), "❀"),
    "Science": ((0, 150, 170), "⚛"),
    "Space": ((40, 40, 110), "☾"),
    "Sports": ((240, 150, 0), BALL),
    "Technology": ((80, 80, 200), "⚡"),
    "Transport": ((200, 80, 40), "✈"),
}
GENERIC_ICON = ((90, 100, 120), "?")


def draw(colour: tuple[int, int, int], symbol: str) -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse([0, 0, big - 1, big - 1], fill=(*colour, 255))
    inner = round(big * 0.06)
    pen.ellipse([inner, inner, big - 1 - inner, big - 1 - inner], outline=(255, 255, 255, 90), width=round(big * 0.02))
    white = (255, 255, 255, 255)
    if symbol == BALL:
        r, c, w = big * 0.27, big / 2, round(big * 0.035)
        pen.ellipse([c - r, c - r, c + r, c + r], outline=white, width=w)
        pen.arc([c - r * 1.9, c - r, c - r * 0.1, c + r], -60, 60, fill=white, width=w)  # the seams of a tennis ball
        pen.arc([c + r * 0.1, c - r, c + r * 1.9, c + r], 120, 240, fill=white, width=w)
    else:
        face = ImageFont.truetype(str(FONT), round(big * 0.55))
        if bytes(face.getmask(symbol)) == bytes(face.getmask("\U0010fffd")):
            raise SystemExit(f"the font has no {symbol!r}: pick another symbol")
        pen.text((big / 2, big / 2), symbol, font=face, fill=white, anchor="mm")
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    for category, (colour, symbol) in ICONS.items():
        draw(colour, symbol).save(ASSETS / f"{slug(category)}.png", optimize=True)
    draw(*GENERIC_ICON).save(ASSETS / GENERIC, optimize=True)
    print(f"drew {len(ICONS) + 1} illustrations in {ASSETS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
