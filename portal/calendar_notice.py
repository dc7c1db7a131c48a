"""Parse the State Council General Office's annual holiday notice.

Every year the General Office of the State Council publishes a notice
(国务院办公厅关于XXXX年部分节假日安排的通知) whose numbered items read::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

:func:`parse_notice` turns the numbered items of such a text into
:class:`NoticeDay` values: every day off (each date of a ``X至Y……放假`` range,
or the single date before ``放假``, or a ``补休`` day as in 2015's
``4月5日放假，4月6日（星期一）补休``) and every adjusted working day (the dates
listed before ``上班``). Text that is not a numbered item (the preamble, the
closing paragraph, the signature) is ignored.

Accepted variations: full-width or half-width punctuation, colons, parentheses
and digits; parenthesised weekday or lunar notes anywhere; ranges crossing a
month (``9月29日至10月6日``) or the year (``2024年12月30日至2025年1月1日``);
``至``, ``到``, ``—``, ``-`` or ``~`` as range marks; a day without a month
(``至3日``, ``2月20日、21日``) taking the month of the date before it; dates
with an explicit year; ``放假公休``, ``放假调休``, ``与周末连休``, ``不调休``; all
items on one line; and an item wrapped over several lines.

Years: an explicit ``年`` wins; otherwise a date is in the notice year, except
that a range spanning New Year ends in the notice year and, on a first item
about 元旦, a December date belongs to the previous year (the 2008 notice
writes ``12月29日（星期六）上班`` for 29 December 2007). Dates of the previous
year are accepted on the first item only; every other date must lie in the
notice year.

The notice is validated; a :class:`~django.core.exceptions.ValidationError`
(with a ``code``, see ``ERROR_CODES``) is raised for a notice with no item, an
item that cannot be read, an impossible date, a range that runs backwards, a
stated day count (``共N天`` or ``放假N天``) that disagrees with the dates, a date
outside the allowed years, a date named twice, or a date that is both a day
off and a working day.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["ERROR_CODES", "NoticeDay", "parse_notice"]

ERROR_CODES = (
    "no_holidays",  # no numbered holiday item in the text
    "malformed_line",  # a numbered item without "name：", or with unreadable dates
    "no_days_off",  # a numbered item that names no day off
    "invalid_date",  # e.g. 2月30日
    "invalid_range",  # a range whose end precedes its start
    "day_count",  # "共N天" / "放假N天" disagrees with the dates
    "date_out_of_year",  # a date outside the notice year (or the year before, first item)
    "duplicate_date",  # the same date named twice with the same meaning
    "conflicting_date",  # the same date both a day off and a working day
)


@dataclass(frozen=True)
class NoticeDay:
    day: datetime.date
    is_workday: bool  # True for an adjusted working weekend (上班), False for a day off
    name: str  # the festival name from the line, e.g. "春节"


_ORDINAL = "一二三四五六七八九十"
_TERMINATORS = "。.;"
# A numbered item starts a line, or follows a full stop or colon on the same line
# ("……通知如下：一、元旦：……。二、春节：……").
_ITEM_START = re.compile(rf"(?:^|(?<=[{_TERMINATORS}:]))\s*[{_ORDINAL}]+[、.,](?=\S)")
_NOTE = re.compile(r"\([^()]*\)")
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(rf"[{_TERMINATORS}]")
_DATE = re.compile(r"(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})[日号]")
_RANGE_MARK = re.compile(r"(?:至|到|[-~\u2010-\u2015\u2212\u301c\u30fc])+")
_LIST_MARK = re.compile(r"(?:、|,|和|及|以及|与)+")
_DAYS_OFF = re.compile(r"放假|补休")
_WORKDAY = re.compile(r"上班|补班")
_COUNT = re.compile(rf"(?:共|放假)(?P<count>\d+|[{_ORDINAL}两]+)天")


@dataclass
class _Item:
    line: int  # 1-based line of the text where the item starts
    text: str  # normalised body, starting with the festival name


@dataclass(frozen=True)
class _Token:
    """A ``[年][月]日`` date as written, before its year and month are settled."""

    year: int | None
    month: int | None
    day: int
    start: int
    end: int


def parse_notice(text: str, year: int) -> list[NoticeDay]:
    """Every day off and every adjusted working day the notice names, sorted by date."""
    items = list(_items(text))
    if not items:
        raise ValidationError(
            _("The notice contains no numbered holiday line (e.g. “一、元旦：……”)."),
            code="no_holidays",
        )
    seen: dict[datetime.date, NoticeDay] = {}
    for index, item in enumerate(items):
        for notice_day in _parse_item(item, year, first=index == 0):
            previous = seen.get(notice_day.day)
            if previous is None:
                seen[notice_day.day] = notice_day
                continue
            params = {"line": item.line, "name": notice_day.name, "date": notice_day.day}
            if previous.is_workday != notice_day.is_workday:
                raise ValidationError(
                    _("Line %(line)s (%(name)s): %(date)s is both a day off and a working day."),
                    code="conflicting_date",
                    params=params,
                )
            raise ValidationError(
                _("Line %(line)s (%(name)s): %(date)s is named more than once."),
                code="duplicate_date",
                params=params,
            )
    return sorted(seen.values(), key=lambda notice_day: notice_day.day)


def _normalise(text: str) -> str:
    # NFKC folds full-width digits, colons, commas and parentheses to ASCII;
    # 。 and 、 are left as they are.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _items(text: str) -> Iterator[_Item]:
    """The numbered items of the notice, each joined into one string without spaces."""
    current: _Item | None = None
    for number, raw in enumerate(_normalise(text).split("\n"), start=1):
        line = _SPACE.sub("", raw)
        starts = list(_ITEM_START.finditer(line))
        head = line[: starts[0].start()] if starts else line
        # Text that does not start an item continues the open item as long as
        # that item has not ended with a full stop (a name on a line of its
        # own, a wrapped line); otherwise it is preamble or signature.
        if current is not None and head and not current.text.endswith(tuple(_TERMINATORS)):
            current.text += head
        if not starts:
            continue
        if current is not None:
            yield current
        for start, following in zip(starts, [*starts[1:], None], strict=True):
            end = following.start() if following is not None else None
            current = _Item(line=number, text=line[start.end() : end])
            if following is not None:
                yield current
    if current is not None:
        yield current


def _parse_item(item: _Item, year: int, *, first: bool) -> list[NoticeDay]:
    name, colon, body = item.text.partition(":")
    name = name.strip("、,")
    if not colon or not name or re.search(r"\d", name):
        raise ValidationError(
            _("Line %(line)s: a holiday line must read “一、name：dates……”."),
            code="malformed_line",
            params={"line": item.line},
        )
    params = {"line": item.line, "name": name}
    body = _strip_notes(body)
    days_off: list[datetime.date] = []
    workdays: list[datetime.date] = []
    for sentence in _SENTENCE.split(body):
        sentence_off: list[datetime.date] = []
        for match in _DAYS_OFF.finditer(sentence):
            sentence_off += _dates_before(sentence, match.start(), year, name, first, params)
        for match in _WORKDAY.finditer(sentence):
            workdays += _dates_before(sentence, match.start(), year, name, first, params)
        count = _COUNT.search(sentence)
        if count is not None:
            stated = _number(count.group("count"))
            if stated != len(set(sentence_off)):
                raise ValidationError(
                    _(
                        "Line %(line)s (%(name)s): the notice says %(stated)s days off "
                        "but the dates give %(counted)s."
                    ),
                    code="day_count",
                    params={**params, "stated": stated, "counted": len(set(sentence_off))},
                )
        days_off += sentence_off
    if not days_off:
        raise ValidationError(
            _("Line %(line)s (%(name)s): no day off (“……放假”) could be read."),
            code="no_days_off",
            params=params,
        )
    # A date repeated with the same meaning on one line is an explanation, not
    # an error; one named both ways is reported by parse_notice.
    kinds = dict.fromkeys([(d, False) for d in days_off] + [(d, True) for d in workdays])
    return [NoticeDay(day=day, is_workday=is_workday, name=name) for day, is_workday in kinds]


def _strip_notes(text: str) -> str:
    """Remove parenthesised notes such as ``（农历腊月二十八、周日）``, nested or not."""
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text:
            return stripped
        text = stripped


def _is_date_list(clause: str) -> bool:
    """Whether a comma clause holds nothing but dates and range or list marks."""
    rest = _LIST_MARK.sub("", _RANGE_MARK.sub("", _DATE.sub("", clause)))
    return bool(clause) and not rest and bool(_DATE.search(clause))


def _dates_before(
    sentence: str, keyword: int, year: int, name: str, first: bool, params: dict
) -> list[datetime.date]:
    """The dates listed just before ``sentence[keyword:]`` (放假 or 上班).

    That is the dates of the comma clause the keyword ends, together with the
    clauses just before it as long as those hold dates only, so that
    ``其中，1月1日为法定节假日，12月29日上班`` gives 29 December alone.
    """
    clauses = sentence[:keyword].split(",")
    text = clauses.pop()
    while clauses and _is_date_list(clauses[-1]):
        text = clauses.pop() + "," + text
    tokens = [
        _Token(
            year=int(m.group("year")) if m.group("year") else None,
            month=int(m.group("month")) if m.group("month") else None,
            day=int(m.group("day")),
            start=m.start(),
            end=m.end(),
        )
        for m in _DATE.finditer(text)
    ]
    # Group the tokens into single dates and ranges by what separates them.
    groups: list[list[_Token]] = []
    for index, token in enumerate(tokens):
        if index == 0:
            groups.append([token])
            continue
        between = text[tokens[index - 1].end : token.start]
        if _RANGE_MARK.fullmatch(between) and len(groups[-1]) == 1:
            groups[-1].append(token)
        elif not between or _LIST_MARK.fullmatch(between):
            groups.append([token])
        else:
            raise ValidationError(
                _("Line %(line)s (%(name)s): cannot read the dates in “%(text)s”."),
                code="malformed_line",
                params={**params, "text": text},
            )
    dates: list[datetime.date] = []
    previous: datetime.date | None = None
    for group in groups:
        if len(group) == 1:
            day = _resolve(group[0], previous, year, name, first, params)
            dates.append(day)
        else:
            start, end = _resolve_range(group[0], group[1], previous, year, name, first, params)
            if end < start:
                raise ValidationError(
                    _("Line %(line)s (%(name)s): the range %(start)s to %(end)s runs backwards."),
                    code="invalid_range",
                    params={**params, "start": start, "end": end},
                )
            dates += [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
            day = end
        previous = day
    for day in dates:
        _check_year(day, year, first, params)
    return dates


def _make_date(
    year: int, month: int | None, day: int, params: dict, token: _Token
) -> datetime.date:
    try:
        if month is None:
            raise ValueError("no month")
        return datetime.date(year, month, day)
    except ValueError as exc:
        written = f"{token.year or ''}{'年' if token.year else ''}"
        written += f"{token.month or ''}{'月' if token.month else ''}{token.day}日"
        raise ValidationError(
            _("Line %(line)s (%(name)s): “%(date)s” is not a valid date."),
            code="invalid_date",
            params={**params, "date": written},
        ) from exc


def _default_year(month: int | None, year: int, name: str, first: bool) -> int:
    # On the 元旦 item a December date is the December before the notice year.
    if first and month == 12 and "元旦" in name:
        return year - 1
    return year


def _resolve(
    token: _Token,
    previous: datetime.date | None,
    year: int,
    name: str,
    first: bool,
    params: dict,
) -> datetime.date:
    """A single date; a date without a month takes year and month from ``previous``."""
    if token.month is None and previous is not None:
        return _make_date(token.year or previous.year, previous.month, token.day, params, token)
    if token.year is not None:
        return _make_date(token.year, token.month, token.day, params, token)
    return _make_date(
        _default_year(token.month, year, name, first), token.month, token.day, params, token
    )


def _resolve_range(
    start: _Token,
    end: _Token,
    previous: datetime.date | None,
    year: int,
    name: str,
    first: bool,
    params: dict,
) -> tuple[datetime.date, datetime.date]:
    """Both ends of ``start至end``; the end takes what it lacks from the start."""
    crosses_new_year = bool(start.month and end.month and end.month < start.month)
    if start.year is None and end.year is None and crosses_new_year:
        # 12月30日至1月1日: a range over New Year ends in the notice year.
        return (
            _make_date(year - 1, start.month, start.day, params, start),
            _make_date(year, end.month, end.day, params, end),
        )
    if start.year is None and end.year is not None and start.month is not None:
        end_month = end.month or start.month
        start_year = end.year - 1 if start.month > end_month else end.year
        first_day = _make_date(start_year, start.month, start.day, params, start)
    else:
        first_day = _resolve(start, previous, year, name, first, params)
    end_year = end.year
    if end_year is None:
        end_year = first_day.year
        if end.month is not None and end.month < first_day.month:
            end_year += 1
    last_day = _make_date(end_year, end.month or first_day.month, end.day, params, end)
    return first_day, last_day


def _check_year(day: datetime.date, year: int, first: bool, params: dict) -> None:
    if day.year == year or (first and day.year == year - 1):
        return
    raise ValidationError(
        _("Line %(line)s (%(name)s): %(date)s is not in %(year)s."),
        code="date_out_of_year",
        params={**params, "date": day, "year": year},
    )


def _number(text: str) -> int:
    """``8`` or a Chinese numeral up to 99 (``八``, ``十``, ``十一``, ``两``)."""
    if text.isdigit():
        return int(text)
    digits = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    tens, _sep, units = text.partition("十")
    if not _sep:
        return digits.get(text, -1)
    return (digits.get(tens, -1) if tens else 1) * 10 + (digits.get(units, -1) if units else 0)
