"""Generative pictures for the demo catalogue: a theme colour, shapes drawn from a seed, a title.

Rendering is pure (no database): the same seed and text always give the same JPEG bytes.
"""

from __future__ import annotations

import io
import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

IMAGE_SIZE = (1200, 800)
JPEG_QUALITY = 80

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _mix(colour: tuple[int, int, int], other: tuple[int, int, int], share: float):
    return tuple(round(a * (1 - share) + b * share) for a, b in zip(colour, other, strict=True))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _draw_shapes(draw: ImageDraw.ImageDraw, rng: random.Random, base: tuple[int, int, int]):
    """One of several compositions, so neighbouring cards do not look alike."""
    width, height = IMAGE_SIZE
    light = _mix(base, (255, 255, 255), 0.55)
    dark = _mix(base, (0, 0, 0), 0.45)
    accent = _mix(base, (255, 214, 0), 0.6)
    palette = [light, dark, accent, _mix(base, (255, 255, 255), 0.25)]
    style = rng.randrange(5)
    if style == 0:  # scattered discs
        for _ in range(rng.randint(6, 14)):
            x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(30, 260)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(palette))
    elif style == 1:  # diagonal bands
        step = rng.randint(60, 140)
        for offset in range(-height, width + height, step):
            band = rng.randint(step // 4, step // 2)
            draw.polygon(
                [
                    (offset, 0),
                    (offset + band, 0),
                    (offset + band + height, height),
                    (offset + height, height),
                ],
                fill=rng.choice(palette),
            )
    elif style == 2:  # grid of tiles, some missing
        cell = rng.choice([80, 100, 120, 150])
        for x in range(0, width, cell):
            for y in range(0, height, cell):
                if rng.random() < 0.55:
                    inset = rng.randint(4, cell // 4)
                    shape = rng.choice(("rect", "disc", "quarter"))
                    box = (x + inset, y + inset, x + cell - inset, y + cell - inset)
                    colour = rng.choice(palette)
                    if shape == "rect":
                        draw.rectangle(box, fill=colour)
                    elif shape == "disc":
                        draw.ellipse(box, fill=colour)
                    else:
                        draw.pieslice(box, rng.choice((0, 90, 180, 270)), 0, fill=colour)
    elif style == 3:  # concentric arcs from a corner
        cx, cy = rng.choice([(0, 0), (width, 0), (0, height), (width, height)])
        radius = rng.randint(900, 1400)
        while radius > 40:
            draw.ellipse(
                (cx - radius, cy - radius, cx + radius, cy + radius),
                fill=rng.choice(palette),
            )
            radius -= rng.randint(50, 140)
    else:  # stacked triangles, like roofs of a courée
        for _ in range(rng.randint(8, 16)):
            x, base_y = rng.randint(-100, width), rng.randint(200, height + 100)
            span, rise = rng.randint(120, 420), rng.randint(80, 320)
            draw.polygon(
                [(x, base_y), (x + span // 2, base_y - rise), (x + span, base_y)],
                fill=rng.choice(palette),
            )


def render_picture(
    seed: str,
    colour: str,
    *,
    title: str = "",
    kicker: str = "",
    footer: str = "",
    size: tuple[int, int] = IMAGE_SIZE,
) -> bytes:
    """A JPEG: shapes in the theme colour, with the title in a band at the bottom if given."""
    rng = random.Random(seed)
    base = hex_to_rgb(colour)
    picture = Image.new("RGB", IMAGE_SIZE, base)
    draw = ImageDraw.Draw(picture)
    _draw_shapes(draw, rng, base)
    width, height = IMAGE_SIZE
    margin = 56
    if kicker:
        kicker_font = _font(30)
        box = draw.textbbox((margin, margin), kicker.upper(), font=kicker_font)
        draw.rectangle((box[0] - 14, box[1] - 10, box[2] + 14, box[3] + 10), fill=(255, 255, 255))
        draw.text((margin, margin), kicker.upper(), font=kicker_font, fill=base)
    if title:
        title_font = _font(58)
        lines = _wrap(draw, title, title_font, width - 2 * margin)[:3]
        line_height = 70
        footer_height = 46 if footer else 0
        band_top = height - margin - len(lines) * line_height - footer_height - 40
        draw.rectangle((0, band_top, width, height), fill=_mix(base, (0, 0, 0), 0.7))
        y = band_top + 30
        for line in lines:
            draw.text((margin, y), line, font=title_font, fill=(255, 255, 255))
            y += line_height
        if footer:
            draw.text(
                (margin, y + 8), footer, font=_font(28), fill=_mix(base, (255, 255, 255), 0.7)
            )
    if size != IMAGE_SIZE:
        picture = picture.resize(size, Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


LOGO_SIZE = (400, 400)
LOGO_COLOURS = ["#1d1d1b", "#e4003a", "#1f4fd8", "#0f8a5f", "#c2410c", "#7c3aed", "#a16207"]


def initials(name: str) -> str:
    """Up to three capitals from the significant words: "Atelier Trame" → "AT"."""
    small_words = {"de", "du", "des", "la", "le", "les", "et", "d'", "l'", "&"}
    letters = [w[0] for w in name.replace("'", "' ").split() if w.lower() not in small_words]
    return "".join(letters[:3]).upper() or name[:2].upper()


def render_logo(seed: str, name: str) -> bytes:
    """A square monogram, as many small structures have for a logo."""
    rng = random.Random(seed)
    background = hex_to_rgb(rng.choice(LOGO_COLOURS))
    picture = Image.new("RGB", LOGO_SIZE, background)
    draw = ImageDraw.Draw(picture)
    light = _mix(background, (255, 255, 255), 0.85)
    if rng.random() < 0.5:
        draw.ellipse((30, 30, 370, 370), outline=light, width=10)
    else:
        draw.rectangle((40, 40, 360, 360), outline=light, width=10)
    text = initials(name)
    font = _font(150 if len(text) < 3 else 110)
    box = draw.textbbox((0, 0), text, font=font)
    position = (
        (LOGO_SIZE[0] - (box[2] - box[0])) / 2 - box[0],
        (LOGO_SIZE[1] - (box[3] - box[1])) / 2 - box[1],
    )
    draw.text(position, text, font=font, fill=light)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
