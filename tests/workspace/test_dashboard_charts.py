"""The dashboard's charts: pure layout (workspace.charts) and its SVG template, no database."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from workspace import charts

A = charts.Series("opened", "Opened")
B = charts.Series("closed", "Closed")


@pytest.mark.parametrize(
    ("largest", "marks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (4, [0, 1, 2, 3, 4]),
        (5, [0, 1, 2, 3, 4, 5]),
        (6, [0, 2, 4, 6]),
        (9, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (25, [0, 5, 10, 15, 20, 25]),
        (26, [0, 10, 20, 30]),
        (99, [0, 20, 40, 60, 80, 100]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_it_puts_round_marks_on_the_axis_up_to_the_largest_number(largest, marks):
    assert charts.ticks(largest) == marks


def test_column_bars_stand_on_the_axis_in_proportion_to_their_numbers():
    chart = charts.column_chart(
        dom_id="c",
        title="T",
        description="D",
        categories=["w1", "w2"],
        series=[A, B],
        values=[(4, 2), (0, 1)],
        names=["Week 1", "Week 2"],
    )

    bars = {(bar.category, bar.series.key): bar for bar in chart.bars}
    assert len(bars) == 4
    assert bars[("Week 1", "opened")].height == pytest.approx(2 * bars[("Week 1", "closed")].height)
    assert bars[("Week 2", "opened")].height == 0
    bottoms = {round(bar.y + bar.height) for bar in chart.bars}
    assert len(bottoms) == 1  # one baseline
    assert (
        bars[("Week 1", "opened")].x < bars[("Week 1", "closed")].x < bars[("Week 2", "opened")].x
    )
    assert [text.value for text in chart.texts if text.css == "dash-value"] == [4, 2, 0, 1]
    assert [text.text for text in chart.texts if text.rotate] == ["w1", "w2"]


def test_a_long_run_of_weeks_labels_every_other_week_and_leaves_numbers_to_the_table():
    weeks = [f"w{n}" for n in range(54)]
    chart = charts.column_chart(
        dom_id="c",
        title="T",
        description="D",
        categories=weeks,
        series=[A, B],
        values=[(n, n) for n in range(54)],
    )

    assert len(chart.bars) == 108
    assert [text.text for text in chart.texts if text.rotate] == weeks[::2]
    assert not [text for text in chart.texts if text.css == "dash-value"]
    assert max(bar.x + bar.width for bar in chart.bars) <= chart.width


def test_stacked_bars_run_end_to_end_and_carry_the_rows_total():
    chart = charts.bar_chart(
        dom_id="c",
        title="T",
        description="D",
        categories=["Standard · High", "Platinum · Critical"],
        series=[A, B],
        values=[(3, 1), (0, 2)],
    )

    first = [bar for bar in chart.bars if bar.category == "Standard · High"]
    assert first[0].x + first[0].width == pytest.approx(first[1].x, abs=0.1)
    assert first[0].width == pytest.approx(3 * first[1].width, abs=0.2)
    assert [text.value for text in chart.texts if text.css == "dash-value"] == [4, 2]


def test_a_long_row_label_is_shortened_on_the_axis_but_named_in_full_on_its_bar():
    name = "Александра Константинопольская-Преображенская"
    chart = charts.bar_chart(
        dom_id="c", title="T", description="D", categories=[name], series=[A], values=[(2,)]
    )

    assert chart.bars[0].category == name
    shown = [text.text for text in chart.texts if text.anchor == "end"]
    assert shown == [name[: charts.MAX_LABEL_CHARS - 1] + "…"]


def test_a_chart_of_nothing_still_has_a_scale():
    chart = charts.bar_chart(
        dom_id="c", title="T", description="D", categories=["Eve"], series=[A, B], values=[(0, 0)]
    )

    assert [bar.width for bar in chart.bars] == [0, 0]
    assert [text.value for text in chart.texts if text.anchor == "middle"] == [0, 1]


# --- the SVG -------------------------------------------------------------------------------


def render(chart):
    return render_to_string("workspace/_dashboard_chart.html", {"chart": chart})


def test_the_svg_names_itself_and_each_bar_with_its_number():
    chart = charts.column_chart(
        dom_id="chart-flow",
        title="Opened and closed",
        description="Two bars per week.",
        categories=["16.11"],
        series=[A, B],
        values=[(5, 3)],
        names=["Week of 16.11"],
    )

    svg = render(chart)

    assert 'role="img" aria-labelledby="chart-flow-title chart-flow-desc"' in svg
    assert '<title id="chart-flow-title">Opened and closed</title>' in svg
    assert '<desc id="chart-flow-desc">Two bars per week.</desc>' in svg
    assert 'aria-label="Week of 16.11 — Opened: 5"' in svg
    assert 'aria-label="Week of 16.11 — Closed: 3"' in svg
    assert 'class="dash-bar dash-series-opened"' in svg


def test_the_svg_escapes_every_text():
    evil = '<script>alert("x")</script>'
    chart = charts.bar_chart(
        dom_id="c",
        title=evil,
        description=evil,
        categories=[evil],
        series=[charts.Series("vendor", evil)],
        values=[(1,)],
    )

    svg = render(chart)

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_svg_geometry_stays_in_plain_numbers_in_russian():
    chart = charts.column_chart(
        dom_id="c",
        title="T",
        description="D",
        categories=["a", "b", "c"],
        series=[A, B],
        values=[(1, 2), (3, 1234), (0, 7)],
    )

    with translation.override("ru"):
        svg = render(chart)

    geometry = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)
    assert geometry
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", number) for number in geometry)
    assert re.search(r'viewBox="0 0 \d+ \d+(\.\d+)?"', svg)
