"""Bar charts laid out on the server: pure functions from numbers to shapes, no JavaScript.

A function here returns a `Chart`, plain data (rectangles, texts, rules in a viewBox of
`width` × `height`); templates/workspace/_dashboard_chart.html draws it as inline SVG, and
the template engine escapes every text. Colours come from the CSS class of each series
(static/css/dashboard.css), so the legend and the bars always agree.

Every chart is drawn beside a table with the same numbers: the SVG carries a <title> and a
<desc>, and each bar an accessible name with its number, but the table is the full account.
"""

import dataclasses
import math
from collections.abc import Sequence

WIDTH = 560  # the viewBox width: near the drawn width, so 1 unit is about 1 px
FONT_PX = 13  # the text size the layout assumes (see dashboard.css)
CHAR_PX = 8.0  # a generous average width of a character at FONT_PX (Cyrillic is wide)
MAX_LABEL_CHARS = 30  # longer row labels are shortened; the full text is in the bar's name
MAX_TICKS = 5


@dataclasses.dataclass(frozen=True)
class Series:
    key: str  # the CSS class suffix: dash-series-<key>
    label: str


@dataclasses.dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: Series
    category: str
    value: int


@dataclasses.dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str = ""
    value: int | None = None  # a number is formatted by the template, in the page's language
    anchor: str = "start"  # start | middle | end
    css: str = "dash-label"
    rotate: float = 0


@dataclasses.dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "dash-grid"


@dataclasses.dataclass(frozen=True)
class Chart:
    dom_id: str  # prefixes the ids of its <title> and <desc>
    title: str
    description: str
    width: float
    height: float
    series: Sequence[Series]
    bars: list[Bar]
    texts: list[Text]
    rules: list[Rule]


def ticks(largest: int) -> list[int]:
    """Round axis marks from 0 to at least `largest`: steps of 1, 2 or 5 × 10ⁿ, at most
    MAX_TICKS steps. An empty chart still gets a scale (0 and 1)."""
    largest = max(largest, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(largest / step) <= MAX_TICKS:
                return [step * n for n in range(math.ceil(largest / step) + 1)]
        magnitude *= 10


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _r(number: float) -> float:
    return round(number, 1)


def _value_axis(
    marks: Sequence[int], *, scale: float, base: float, left: float, right: float
) -> tuple[list[Rule], list[Text]]:
    """The horizontal rules at each mark, the axis line, and the marks' numbers on the left."""
    rules = [Rule(left, _r(base - mark * scale), right, _r(base - mark * scale)) for mark in marks]
    rules.append(Rule(left, base, right, base, css="dash-axis"))
    texts = [
        Text(left - 6, _r(base - mark * scale + FONT_PX / 3), value=mark, anchor="end")
        for mark in marks
    ]
    return rules, texts


def column_chart(
    *,
    dom_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[int]],
    names: Sequence[str] | None = None,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series in each group.

    `values[i][j]` is the number of category i in series j; `names[i]` (default: the
    category) is how a bar of category i is called out in full. Category labels run under the
    groups at a slant (every k-th one when there are many); numbers stand above the bars while
    the bars are wide enough to hold them.
    """
    left, right, top, bottom = 44.0, 12.0, 18.0, 70.0
    height = 300.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    marks = ticks(max((max(row, default=0) for row in values), default=0))
    scale = plot_h / marks[-1]
    base = top + plot_h
    rules, texts = _value_axis(marks, scale=scale, base=base, left=left, right=WIDTH - right)
    bars: list[Bar] = []
    count = max(len(categories), 1)
    group_w = plot_w / count
    bar_w = group_w * 0.8 / max(len(series), 1)
    every = max(1, math.ceil(count * FONT_PX * 1.4 / plot_w))
    numbers_fit = bar_w >= FONT_PX * 1.6
    names = names or categories
    for i, category in enumerate(categories):
        group_x = left + i * group_w + group_w * 0.1
        for j, one in enumerate(series):
            value = values[i][j]
            x, bar_h = group_x + j * bar_w, value * scale
            bars.append(Bar(_r(x), _r(base - bar_h), _r(bar_w), _r(bar_h), one, names[i], value))
            if numbers_fit:
                texts.append(
                    Text(
                        _r(x + bar_w / 2),
                        _r(base - bar_h - 3),
                        value=value,
                        anchor="middle",
                        css="dash-value",
                    )
                )
        if i % every == 0:
            center = _r(left + (i + 0.5) * group_w)
            texts.append(
                Text(center, base + 14, text=shorten(category, 12), anchor="end", rotate=-40)
            )
    return Chart(dom_id, title, description, WIDTH, height, series, bars, texts, rules)


def bar_chart(
    *,
    dom_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[int]],
    names: Sequence[str] | None = None,
) -> Chart:
    """Horizontal bars, one row per category, its series stacked left to right.

    `values[i][j]` is the number of category i in series j; `names[i]` (default: the
    category) is how a bar of category i is called out in full. The row's total stands at the
    end of its bar. With one series this is a plain horizontal bar chart.
    """
    label_w = min(MAX_LABEL_CHARS, max((len(str(c)) for c in categories), default=0)) * CHAR_PX
    left, right, top, bottom = max(60.0, label_w + 16), 44.0, 6.0, 26.0
    row_h, bar_h = 26.0, 16.0
    plot_w = WIDTH - left - right
    height = top + row_h * max(len(categories), 1) + bottom
    marks = ticks(max((sum(row) for row in values), default=0))
    scale = plot_w / marks[-1]
    axis_y = height - bottom
    rules = [Rule(_r(left + mark * scale), top, _r(left + mark * scale), axis_y) for mark in marks]
    rules.append(Rule(left, top, left, axis_y, css="dash-axis"))
    texts = [
        Text(_r(left + mark * scale), axis_y + 16, value=mark, anchor="middle") for mark in marks
    ]
    bars: list[Bar] = []
    names = names or categories
    for i, category in enumerate(categories):
        y = top + i * row_h + (row_h - bar_h) / 2
        text_y = _r(y + bar_h / 2 + FONT_PX / 3)
        texts.append(Text(left - 8, text_y, text=shorten(category), anchor="end"))
        x = left
        for j, one in enumerate(series):
            value = values[i][j]
            width = value * scale
            bars.append(Bar(_r(x), _r(y), _r(width), bar_h, one, names[i], value))
            x += width
        texts.append(Text(_r(x + 4), text_y, value=sum(values[i]), css="dash-value"))
    return Chart(dom_id, title, description, WIDTH, height, series, bars, texts, rules)
