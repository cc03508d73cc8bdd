"""Where a reader is in a track: weeks, days and dates in words, and the order of pages.

Participants meet the material in schedule order, so that is the order of the previous / next
links and of the menu; family pages have their own sequence, since families read only theirs.
"""

from __future__ import annotations

import datetime
from typing import Optional

from .dates import DAY_NAMES
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


def day_and_date(session: SessionView, *, year: bool = False) -> str:
    """'Wednesday, January 13' (with `year`, 'Wednesday, January 13, 2027'), 'Wednesday' or '' as the
    track has dates, days or neither."""
    if session.date is not None:
        day = long_day(session.date) if year else f"{session.date:%B} {session.date.day}"
        return f"{DAY_NAMES[session.day or 'Mon']}, {day}"
    return DAY_NAMES[session.day] if session.day else ""


def session_place(session: SessionView) -> str:
    """'Week 1, session 2 (Wednesday, January 13, 2027)'."""
    when = day_and_date(session, year=True)
    return f"Week {session.week}, session {session.number}" + (f" ({when})" if when else "")


def week_dates(week: WeekView) -> str:
    """'January 11 to 17, 2027', 'January 25 to February 1, 2027', or '' for rolling admission."""
    if week.starts is None or week.ends is None:
        return ""
    first, last = week.starts, week.ends
    if first.year != last.year:
        return f"{long_day(first)} to {long_day(last)}"
    end = f"{last.day}" if first.month == last.month else f"{last:%B} {last.day}"
    return f"{first:%B} {first.day} to {end}, {last.year}"


def long_day(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def meeting_days_text(days: list[str]) -> str:
    """'Monday, Wednesday and Thursday'."""
    names = [DAY_NAMES[day] for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
