from datetime import date

from oversight.charts import Chart, Point, bar_chart, line_chart, table_rows
from oversight.dashboards import last_months

from .html import SVG_NS, svg_of, svg_title, svg_values

POINTS = [Point("a<b & c", 3), Point("second", 12), Point("hidden", None, shown="<10")]


def test_bar_chart_is_accessible_svg_with_escaped_text():
    svg = str(bar_chart(chart_id="c1", title='Cases "by" <category>', points=POINTS))
    assert "<script" not in svg
    assert "a&lt;b &amp; c" in svg
    assert "<category>" not in svg
    root = svg_of(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert svg_title(root) == 'Cases "by" <category>'
    assert root.find(f"{SVG_NS}title").get("id") == "c1-title"
    assert svg_values(root) == ["3", "12", "<10"]
    assert len([r for r in root.iter(f"{SVG_NS}rect") if r.get("class") == "bar"]) == 2


def test_line_chart_draws_the_same_numbers_as_its_rows():
    svg = svg_of(str(line_chart(chart_id="c2", title="Per month", points=POINTS)))
    assert svg_title(svg) == "Per month"
    assert svg_values(svg) == [text for _label, text in table_rows(POINTS)]
    assert len(list(svg.iter(f"{SVG_NS}circle"))) == 2  # the suppressed point is not drawn


def test_chart_rows_and_empty_chart():
    chart = Chart(chart_id="c3", title="Nothing", points=[], kind="line")
    assert chart.rows == []
    assert svg_title(svg_of(str(chart.svg))) == "Nothing"
    assert Chart(chart_id="c4", title="t", points=POINTS).rows == [
        ("a<b & c", "3"),
        ("second", "12"),
        ("hidden", "<10"),
    ]


def test_last_months_cross_the_new_year():
    months = last_months(date(2026, 2, 14))
    assert len(months) == 12
    assert months[0] == date(2025, 3, 1)
    assert months[-1] == date(2026, 2, 1)
