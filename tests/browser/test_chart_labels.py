"""Chart labels are never cut off: long category names, in Chinese and in English,
stay inside the drawing. Measured by chromium on the rendered SVG."""

import pytest

from oversight.charts import Chart, Point

pytestmark = pytest.mark.browser

LONG = [
    "虚假宣传或者虚构交易、编造用户评价",
    "销售假冒伪劣商品或者不符合保障人身、财产安全要求的商品",
    "Selling goods that do not meet the requirements for personal and property safety",
    "价格",
]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_every_label_lies_inside_the_chart(in_browser, kind):
    chart = Chart(
        chart_id="c",
        title="t",
        kind=kind,
        points=[Point(label, n * 7) for n, label in enumerate(LONG, start=1)],
    )
    html = f'<html><body style="margin:0;width:640px">{chart.svg}</body></html>'

    async def scenario(page):
        await page.set_content(html)
        return await page.evaluate(
            """() => {
                const svg = document.querySelector('svg').getBoundingClientRect();
                return [...document.querySelectorAll('text')].map(t => {
                    const b = t.getBoundingClientRect();
                    return [t.textContent, b.left >= svg.left - 0.5, b.right <= svg.right + 0.5,
                            b.top >= svg.top - 0.5, b.bottom <= svg.bottom + 0.5];
                });
            }"""
        )

    boxes = in_browser(scenario, viewport={"width": 640, "height": 900})

    outside = [box[0] for box in boxes if not all(box[1:])]
    assert outside == []
