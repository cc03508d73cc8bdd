"""Where a reader is in a track: weeks, days and dates in words, and the order of pages.

Participants meet the material in schedule order, so that is the order of the previous / next
links and of the menu; family pages have their own sequence, since families read only theirs.
"""

from __future__ import annotations

import datetime
from typing import Optional

from .locales import Catalogue, catalogue
from .model import Module
from .tailor import SessionView, TrackView, WeekView


def in_schedule_order(view: TrackView, module: Module) -> list[Module]:
    """The track's modules for the same readers as `module` (participants or families), in the
    order of their first session."""
    for_families = view.for_families(module)
    return [m for m in view.modules.values() if view.for_families(m) == for_families]


def neighbours(view: TrackView, module: Module) -> tuple[Optional[Module], Optional[Module]]:
    """The modules before and after `module` in schedule order."""
    order = in_schedule_order(view, module)
    index = order.index(module)
    return (order[index - 1] if index > 0 else None, order[index + 1] if index + 1 < len(order) else None)


def first_scheduled_in(view: TrackView, week: WeekView, *, for_families: bool = False) -> list[Module]:
    """The modules whose first session is in `week`, for participants (or families)."""
    first_week: dict[str, int] = {}
    for session in view.sessions():
        first_week.setdefault(session.module.id, session.week)
    modules = {s.module.id: s.module for s in week.sessions
               if first_week[s.module.id] == week.number and view.for_families(s.module) == for_families}
    return list(modules.values())


def day_and_date(session: SessionView, *, year: bool = False, words: Optional[Catalogue] = None) -> str:
    """'Wednesday, January 13' (with `year`, 'Wednesday, January 13, 2027'), 'Wednesday' or '' as the
    track has dates, days or neither; in the language of `words` (English by default)."""
    words = words or catalogue("en")
    if session.date is not None:
        day = long_day(session.date, words) if year else day_month(session.date, words)
        return words.text("date.weekday_date", weekday=day_name(session.day or "Mon", words), date=day)
    return day_name(session.day, words) if session.day else ""


def session_place(session: SessionView, *, words: Optional[Catalogue] = None) -> str:
    """'Week 1, session 2 (Wednesday, January 13, 2027)'."""
    words = words or catalogue("en")
    when = day_and_date(session, year=True, words=words)
    place = words.text("place.week_session", week=session.week, n=session.number)
    return place + (f" ({when})" if when else "")


def week_dates(week: WeekView, *, words: Optional[Catalogue] = None) -> str:
    """'January 11 to 17, 2027', 'January 25 to February 1, 2027', or '' for rolling admission."""
    words = words or catalogue("en")
    if week.starts is None or week.ends is None:
        return ""
    first, last = week.starts, week.ends
    if first.year != last.year:
        return words.text("date.range", first=long_day(first, words), last=long_day(last, words))
    if first.month == last.month:
        return words.text("date.range_in_month", month=month_name(first, words), first=first.day, last=last.day,
                          year=last.year)
    return words.text("date.range_in_year", first_month=month_name(first, words), first=first.day,
                      last_month=month_name(last, words), last=last.day, year=last.year)


def month_name(day: datetime.date, words: Catalogue) -> str:
    return words.text(f"date.month_{day.month}")


def day_name(short: str, words: Catalogue) -> str:
    """'Wednesday' for 'Wed'."""
    return words.text(f"date.day_{short}")


def day_month(day: datetime.date, words: Catalogue) -> str:
    return words.text("date.day_month", month=month_name(day, words), day=day.day)


def long_day(day: datetime.date, words: Optional[Catalogue] = None) -> str:
    words = words or catalogue("en")
    return words.text("date.long", month=month_name(day, words), day=day.day, year=day.year)


def meeting_days_text(days: list[str], *, words: Optional[Catalogue] = None) -> str:
    """'Monday, Wednesday and Thursday'."""
    words = words or catalogue("en")
    return words.spoken_list([day_name(day, words) for day in days])
