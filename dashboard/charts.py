"""Small SVG charts drawn on the server: numbers become coordinates, then SVG.

The SVG is written here rather than in a template: a community's dashboard draws 16
charts of up to ~40 bars, and the template engine spent most of the page's time on them.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
LABEL_WIDTH = 110
BAR_AREA = 180
SPARK_WIDTH, SPARK_HEIGHT = 120, 28


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    text_x: float
    highlight: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    area_width: int = BAR_AREA

    @property
    def width(self) -> int:
        return self.label_width + self.area_width + 70

    def svg(self) -> SafeString:
        title = escape(self.title)
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" width="100%" role="img" '
            f'aria-label="{title}" class="chart-svg">'
        ]
        for bar in self.bars:
            fill = "#b3261e" if bar.highlight else "#4a5056"
            parts.append(
                f'<text x="0" y="{bar.y + 15}" font-size="12" fill="#212529">'
                f"{escape(bar.label)}</text>"
                f'<rect x="{self.label_width}" y="{bar.y + 4}" width="{bar.width}" '
                f'height="14" rx="2" fill="{fill}"></rect>'
                f'<text x="{bar.text_x}" y="{bar.y + 15}" font-size="12" fill="#212529">'
                f"{escape(bar.text)}</text>"
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))


def bar_chart(title: str, items: list[tuple[str, float | None, str, bool]]) -> BarChart:
    """items: (label, value, text shown next to the bar, highlight e.g. pilot)."""
    values = [value for _label, value, _text, _hl in items if value is not None]
    top = max(values) if values and max(values) > 0 else 1
    bars = []
    for position, (label, value, text, highlight) in enumerate(items):
        width = 0.0 if value is None else round(BAR_AREA * float(value) / float(top), 1)
        bars.append(
            Bar(
                label=label,
                text=text,
                y=position * BAR_HEIGHT,
                width=width,
                text_x=LABEL_WIDTH + width + 4,
                highlight=highlight,
            )
        )
    return BarChart(
        title=title, bars=bars, height=max(BAR_HEIGHT, len(items) * BAR_HEIGHT)
    )


def sparkline(values: list[int]) -> str:
    """Polyline points for a 12-month trend, scaled to the tallest month."""
    top = max(values) if values and max(values) > 0 else 1
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * v / top, 1)}"
        for i, v in enumerate(values)
    )
