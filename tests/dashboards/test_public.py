"""The public statistics page: anonymised counts, nothing below 10 shown."""

import re
from datetime import date

import time_machine

from .html import SVG_NS, figure, svg_of, svg_title, svg_values, table_rows

TODAY = date(2026, 11, 2)


def _numbers_shown(page: str) -> list[str]:
    """Every number the page's tables and charts show as text."""
    shown = []
    for chart_id in ("chart-complaints", "chart-reports", "chart-category", "chart-outcome"):
        block = figure(page, chart_id)
        shown += [value for _label, value in table_rows(block)]
        svg = svg_of(block)
        shown += [t.text or "" for t in svg.iter()]  # texts, titles and the description
    return shown


@time_machine.travel(TODAY, tick=False)
def test_public_statistics_never_show_a_count_below_10(client, world, file_case):
    for _ in range(9):
        file_case()  # 9 complaints about a consumer dispute
    for i in range(10):
        file_case(kind="report", category="false-information", contact_phone=f"1391111111{i}")
    page = client.get("/statistics/")
    assert page.status_code == 200
    text = page.content.decode()

    complaints = figure(text, "chart-complaints")
    assert svg_title(svg_of(complaints)) == "Complaints received per month (last 12 months)"
    assert table_rows(complaints)[-1] == ("2026-11", "<10")
    reports = figure(text, "chart-reports")
    assert table_rows(reports)[-1] == ("2026-11", "10")
    assert svg_values(svg_of(reports)) == [v for _m, v in table_rows(reports)]
    by_category = table_rows(figure(text, "chart-category"))
    assert ("False or misleading information", "10") in by_category or (
        len(by_category) == 2 and sorted(v for _c, v in by_category) == ["10", "<10"]
    )
    assert {v for _o, v in table_rows(figure(text, "chart-outcome"))} == {"<10"}

    shown = _numbers_shown(text)
    assert not any(re.search(r"(?<![\d-])9(?!\d)", s) for s in shown), shown
    assert not any(re.search(r"(?<![\d-])[1-9](?![\d])", s) for s in shown if "<10" not in s)
    assert not re.search(r">\s*9\s*<", text)
    assert "&lt;10" in text
    # the suppressed month draws nothing
    svg = svg_of(complaints)
    assert len(list(svg.iter(f"{SVG_NS}circle"))) == 0


def test_public_statistics_need_no_login_and_are_linked(client, db):
    assert client.get("/statistics/").status_code == 200
    assert 'href="/statistics/"' in client.get("/").content.decode()
