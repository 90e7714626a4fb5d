"""Horizontal bar charts drawn on the server, as SVG a template renders.

Only the geometry is worked out here; `templates/portal/includes/bar_chart.html`
draws it with the template engine's escaping. Each bar's label sits on its own
line(s) above the bar, so a long label in any language has the chart's whole
width and wraps instead of being cut off or squeezing the bars.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

# The drawing's own units (its viewBox); the page scales it to the column width.
WIDTH = 320
FONT_SIZE = 14
LINE_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 12
# Room right of the longest bar for its count.
COUNT_SPACE = 52
# Characters a label line holds at this size, leaving a margin for wide letters.
LABEL_CHARACTERS = 36
# A bar for a count of zero is still drawn, as a hairline, so it stays a link.
MIN_BAR = 2


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    url: str
    # The language of the label when it is not the reader's (an untranslated name).
    lang: str | None = None


@dataclass(frozen=True)
class DrawnBar:
    bar: Bar
    # Each line of the label with its baseline.
    label_lines: list[tuple[int, str]]
    bar_y: int
    bar_width: int
    count_x: int
    count_y: int


@dataclass
class Chart:
    """One figure of the statistics page: a bar chart with its data table."""

    slug: str
    title: str
    description: str
    label_heading: str
    count_heading: str
    bars: list[Bar]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def largest(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.count, default=None)

    @property
    def drawn(self) -> list[DrawnBar]:
        return layout(self.bars)

    @property
    def height(self) -> int:
        drawn = self.drawn
        if not drawn:
            return 0
        return drawn[-1].bar_y + BAR_HEIGHT + 2

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def layout(bars: list[Bar]) -> list[DrawnBar]:
    """Where each bar, its label and its count go; bars scale to the largest."""
    largest = max((bar.count for bar in bars), default=0)
    room = WIDTH - COUNT_SPACE
    drawn = []
    y = 0
    for bar in bars:
        lines = textwrap.wrap(bar.label, LABEL_CHARACTERS) or [""]
        bar_y = y + len(lines) * LINE_HEIGHT + 4
        width = round(room * bar.count / largest) if largest else 0
        width = max(width, MIN_BAR)
        drawn.append(
            DrawnBar(
                bar=bar,
                label_lines=[
                    (y + FONT_SIZE + index * LINE_HEIGHT, line)
                    for index, line in enumerate(lines)
                ],
                bar_y=bar_y,
                bar_width=width,
                count_x=width + 6,
                count_y=bar_y + BAR_HEIGHT - 2,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return drawn
