"""Tests for portal.calendar_notice (run with ``-p no:django``: no settings needed).

Error messages are lazy translations; they are never turned into strings here
(that would need Django settings), so errors are told apart by ``code``.
"""

import dataclasses
import datetime

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from portal.calendar_notice import ERROR_CODES, NoticeDay, parse_notice

D = datetime.date

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2025年11月4日
"""

# As one paragraph, the way it is often copied from a web page.
NOTICE_2025 = (
    "一、元旦：1月1日（周三）放假1天，不调休。"
    "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。"
    "1月26日（周日）、2月8日（周六）上班。"
    "三、清明节：4月4日（周五）至6日（周日）放假，共3天。"
    "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。"
    "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。"
    "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。"
    "9月28日（周日）、10月11日（周六）上班。"
)

# Half-width punctuation, each name on a line of its own, a working day in the
# year before the notice year (as published for 2012).
NOTICE_2012 = """\
经国务院批准,现将2012年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦:
2012年1月1日至3日放假调休,共3天。2011年12月31日(星期六)上班。
二、春节:
1月22日至28日放假调休,共7天。1月21日(星期六)、1月29日(星期日)上班。
三、清明节:
4月2日至4日放假调休,共3天。3月31日(星期六)、4月1日(星期日)上班。
四、劳动节:
4月29日至5月1日放假调休,共3天。4月28日(星期六)上班。
五、端午节:
6月22日至24日放假公休,共3天。
六、中秋节、国庆节:
9月30日至10月7日放假调休,共8天。9月29日(星期六)上班。
国务院办公厅
二〇一一年十二月五日
"""

# Single days, "与周末连休" and "补休" (a compensatory day off).
NOTICE_2015 = """一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。
二、春节：2月18日至24日放假调休，共7天。2月15日（星期日）、2月28日（星期六）上班。
三、清明节：4月5日放假，4月6日（星期一）补休。
四、劳动节：5月1日放假，与周末连休。
五、端午节：6月20日放假，6月22日（星期一）补休。
六、中秋节：9月27日放假。
七、国庆节：10月1日至7日放假调休，共7天。10月10日（星期六）上班。
"""

# A range crossing a month (the 2023 notice's sixth line).
LINE_2023_AUTUMN = (
    "六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（周六）、10月8日（周日）上班。"
)

# A range starting in the year before, with the working day written without its
# year (the 2008 notice's first line).
LINE_2008_NEW_YEAR = (
    "一、元旦：2007年12月30日—2008年1月1日放假，共3天。其中，1月1日（星期二）为法定节假日，"
    "12月30日（星期日）为公休日，12月29日（星期六）公休日调至12月31日（星期一），"
    "12月29日（星期六）上班。"
)


def days_off(days):
    return [d.day for d in days if not d.is_workday]


def workdays(days):
    return [d.day for d in days if d.is_workday]


def date_range(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def error_code(text, year):
    with pytest.raises(ValidationError) as excinfo:
        parse_notice(text, year)
    return excinfo.value.code


# --- the 2026 notice ----------------------------------------------------------------------


def test_2026_days_off():
    days = parse_notice(NOTICE_2026, 2026)
    off = days_off(days)
    assert len(off) == 3 + 9 + 3 + 5 + 3 + 3 + 7 == 33
    assert len(set(off)) == len(off)
    assert set(date_range(D(2026, 2, 15), D(2026, 2, 23))) <= set(off)
    assert set(date_range(D(2026, 10, 1), D(2026, 10, 7))) <= set(off)
    assert set(date_range(D(2026, 1, 1), D(2026, 1, 3))) <= set(off)
    assert D(2026, 2, 14) not in off
    assert D(2026, 2, 24) not in off
    assert D(2026, 9, 30) not in off


def test_2026_working_days():
    assert workdays(parse_notice(NOTICE_2026, 2026)) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]


def test_2026_sorted_and_named():
    days = parse_notice(NOTICE_2026, 2026)
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert len(days) == 33 + 6
    by_day = {d.day: d for d in days}
    assert by_day[D(2026, 2, 14)] == NoticeDay(D(2026, 2, 14), is_workday=True, name="春节")
    assert by_day[D(2026, 2, 15)] == NoticeDay(D(2026, 2, 15), is_workday=False, name="春节")
    assert by_day[D(2026, 9, 20)].name == "国庆节"
    assert by_day[D(2026, 9, 25)].name == "中秋节"
    assert {d.name for d in days} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }


def test_notice_day_is_frozen():
    day = parse_notice(NOTICE_2026, 2026)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        day.is_workday = True


def test_half_width_punctuation_gives_the_same_result():
    half_width = NOTICE_2026
    for full, half in zip("（），：。、", "(),:.,", strict=True):
        half_width = half_width.replace(full, half)
    assert parse_notice(half_width, 2026) == parse_notice(NOTICE_2026, 2026)


def test_full_width_digits_and_spaces():
    text = "一、 元旦 ：１月１日 （周四） 至 ３日（周六）放假调休， 共３天。 １月４日（周日）上班。"
    days = parse_notice(text, 2026)
    assert days_off(days) == date_range(D(2026, 1, 1), D(2026, 1, 3))
    assert workdays(days) == [D(2026, 1, 4)]


def test_notes_in_any_position():
    text = "一、元旦：（周四至周六）1月1日至（周六）3日（周四至周六，共三天）放假（调休），共3天。"
    assert days_off(parse_notice(text, 2026)) == date_range(D(2026, 1, 1), D(2026, 1, 3))


# --- the 2025 notice ----------------------------------------------------------------------


def test_2025_notice():
    days = parse_notice(NOTICE_2025, 2025)
    off = days_off(days)
    assert len(off) == 1 + 8 + 3 + 5 + 3 + 8 == 28
    assert D(2025, 1, 1) in off
    assert D(2025, 1, 2) not in off
    assert set(date_range(D(2025, 1, 28), D(2025, 2, 4))) <= set(off)
    assert set(date_range(D(2025, 10, 1), D(2025, 10, 8))) <= set(off)
    assert workdays(days) == [
        D(2025, 1, 26),
        D(2025, 2, 8),
        D(2025, 4, 27),
        D(2025, 9, 28),
        D(2025, 10, 11),
    ]
    names = {d.day: d.name for d in days}
    assert names[D(2025, 1, 1)] == "元旦"
    assert names[D(2025, 10, 8)] == "国庆节、中秋节"
    assert names[D(2025, 9, 28)] == "国庆节、中秋节"


def test_2025_month_crossing_dragon_boat():
    days = parse_notice(NOTICE_2025, 2025)
    dragon_boat = [d.day for d in days if d.name == "端午节"]
    assert dragon_boat == [D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2)]


def test_preamble_on_the_same_line():
    text = "经国务院批准，现将具体安排通知如下：" + NOTICE_2025
    assert parse_notice(text, 2025) == parse_notice(NOTICE_2025, 2025)


def test_no_adjustment_means_no_working_day():
    days = parse_notice("一、元旦：1月1日（周三）放假1天，不调休。", 2025)
    assert days == [NoticeDay(D(2025, 1, 1), is_workday=False, name="元旦")]


# --- other variants -----------------------------------------------------------------------


def test_range_crossing_months():
    days = parse_notice(LINE_2023_AUTUMN, 2023)
    assert days_off(days) == date_range(D(2023, 9, 29), D(2023, 10, 6))
    assert workdays(days) == [D(2023, 10, 7), D(2023, 10, 8)]
    assert {d.name for d in days} == {"中秋节、国庆节"}


@pytest.mark.parametrize(
    "line",
    [
        "三、端午节：6月22日放假，与周末连休。",
        "三、端午节：6月22日放假，共1天。",
        "三、端午节：6月22日放假1天。",
        "三、端午节：6月22日（星期五）放假，共一天。",
    ],
)
def test_single_day(line):
    assert parse_notice(line, 2012) == [NoticeDay(D(2012, 6, 22), is_workday=False, name="端午节")]


def test_2015_compensatory_days_off():
    days = parse_notice(NOTICE_2015, 2015)
    off = days_off(days)
    assert D(2015, 4, 5) in off
    assert D(2015, 4, 6) in off  # 补休
    assert D(2015, 6, 22) in off  # 补休
    assert D(2015, 6, 21) not in off
    assert [d.day for d in days if d.name == "劳动节"] == [D(2015, 5, 1)]
    assert len(off) == 3 + 7 + 2 + 1 + 2 + 1 + 7


def test_explicit_year_in_the_notice_year():
    text = "一、元旦：2025年1月1日放假，共1天。"
    assert days_off(parse_notice(text, 2025)) == [D(2025, 1, 1)]


def test_range_starting_in_the_year_before():
    text = (
        "一、元旦：2024年12月30日（周一）至2025年1月1日（周三）放假调休，共3天。"
        "12月28日（周六）上班。\n"
        "二、春节：1月28日至2月4日放假调休，共8天。"
    )
    days = parse_notice(text, 2025)
    assert days_off(days)[:3] == [D(2024, 12, 30), D(2024, 12, 31), D(2025, 1, 1)]
    # On the New Year line a December date without a year is last December.
    assert workdays(days) == [D(2024, 12, 28)]


@pytest.mark.parametrize(
    "line",
    [
        "一、元旦：12月30日至1月1日放假，共3天。",
        "一、元旦：2024年12月30日至1月1日放假，共3天。",
        "一、元旦：12月30日至2025年1月1日放假，共3天。",
        "一、元旦：2024年12月30日—2025年1月1日放假，共3天。",
    ],
)
def test_new_year_range_without_every_year(line):
    assert days_off(parse_notice(line, 2025)) == date_range(D(2024, 12, 30), D(2025, 1, 1))


def test_2008_style_explanations_are_not_dates():
    days = parse_notice(LINE_2008_NEW_YEAR, 2008)
    assert days_off(days) == date_range(D(2007, 12, 30), D(2008, 1, 1))
    assert workdays(days) == [D(2007, 12, 29)]


def test_2012_names_on_their_own_lines_and_previous_year_working_day():
    days = parse_notice(NOTICE_2012, 2012)
    assert workdays(days)[0] == D(2011, 12, 31)
    assert days_off(days)[:3] == date_range(D(2012, 1, 1), D(2012, 1, 3))
    assert len(days_off(days)) == 3 + 7 + 3 + 3 + 3 + 8
    assert {d.name for d in days} >= {"元旦", "中秋节、国庆节"}


def test_working_days_with_day_only():
    text = "二、春节：2月13日至19日放假调休，共7天。2月20日（星期六）、21日（星期日）上班。"
    assert workdays(parse_notice(text, 2010)) == [D(2010, 2, 20), D(2010, 2, 21)]


def test_wrapped_line():
    text = (
        "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，\n"
        "共9天。2月14日（周六）、\n"
        "2月28日（周六）上班。\n"
        "国务院办公厅\n"
        "2025年11月4日\n"
    )
    days = parse_notice(text, 2026)
    assert days_off(days) == date_range(D(2026, 2, 15), D(2026, 2, 23))
    assert workdays(days) == [D(2026, 2, 14), D(2026, 2, 28)]


def test_lines_without_ordinal_are_ignored():
    text = "2026年1月1日放假。\n五、端午节：6月19日至21日放假，共3天。\n10月1日上班。"
    assert parse_notice(text, 2026) == [
        NoticeDay(D(2026, 6, d), is_workday=False, name="端午节") for d in (19, 20, 21)
    ]


# --- cross-check against chinese_calendar -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        (NOTICE_2026, 2026),
        (NOTICE_2025, 2025),
        (NOTICE_2015, 2015),
        (NOTICE_2012, 2012),
        (LINE_2023_AUTUMN, 2023),
        (LINE_2008_NEW_YEAR, 2008),
    ],
)
def test_agrees_with_chinese_calendar(text, year):
    days = parse_notice(text, year)
    assert days
    for notice_day in days:
        if notice_day.is_workday:
            assert chinese_calendar.is_workday(notice_day.day), notice_day
            assert notice_day.day.weekday() >= 5, notice_day  # an adjusted weekend
        else:
            assert chinese_calendar.is_holiday(notice_day.day), notice_day


@pytest.mark.parametrize(
    ("text", "year"), [(NOTICE_2026, 2026), (NOTICE_2025, 2025), (NOTICE_2012, 2012)]
)
def test_complete_notice_matches_chinese_calendar_exactly(text, year):
    """Conversely, chinese_calendar's weekday holidays and working weekends are all named."""
    days = parse_notice(text, year)
    off, working = set(days_off(days)), set(workdays(days))
    for day in date_range(D(year, 1, 1), D(year, 12, 31)):
        if day.weekday() < 5 and chinese_calendar.is_holiday(day):
            assert day in off, day
        if day.weekday() >= 5 and chinese_calendar.is_workday(day):
            assert day in working, day


# --- errors -------------------------------------------------------------------------------


def test_error_codes_are_listed():
    assert set(ERROR_CODES) == {
        "no_holidays",
        "malformed_line",
        "no_days_off",
        "invalid_date",
        "invalid_range",
        "day_count",
        "date_out_of_year",
        "duplicate_date",
        "conflicting_date",
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "国务院办公厅关于2026年部分节假日安排的通知\n国务院办公厅\n2025年11月4日",
        "元旦：1月1日至3日放假调休，共3天。",
    ],
)
def test_no_holiday_line(text):
    assert error_code(text, 2026) == "no_holidays"


@pytest.mark.parametrize(
    "line",
    [
        "二、春节：2月30日放假。",
        "二、春节：2月28日至30日放假。",
        "二、春节：13月1日放假。",
        "二、春节：2月15日至23日放假调休，共9天。2月29日（周六）上班。",
        "二、春节：15日放假。",
    ],
)
def test_invalid_date(line):
    assert error_code(line, 2026) == "invalid_date"


@pytest.mark.parametrize(
    "line",
    [
        "二、春节：2月15日至23日放假调休，共8天。",
        "二、春节：2月15日至23日放假调休，共10天。",
        "一、元旦：1月1日放假2天，不调休。",
        "七、国庆节：10月1日至7日放假调休，共八天。",
    ],
)
def test_day_count_mismatch(line):
    assert error_code(line, 2026) == "day_count"


def test_day_count_checked_on_2026_notice():
    text = NOTICE_2026.replace("共9天", "共8天")
    with pytest.raises(ValidationError) as excinfo:
        parse_notice(text, 2026)
    assert excinfo.value.code == "day_count"
    assert excinfo.value.params["name"] == "春节"
    assert excinfo.value.params["stated"] == 8
    assert excinfo.value.params["counted"] == 9
    assert excinfo.value.params["line"] == 7
    assert isinstance(excinfo.value.message, Promise)  # translatable, still lazy


@pytest.mark.parametrize(
    "text",
    [
        "二、春节：2月15日至23日放假调休，共9天。2月15日（周日）上班。",
        "二、春节：2月15日至23日放假调休，共9天。\n七、国庆节：10月1日至7日放假。2月21日上班。",
    ],
)
def test_day_both_off_and_working(text):
    assert error_code(text, 2026) == "conflicting_date"


def test_day_off_twice_on_two_lines():
    text = "六、中秋节：10月1日放假。\n七、国庆节：10月1日至7日放假调休，共7天。"
    assert error_code(text, 2026) == "duplicate_date"


@pytest.mark.parametrize(
    "text",
    [
        # the year before, but not on the first line
        "一、元旦：1月1日至3日放假，共3天。\n二、春节：2025年2月15日放假。",
        # two years before
        "一、元旦：2024年12月31日至2026年1月1日放假。",
        # the year after
        "七、国庆节：10月1日至7日放假调休，共7天。2027年1月2日上班。",
        # a range over New Year that is not on the first line
        "一、元旦：1月1日放假。\n二、春节：12月30日至1月1日放假，共3天。",
        # a December date without a year on a line other than 元旦 is this December
        "一、元旦：1月1日放假。\n二、春节：2026年12月31日放假。\n三、清明节：2027年1月2日放假。",
    ],
)
def test_date_out_of_year(text):
    assert error_code(text, 2026) == "date_out_of_year"


@pytest.mark.parametrize(
    "line",
    ["七、国庆节：10月7日至1日放假。", "七、国庆节：10月7日至10月1日放假。"],
)
def test_range_backwards(line):
    assert error_code(line, 2026) == "invalid_range"


@pytest.mark.parametrize(
    "line",
    [
        "一、元旦1月1日至3日放假，共3天。",
        "一、：1月1日至3日放假，共3天。",
        "一、元旦：1月1日前后3日放假。",
    ],
)
def test_malformed_line(line):
    assert error_code(line, 2026) == "malformed_line"


def test_line_without_day_off():
    assert error_code("一、元旦：1月4日（周日）上班。", 2026) == "no_days_off"
