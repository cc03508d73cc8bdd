"""Dates and meeting days of a track's schedule.

A track may give `meeting_days` (the days the group meets, in week order) and a `start` date
(the first session of week 1). Session N of a week is on meeting day N; week W starts
7 × (W − 1) days after `start`. Without `start` the track has rolling admission: days may
still be named, but no date is printed, since each person counts weeks from when they joined.
"""

from __future__ import annotations

import datetime
from typing import Iterator, Optional

from .diagnostics import Diagnostic
from .model import Track
from .source import SourceFile

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the order of datetime.date.weekday()
DAY_NAMES = {short: datetime.date(2024, 1, 1 + i).strftime("%A") for i, short in enumerate(WEEKDAYS)}


def day_offsets(meeting_days: list[str]) -> list[int]:
    """How many days after the week's first meeting day each meeting day falls."""
    if not meeting_days:
        return []
    first = WEEKDAYS.index(meeting_days[0])
    return [(WEEKDAYS.index(day) - first) % 7 for day in meeting_days]


def session_day(track: Track, session_index: int) -> Optional[str]:
    """The short day name ("Mon") of a week's session (0-based), when the track names its days."""
    if session_index < len(track.meeting_days):
        return track.meeting_days[session_index]
    return None


def week_start(track: Track, week_number: int) -> Optional[datetime.date]:
    """The first day of a week (1-based) of a dated track."""
    if track.start is None:
        return None
    return track.start + datetime.timedelta(weeks=week_number - 1)


def session_date(track: Track, week_number: int, session_index: int) -> Optional[datetime.date]:
    starts = week_start(track, week_number)
    offsets = day_offsets(track.meeting_days)
    if starts is None or session_index >= len(offsets):
        return None
    return starts + datetime.timedelta(days=offsets[session_index])


def schedule_date_problems(track: Track, source: SourceFile) -> Iterator[Diagnostic]:
    """Meeting days and start date that cannot give every session one day."""
    days = track.meeting_days
    for i, day in enumerate(days):
        if day in days[:i]:
            yield source.diagnostic(("meeting_days", i), f"meeting day `{day}` is listed twice",
                                    "list each day the group meets once, in week order")
    offsets = day_offsets(days)
    if len(set(days)) == len(days) and offsets != sorted(offsets):
        yield source.diagnostic(("meeting_days",), f"meeting days {', '.join(days)} are not in week order",
                                "list them in the order the group meets within a week, e.g. [Mon, Wed, Thu]")
    if track.start is not None:
        start_day = WEEKDAYS[track.start.weekday()]
        if not days:
            yield source.diagnostic(("start",), "`start` needs `meeting_days`",
                                    f"add e.g. `meeting_days: [{start_day}]`: the days the group meets, in week order")
        elif start_day != days[0]:
            yield source.diagnostic(("start",), f"`start` {track.start.isoformat()} is a {DAY_NAMES[start_day]}, "
                                    f"but the first meeting day is {DAY_NAMES[days[0]]}",
                                    "give the date of the first session of week 1, or list that day first in "
                                    "`meeting_days`")
    if days:
        for w, week in enumerate(track.weeks):
            if len(week.sessions) > len(days):
                yield source.diagnostic(("weeks", w, "sessions", len(days)),
                                        f"week {w + 1} has {len(week.sessions)} sessions but the group meets "
                                        f"{len(days)} day(s) a week ({', '.join(days)})",
                                        "add a day to `meeting_days`, or move a session to another week")
