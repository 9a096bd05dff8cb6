"""Small SVG charts drawn on the server: numbers become coordinates, templates draw them."""

from dataclasses import dataclass

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
