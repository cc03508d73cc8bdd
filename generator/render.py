"""Stage 3: a `TrackView` → the pages of that track's site, as Markdown, plus its navigation.

Nothing here touches the disk or knows about MkDocs beyond the Markdown dialect
(admonitions, attribute lists, Markdown in HTML) that the base `mkdocs.yml` enables.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from .model import Module, Program, Track, Worksheet
from .print_forms import fillable_worksheet_file
from .tailor import SessionView, TrackView, WeekView

TEMPLATES = Path(__file__).parent / "templates"

NavItem = Any  # MkDocs nav entries: "page.md" or {title: page | [NavItem, ...]}


@dataclass(frozen=True)
class RenderedSite:
    pages: dict[str, str]  # path under docs/ → Markdown
    nav: list[NavItem] = field(default_factory=list)


def module_page(module: Module) -> str:
    return f"modules/{module.family}/{module.id}.md"


def worksheet_page(worksheet: Worksheet) -> str:
    return f"worksheets/{worksheet.id}.md"


def facilitator_week_page(week_number: int) -> str:
    return f"facilitator/week-{week_number:02d}.md"


# --- where the PDF handouts live (generator/handouts.py writes them) ------------------

HANDOUTS_DIR = "handouts"  # under docs/, so MkDocs copies the PDFs and checks links to them
LARGE_PRINT_DIR = "large-print"  # under HANDOUTS_DIR
HANDBOOK_FILE = "handbook.pdf"
PacketAudience = Literal["participants", "families"]


def packet_file(week_number: int, audience: PacketAudience = "participants") -> str:
    return f"week-{week_number:02d}{'-families' if audience == 'families' else ''}.pdf"


def facilitator_packet_file(week_number: int) -> str:
    return f"facilitator-week-{week_number:02d}.pdf"


def worksheet_file(worksheet: Worksheet) -> str:
    return f"worksheets/{worksheet.id}.pdf"


def handout_path(file: str, *, large_print: bool = False) -> str:
    """Where a handout file sits under docs/ (and so under the track's site)."""
    return posixpath.join(HANDOUTS_DIR, LARGE_PRINT_DIR if large_print else "", file)


# --- the offline copy of a track (`psychoed build --portable`) ----------------------------

OFFLINE_DIR = "downloads"  # under docs/, so MkDocs publishes the zip and checks the link to it


def offline_copy_file(track: Track) -> str:
    return f"{OFFLINE_DIR}/{track.id}-offline.zip"


def packet_sessions(view: TrackView, week: WeekView, audience: PacketAudience) -> tuple[SessionView, ...]:
    """The week's sessions that go in its participant packet, or in its family packet."""
    for_families = audience == "families"
    return tuple(s for s in week.sessions if view.for_families(s.module) == for_families)


def week_packets(view: TrackView, week: WeekView) -> list[PacketAudience]:
    """The packets a week has: participants when it has a participant session, families likewise."""
    audiences: list[PacketAudience] = ["participants", "families"]
    return [audience for audience in audiences if packet_sessions(view, week, audience)]


def render_track(view: TrackView, *, large_print: bool = False, offline_copy: bool = False) -> RenderedSite:
    """The track's pages; `large_print` adds links to the large-print handouts next to the standard
    ones, and `offline_copy` a link on the home page to the zip of the offline copy."""
    env = _environment()
    pages: dict[str, str] = {}

    def page(path: str, template: str, **context: Any) -> None:
        pages[path] = env.get_template(template).render(view=view, program=view.program, track=view.track,
                                                        page_path=path, large_print=large_print,
                                                        offline_copy=offline_copy, **context)

    page("index.md", "home.md.j2")
    page("schedule.md", "schedule.md.j2")
    for module in view.modules.values():
        page(module_page(module), "module.md.j2", module=module)
    for worksheet in view.worksheets.values():
        page(worksheet_page(worksheet), "worksheet.md.j2", worksheet=worksheet)
    page("families.md", "families.md.j2", family_modules=_family_audience_modules(view))
    page("facilitator/index.md", "facilitator_index.md.j2")
    for week in view.weeks:
        page(facilitator_week_page(week.number), "facilitator_week.md.j2", week=week)
    page("resources.md", "resources.md.j2", references=_all_references(view))
    return RenderedSite(pages, _navigation(view))


def render_hub(program: Program, tracks: list[Track], *, not_found_root: str | None = None) -> str:
    """The choose-your-track page at the top of the published site (HTML, no MkDocs).

    With `not_found_root` (the site's path on its host, such as "/"), the page a host shows for
    an address that is not on the site: its links are absolute, since it shows at any depth."""
    env = _environment(autoescape=True)
    return env.get_template("hub.html.j2").render(program=program, tracks=tracks, not_found_root=not_found_root)


def _navigation(view: TrackView) -> list[NavItem]:
    nav: list[NavItem] = [{"Home": "index.md"}, {"Schedule": "schedule.md"}]
    for_families = _family_audience_modules(view)
    for family_id, family in view.program.families.items():
        modules = [m for m in view.modules_of_family(family_id) if m not in for_families]
        if modules:
            nav.append({family.title: [{m.title: module_page(m)} for m in modules]})
    family_pages: list[NavItem] = [{"Start here": "families.md"}]
    family_pages += [{m.title: module_page(m)} for m in for_families]
    nav.append({"For families": family_pages})
    if view.worksheets:
        nav.append({"Worksheets": [{w.title: worksheet_page(w)} for w in view.worksheets.values()]})
    nav.append({"Resources": "resources.md"})
    facilitator: list[NavItem] = [{"About this guide": "facilitator/index.md"}]
    facilitator += [{f"Week {w.number}": facilitator_week_page(w.number)} for w in view.weeks]
    nav.append({"Facilitator guide": facilitator})
    return nav


def _family_audience_modules(view: TrackView) -> list[Module]:
    return [m for m in view.modules.values() if view.for_families(m)]


def _all_references(view: TrackView) -> list[str]:
    return sorted({ref for module in view.modules.values() for ref in module.references}, key=str.casefold)


# --- the template environment --------------------------------------------------------

_TAG_START = re.compile(r"<(?!(?:https?://|mailto:)[^>\s]*>)")


def markdown_text(text: str) -> str:
    """Author text made safe to place in Markdown: no character can open an HTML tag.

    Loading already refuses raw HTML; this is the second lock on the same door.
    """
    return _TAG_START.sub("&lt;", text.strip())


def one_line(text: str) -> str:
    return " ".join(markdown_text(text).split())


def long_date(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _environment(*, autoescape: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=markdown_text, line=one_line, long_date=long_date, html=_html_escape)
    env.globals.update(module_page=module_page, worksheet_page=worksheet_page,
                       facilitator_week_page=facilitator_week_page, relative=_relative,
                       handout_path=handout_path, packet_file=packet_file, week_packets=week_packets,
                       facilitator_packet_file=facilitator_packet_file, worksheet_file=worksheet_file,
                       offline_copy_file=offline_copy_file, HANDBOOK_FILE=HANDBOOK_FILE,
                       fillable_worksheet_file=fillable_worksheet_file)
    return env


def _html_escape(text: str) -> Markup:
    return Markup.escape(" ".join(str(text).split()))


def _relative(from_page: str, to_page: str) -> str:
    """A link from one page of docs/ to another, as MkDocs expects in Markdown."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
