"""Reading a chart and its table back from a page."""

import html
import re
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def figure(page: str, chart_id: str) -> str:
    found = re.search(rf'<figure class="chart-pair" id="{chart_id}">(.*?)</figure>', page, re.S)
    assert found, f"no chart {chart_id}"
    return found.group(1)


def svg_of(block: str) -> ET.Element:
    found = re.search(r"<svg.*?</svg>", block, re.S)
    assert found
    return ET.fromstring(found.group(0))  # noqa: S314


def svg_title(svg: ET.Element) -> str:
    return svg.find(f"{SVG_NS}title").text


def svg_values(svg: ET.Element) -> list[str]:
    """The value printed over each bar or point, in order."""
    return [t.text for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "value"]


def table_rows(block: str) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', block, re.S)
    return [(html.unescape(a), html.unescape(b)) for a, b in rows]


def action_count(page: str, key: str) -> int:
    found = re.search(
        rf'<li id="action-{key}"><a href="([^"]*)"><span class="action-count">(\d+)<', page
    )
    assert found, f"no action {key}"
    return int(found.group(2))


def action_href(page: str, key: str) -> str:
    found = re.search(rf'<li id="action-{key}"><a href="([^"]*)">', page)
    assert found
    return html.unescape(found.group(1))


def by_id(page: str, element_id: str) -> str:
    """The text inside the element with this id (tags removed)."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no element {element_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(2)))
