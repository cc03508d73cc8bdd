"""Stage 3: a `TrackView` → the pages of that track's site, as Markdown, plus its navigation.

Nothing here touches the disk or knows about MkDocs beyond the Markdown dialect
(admonitions, attribute lists, Markdown in HTML) that the base `mkdocs.yml` enables.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Optional

import jinja2
from markupsafe import Markup

from .jinja_cache import COMPILED_TEMPLATES
from .crisis import crisis_actions
from .csp import source_hash
from .links import module_link_words, resolve_module_links
from .model import Module, Program, Track, Worksheet
from .print_forms import fillable_worksheet_file
from .references import reference_text
from .shipped import TEMPLATES
from .tailor import SessionView, TrackView, WeekView
from .locales import REFERENCE_LANGUAGE, Catalogue, catalogue
from .translations.notes import page_items, page_note, with_note
from .wayfinding import (day_and_date, first_scheduled_in, long_day, meeting_days_text, neighbours, session_place,
                         week_dates)

if TYPE_CHECKING:
    from .translations.translate import Translation

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


FACILITATOR_DIR = "facilitator"  # reachable from every page's footer, but not in the participants' menu
TOPICS_PAGE = "topics.md"


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


def render_track(view: TrackView, *, large_print: bool = False, offline_copy: bool = False,
                 translation: Optional[Translation] = None) -> RenderedSite:
    """The track's pages; `large_print` adds links to the large-print handouts next to the standard
    ones, and `offline_copy` a link on the home page to the zip of the offline copy. With
    `translation` (whose curriculum `view` was tailored from), a page says when its translation
    awaits clinical review or shows some text in the source language."""
    env = _environment(words=catalogue(view.program.language))
    pages: dict[str, str] = {}

    def page(path: str, template: str, **context: Any) -> None:
        markdown = env.get_template(template).render(view=view, program=view.program, track=view.track,
                                                     page_path=path, large_print=large_print,
                                                     offline_copy=offline_copy, **context)
        if translation is not None:
            markdown = with_note(markdown, page_note(translation, page_items(path, view)))
        pages[path] = markdown

    page("index.md", "home.md.j2")
    page("schedule.md", "schedule.md.j2")
    for module in view.modules.values():
        page(module_page(module), "module.md.j2", module=module)
    for worksheet in view.worksheets.values():
        page(worksheet_page(worksheet), "worksheet.md.j2", worksheet=worksheet)
    page("families.md", "families.md.j2", family_modules=_family_audience_modules(view))
    page(TOPICS_PAGE, "topics.md.j2")
    page("facilitator/index.md", "facilitator_index.md.j2")
    for week in view.weeks:
        page(facilitator_week_page(week.number), "facilitator_week.md.j2", week=week)
    page("resources.md", "resources.md.j2", references=_all_references(view))
    return RenderedSite(pages, _navigation(view, env.globals["t"]))


@dataclass(frozen=True)
class HubEdition:
    """The tracks of the program in another language, as a hub lists them: in that language's words."""

    words: Catalogue
    link: str  # from this hub to that language's folder: "es/", "../"
    tracks: tuple[Track, ...]


def render_hub(program: Program, tracks: list[Track], *, not_found_root: str | None = None,
               other_editions: tuple[HubEdition, ...] = ()) -> str:
    """The choose-your-track page at the top of the published site (HTML, no MkDocs), in the
    program's language; `other_editions` adds the tracks published in other languages.

    With `not_found_root` (the site's path on its host, such as "/"), the page a host shows for
    an address that is not on the site: its links are absolute, since it shows at any depth."""
    words = catalogue(program.language)
    env = _environment(autoescape=True, words=words)
    return env.get_template("hub.html.j2").render(program=program, tracks=tracks, not_found_root=not_found_root,
                                                  other_editions=other_editions)


def _navigation(view: TrackView, words: Catalogue) -> list[NavItem]:
    """The participants' menu: the schedule week by week, then family pages, topics, worksheets and
    resources. The facilitator guide is left out (the generated config lists it in `not_in_nav`)."""
    nav: list[NavItem] = [{words.text("nav.home"): "index.md"}, {words.text("schedule.title"): "schedule.md"}]
    for week in view.weeks:
        modules = first_scheduled_in(view, week)
        if modules:
            nav.append({words.text("weeks.week_n", n=week.number): [{m.title: module_page(m)} for m in modules]})
    family_pages: list[NavItem] = [{words.text("families.title"): "families.md"}]
    family_pages += [{m.title: module_page(m)} for m in _family_audience_modules(view)]
    nav.append({words.text("nav.for_families"): family_pages})
    nav.append({words.text("topics.title"): TOPICS_PAGE})
    if view.worksheets:
        nav.append({words.text("module.worksheets"): [{w.title: worksheet_page(w)} for w in view.worksheets.values()]})
    nav.append({words.text("resources.title"): "resources.md"})
    return nav


def _family_audience_modules(view: TrackView) -> list[Module]:
    return [m for m in view.modules.values() if view.for_families(m)]


def _all_references(view: TrackView) -> list[str]:
    """Every module's references on this track, each once, in one rendering (Markdown)."""
    texts = {reference_text(ref) for module in view.modules.values() for ref in module.references}
    return sorted(texts, key=lambda text: text.lstrip("*").casefold())


# --- the template environment --------------------------------------------------------

_TAG_START = re.compile(r"<(?!(?:https?://|mailto:)[^>\s]*>)")


def markdown_text(text: str) -> str:
    """Author text made safe to place in Markdown: no character can open an HTML tag, and links to
    modules (`module:id`) are plain words; `_page_markdown` links them first where a page can.

    Loading already refuses raw HTML; this is the second lock on the same door.
    """
    return _TAG_START.sub("&lt;", module_link_words(text.strip()))


def one_line(text: str) -> str:
    return " ".join(markdown_text(text).split())


@jinja2.pass_context
def _page_markdown(context: jinja2.runtime.Context, text: str) -> str:
    """`markdown_text`, with each `[words](module:id)` a link to this track's page of the module
    (relative to the page being rendered), or plain words where the track does not schedule it."""
    view, from_page = context.get("view"), context.get("page_path")
    if isinstance(view, TrackView) and isinstance(from_page, str):
        text = resolve_module_links(text, lambda module_id: _module_target(view, from_page, module_id))
    return markdown_text(text)


@jinja2.pass_context
def _page_line(context: jinja2.runtime.Context, text: str) -> str:
    return " ".join(_page_markdown(context, text).split())


def _module_target(view: TrackView, from_page: str, module_id: str) -> str | None:
    module = view.modules.get(module_id)
    return _relative(from_page, module_page(module)) if module else None


def long_date(day: datetime.date, words: Catalogue | None = None) -> str:
    """'January 13, 2027' (English unless `words` is another language's catalogue)."""
    return long_day(day, words)


def _environment(*, autoescape: bool = False, words: Catalogue | None = None) -> jinja2.Environment:
    """The page templates' environment; `t` is the catalogue of the language the pages are in."""
    words = words or catalogue(REFERENCE_LANGUAGE)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED_TEMPLATES,
    )
    env.filters.update(md=_page_markdown, line=_page_line, long_date=partial(long_date, words=words), html=_html_escape,
                       reference=reference_text, csp_hash=source_hash)
    env.globals.update(module_page=module_page, worksheet_page=worksheet_page,
                       facilitator_week_page=facilitator_week_page, relative=_relative,
                       handout_path=handout_path, packet_file=packet_file, week_packets=week_packets,
                       facilitator_packet_file=facilitator_packet_file, worksheet_file=worksheet_file,
                       offline_copy_file=offline_copy_file, HANDBOOK_FILE=HANDBOOK_FILE, crisis_actions=partial(crisis_actions, words=words),
                       neighbours=neighbours, session_place=partial(session_place, words=words),
                       day_and_date=partial(day_and_date, words=words), week_dates=partial(week_dates, words=words),
                       meeting_days_text=partial(meeting_days_text, words=words), t=words,
                       TOPICS_PAGE=TOPICS_PAGE, fillable_worksheet_file=fillable_worksheet_file)
    return env


def _html_escape(text: str) -> Markup:
    return Markup.escape(" ".join(str(text).split()))


def _relative(from_page: str, to_page: str) -> str:
    """A link from one page of docs/ to another, as MkDocs expects in Markdown."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
