"""Reading roster files (CSV or XLSX) into rows, and writing the error report.

The first line names the columns (``registry.rosters.services.ROSTER_COLUMNS``,
or their Chinese names); each following line is one row, numbered as the
spreadsheet numbers it (the header is row 1).
"""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from portal import csv as portal_csv

from .services import COLUMN_LABELS, ROSTER_COLUMNS

MAX_BYTES = 10 * 1024 * 1024

HEADER_ALIASES = {
    "类型": "kind",
    "姓名": "name",
    "名称": "name",
    "姓名或名称": "name",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "统一社会信用代码": "uscc",
    "直播间账号": "live_room_account",
    "实际经营地": "business_region",
    "实际经营地区划代码": "business_region",
    "住所地": "home_region",
    "住所或经常居住地": "home_region",
    "联系方式": "contact",
    "监护人同意": "guardian_consent",
}


def _header(cells) -> list[str]:
    names = []
    for cell in cells:
        text = str(cell or "").strip().lstrip("\ufeff")
        names.append(HEADER_ALIASES.get(text, text.lower()))
    missing = [c for c in ("kind", "name") if c not in names]
    if missing:
        raise ValidationError(
            _("The first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(ROSTER_COLUMNS)}
        )
    return names


def _rows(header: list[str], lines) -> list[dict]:
    rows = []
    for number, cells in enumerate(lines, start=2):
        cells = list(cells)
        if not any(str(c or "").strip() for c in cells):
            continue  # blank lines are not rows
        row = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        row["row_number"] = number
        rows.append(row)
    return rows


def read_roster_file(upload) -> tuple[str, list[dict]]:
    """``(channel, rows)`` from an uploaded CSV (UTF-8, with or without BOM, or
    GB18030) or XLSX file; ValidationError when it is neither."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("A roster file may be at most 10 MB."))
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        return "xlsx", _read_xlsx(upload)
    data = upload.read()
    upload.seek(0)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("Send a CSV file (UTF-8 or GB18030) or an XLSX workbook."))
    if "\x00" in text:
        raise ValidationError(_("Send a CSV file (UTF-8 or GB18030) or an XLSX workbook."))
    lines = csv.reader(io.StringIO(text))
    try:
        header = _header(next(lines))
    except StopIteration as exc:
        raise ValidationError(_("The file is empty.")) from exc
    return "csv", _rows(header, lines)


def _read_xlsx(upload) -> list[dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(_("This XLSX workbook cannot be read.")) from exc
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        try:
            header = _header(next(lines))
        except StopIteration as exc:
            raise ValidationError(_("The file is empty.")) from exc
        return _rows(header, lines)
    finally:
        workbook.close()


def template_csv() -> str:
    """An empty roster with its header line and one example row of each kind."""
    out = io.StringIO()
    writer = portal_csv.Writer(out)
    writer.writerow(ROSTER_COLUMNS)
    uscc_body, ric_body = "91330106MA0000001", "33010619961120062"
    writer.writerow(
        [
            "operator",
            "杭州示例电子商务有限公司",
            "",
            uscc_body + uscc.calc_check_digit(uscc_body + "0"),
            "xh-10001",
            "330106",
            "330106",
            "0571-88888888",
            "",
        ]
    )
    writer.writerow(
        [
            "marketer",
            "李某",
            ric_body + ric.calc_check_digit(ric_body + "0"),
            "",
            "xh-10001",
            "",
            "330106",
            "13800000000",
            "",
        ]
    )
    return "\ufeff" + out.getvalue()


def error_report_rows(roster) -> list[list[str]]:
    """One line per error: row, column, what was sent (identity numbers masked), message."""
    lines = []
    for row in roster.rows.exclude(errors={}).order_by("row_number"):
        for name, messages in sorted(row.errors.items()):
            sent = {
                "kind": row.kind,
                "name": row.name,
                "id_number": row.id_number_masked,
                "uscc": row.uscc,
                "live_room_account": row.live_room_account,
                "contact": row.contact,
            }.get(name, "")
            for message in messages:
                lines.append([str(row.row_number), name, sent, message])
    return lines


__all__ = ["COLUMN_LABELS"]
