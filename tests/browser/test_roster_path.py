"""In a browser: demo-platform uploads its roster as CSV with one bad row, sees the
error report, corrects the row, previews what the roster changes against the demo roster
(nothing filed yet), confirms it and sees it filed (Order 117 Art. 9)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Platform
from demo.data import DEMO_PASSWORD, demo_ric, demo_uscc, load_demo
from registry.models import Roster, RosterStatus
from registry.rosters.services import ROSTER_COLUMNS, roster_period_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def roster_csv(path: Path, marketer_id: str) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROSTER_COLUMNS)
    writer.writerow(
        [
            "operator",
            "杭州西子优选电子商务有限公司",
            "",
            demo_uscc("330106", 21),
            "xh-10086",
            "330106",
            "330106",
            "0571-88888888",
        ]
    )
    writer.writerow(
        ["marketer", "李佳怡", marketer_id, "", "xh-10086", "", "330106", "13800000000"]
    )
    writer.writerow(
        [
            "operator",
            "广州珠江好物商贸有限公司",
            "",
            demo_uscc("440106", 22),
            "xh-40001",
            "440106",
            "440106",
            "020-88888888",
        ]
    )
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


async def _filed_versions(platform, year, half) -> list[int]:
    from asgiref.sync import sync_to_async

    @sync_to_async
    def versions():
        from django.db import connection

        try:
            filed = Roster.objects.filter(
                platform=platform, year=year, half=half, status=RosterStatus.FILED
            )
            return list(filed.values_list("version", flat=True))
        finally:
            connection.close()  # this thread's own connection, else the test DB stays in use

    return await versions()


def test_roster_upload_with_a_bad_row_then_corrected(in_browser, live_server, tmp_path):
    load_demo()
    platform = Platform.objects.get(name="星河直播电商有限公司")
    year, half = roster_period_of(timezone.localdate())
    before = Roster.objects.filter(platform=platform, year=year, half=half).count()
    demo_version = (
        Roster.objects.get(platform=platform, year=year, half=half, status=RosterStatus.FILED)
    ).version
    good_id = demo_ric("330106", date(1996, 11, 20), 62)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # wrong check digit
    bad_file = roster_csv(tmp_path / "花名册-错误.csv", bad_id)
    good_file = roster_csv(tmp_path / "花名册.csv", good_id)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    async def scenario(page):
        await page.goto(f"{base}/login/")
        await page.locator("#id_username").fill("demo-platform")
        await page.locator("#id_password").fill(DEMO_PASSWORD)
        await page.locator("form[action='/login/'] button[type=submit]").click()
        await page.wait_for_url(f"{base}/")
        await page.goto(f"{base}/rosters/")
        await page.locator("#id_year").select_option(str(year))
        await page.locator("#id_half").select_option(str(half))
        await page.locator("#id_file").set_input_files(str(bad_file))
        await page.locator("main form button[type=submit]").click()
        await page.locator("#roster-error-report").wait_for()
        report = await page.locator("#roster-error-report").inner_text()
        status_rejected = await page.locator("#roster-status").inner_text()
        await page.screenshot(path=str(SCREENSHOTS / "roster-error-report.png"), full_page=True)
        # The error report downloads as CSV.
        async with page.expect_download() as download_info:
            await page.locator("#roster-error-report a[href$='errors.csv']").click()
        download = await download_info.value
        report_csv = Path(await download.path()).read_text(encoding="utf-8-sig")
        # Corrected, sent again.
        await page.locator("#roster-error-report a[href='/rosters/']").click()
        await page.locator("#id_year").select_option(str(year))
        await page.locator("#id_half").select_option(str(half))
        await page.locator("#id_file").set_input_files(str(good_file))
        await page.locator("main form button[type=submit]").click()
        # Previewed: what it changes, then filed only on confirmation.
        await page.locator("#roster-confirm").wait_for()
        status_pending = await page.locator("#roster-status").inner_text()
        preview = await page.locator("#roster-diff").inner_text()
        preview_rows = await page.locator("#roster-diff tbody tr").count()
        filed_while_previewing = await _filed_versions(platform, year, half)
        await page.screenshot(path=str(SCREENSHOTS / "roster-preview.png"), full_page=True)
        await page.locator("#roster-confirm input[name=confirm]").check()
        await page.locator("#roster-confirm button[type=submit]").click()
        await page.locator("#roster-filed").wait_for()
        status_filed = await page.locator("#roster-status").inner_text()
        await page.screenshot(path=str(SCREENSHOTS / "roster-filed.png"), full_page=True)
        return (
            report,
            status_rejected,
            report_csv,
            status_pending,
            status_filed,
            preview,
            preview_rows,
            filed_while_previewing,
        )

    (
        report,
        status_rejected,
        report_csv,
        status_pending,
        status_filed,
        preview,
        preview_rows,
        filed_while_previewing,
    ) = in_browser(scenario)

    # The preview against the demo roster of five: the Guangzhou operator joined;
    # 鲜果坊, 周小雨 and 王浩然 left; the operator and 李佳怡 changed (a contact
    # was added). Masked numbers only; nothing was filed while previewing.
    assert preview_rows == 6
    assert good_id not in preview and good_id[:6] + "********" + good_id[-4:] in preview
    assert filed_while_previewing == [demo_version]

    assert "3" in report  # the marketer's line: row 3 of the file
    assert bad_id not in report and bad_id[:6] + "********" + bad_id[-4:] in report
    assert str(RosterStatus.REJECTED.label) in status_rejected or "未" in status_rejected
    lines = list(csv.reader(io.StringIO(report_csv)))
    assert lines[1][:2] == ["3", "id_number"]
    rosters = Roster.objects.filter(platform=platform, year=year, half=half).order_by("version")
    assert rosters.count() == before + 2
    latest = rosters.last()
    assert latest.status == RosterStatus.FILED and latest.error_count == 0
    assert rosters.filter(status=RosterStatus.FILED).count() == 1
    assert status_filed.strip() != status_rejected.strip()
    assert status_pending.strip() not in (status_filed.strip(), status_rejected.strip())
