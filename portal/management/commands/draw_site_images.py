"""Draw the favicon (PNG, ICO) and the default Open Graph picture with Pillow.

The SVG favicon (static/img/favicon.svg) is the drawing; this command draws the
same mark for the places that want bitmaps, and the 1200 × 630 picture that link
previews show for pages without one of their own. Run it after changing the mark;
its output is committed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

TEAL = "#0b6367"
WHITE = "#ffffff"
AMBER = "#e8a33d"
# Drawn large and scaled down, which smooths the edges.
SCALE = 8


def draw_mark(size: int) -> Image.Image:
    """The headframe mark of favicon.svg (a 64-unit square) at `size` pixels."""
    big = size * SCALE
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=12 * unit, fill=TEAL)
    width = round(5 * unit)

    def line(points, colour=WHITE):
        scaled = [(x * unit, y * unit) for x, y in points]
        draw.line(scaled, fill=colour, width=width, joint="curve")
        for x, y in scaled[:: len(scaled) - 1]:
            draw.ellipse(
                (x - width / 2, y - width / 2, x + width / 2, y + width / 2),
                fill=colour,
            )

    # The wheel on top of the frame, its legs, a cross-beam, the ground.
    # Pillow draws an outline inside its box, SVG centres the stroke on the circle.
    r, cx, cy = 8 * unit + width / 2, 32 * unit, 18 * unit
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=width)
    line([(20, 54), (32, 27), (44, 54)])
    line([(25, 44), (39, 44)])
    line([(8, 56), (56, 56)], AMBER)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_open_graph(path: Path) -> None:
    image = Image.new("RGB", (1200, 630), TEAL)
    mark = draw_mark(300)
    image.paste(mark, (100, 165), mark)
    draw = ImageDraw.Draw(image)
    draw.text(
        (460, 210), "ReSource Portal", fill=WHITE, font=ImageFont.load_default(84)
    )
    tagline = ImageFont.load_default(40)
    draw.text((464, 330), "Post-mining potentials", fill=WHITE, font=tagline)
    draw.text((464, 384), "and good practices", fill=WHITE, font=tagline)
    draw.rectangle((0, 600, 1200, 630), fill=AMBER)
    image.save(path, optimize=True)


class Command(BaseCommand):
    help = "Draw the favicon bitmaps and the default Open Graph picture."

    def handle(self, *args, **options):
        directory = Path(settings.BASE_DIR) / "static" / "img"
        draw_mark(180).save(directory / "apple-touch-icon.png", optimize=True)
        draw_mark(48).save(
            directory / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)]
        )
        draw_open_graph(directory / "og-default.png")
        self.stdout.write(f"Drawn in {directory}.")
