"""The print HTML of a track's documents: each document whole, and each of its printable pieces.

A document (week packet, family packet, facilitator guide, handbook, worksheet) is a list of
pieces: a cover, the handbook's contents, a handout, a worksheet, a facilitator session. Each
piece is a small HTML document of its own, rendered to PDF once and assembled with the others
(pieces.py, pdf_assembly.py). A piece's HTML names nothing of the document it goes in except
its page header, so a participant handout is one piece in its week's packet and the handbook.
The whole document's HTML is made on demand: `write_pdf` renders it in one go (tests, previews).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable, Collection, Iterable, Optional, TypeVar

import jinja2
import markdown
from markupsafe import Markup

from .crisis import numbers_to_print
from .dates import WEEKDAYS
from .jinja_cache import COMPILED_TEMPLATES
from .locales import Catalogue, catalogue, css_counters
from .model import Module, Worksheet
from .page_layout import LARGE_PRINT, STANDARD, layout_constants, page_margins, running_titles
from .pdf_assembly import PdfMeta
from .pieces import HandoutDocument, HandoutKind, Piece, PieceKind, Stamp, page_slot
from .print_css import shared_css_element
from .print_forms import field_name, fillable_worksheet_file, question_name
from .print_qr import page_link
from .print_safety import css_string
from .references import reference_plain
from .render import (HANDBOOK_FILE, LARGE_PRINT_DIR, TEMPLATES, PacketAudience, facilitator_packet_file,
                     long_date, markdown_text, module_page, packet_file, packet_sessions, week_packets,
                     worksheet_file, worksheet_page)
from .sanitize import clean_text_html
from .tailor import TrackView, WeekView
from .translations.notes import note_text
from .translations.translate import Translation
from .wayfinding import day_name

_Item = TypeVar("_Item", Module, Worksheet)
_CSS_SLOT = "/* print CSS */"


@dataclass(frozen=True)
class HandbookPart:
    week: WeekView  # the week it first appears in
    module: Module
    with_handout: bool  # False when the module's handout is already in and only worksheets are new
    worksheets: tuple[Worksheet, ...]  # the ones not already in the handbook


def handbook_parts(view: TrackView) -> list[HandbookPart]:
    """Each participant handout once, where it first appears in the schedule, followed by the
    worksheets first used there (the session's choice of worksheets, then the module's own)."""
    parts: list[HandbookPart] = []
    seen_modules: set[str] = set()
    seen_worksheets: set[str] = set()
    for session in view.sessions():
        module = session.module
        if view.for_families(module):
            continue
        first_time = module.id not in seen_modules
        candidates = list(session.worksheets) + ([view.worksheets[w] for w in module.worksheets] if first_time else [])
        new = tuple(unique(w for w in candidates if w.id not in seen_worksheets))
        if first_time or new:
            parts.append(HandbookPart(view.weeks[session.week - 1], module, first_time, new))
        seen_modules.add(module.id)
        seen_worksheets.update(w.id for w in new)
    return parts


def spare_worksheets(week: WeekView) -> list[tuple[Worksheet, list[int]]]:
    """Each worksheet the week's sessions hand out, once, with the numbers of the sessions that use
    it: the facilitator prints spare copies of a file once, however many sessions use it."""
    by_id: dict[str, tuple[Worksheet, list[int]]] = {}
    for session in week.sessions:
        for worksheet in session.worksheets:
            by_id.setdefault(worksheet.id, (worksheet, []))[1].append(session.number)
    return list(by_id.values())


def handout_documents(view: TrackView, *, large_print: bool = False, weeks: Optional[Collection[int]] = None,
                      track_url: Optional[str] = None,
                      translation: Optional[Translation] = None) -> list[HandoutDocument]:
    """Every PDF of the track: per week the participant and family packets and the facilitator
    guide; then the handbook and each worksheet alone. With `weeks`, only those weeks' packets
    and the worksheets they use. With `track_url` (the track site's address), handouts and
    worksheets carry a QR code and the short address of their page. With `translation` (a
    translated edition's), items awaiting clinical review say so under their titles."""
    printer = Printer(view, large_print, track_url, translation)
    chosen = [w for w in view.weeks if weeks is None or w.number in weeks]
    documents: list[HandoutDocument] = []
    for week in chosen:
        for audience in week_packets(view, week):
            documents.append(printer.packet(week, audience))
        documents.append(printer.facilitator(week))
    if weeks is None:
        documents.append(printer.handbook())
        worksheets = list(view.worksheets.values())
    else:
        worksheets = unique(w for week in chosen for s in week.sessions for w in s.worksheets)
    documents += [printer.worksheet(w) for w in worksheets]
    if not large_print:  # on screen, a reader zooms: fillable PDFs have one size
        documents += [printer.worksheet(w, fillable=True) for w in worksheets]
    return documents


class Printer:
    """Renders the print HTML of one track's documents and of their pieces."""

    def __init__(self, view: TrackView, large_print: bool, track_url: Optional[str] = None,
                 translation: Optional[Translation] = None):
        self.view = view
        self.translation = translation
        self.large_print = large_print
        self.track_url = track_url
        self.size = LARGE_PRINT if large_print else STANDARD
        self.words = catalogue(view.program.language)
        self.env = _environment(self.words)
        self.env.globals["translation_note_text"] = self._translation_note
        self.program_header = f"{view.program.name} · {view.track.title}"
        footer_only = page_margins(view.program, self.size, header="", large=large_print)
        self.shared_css = self.env.get_template("print.css.j2").render(size=self.size, layout=layout_constants())
        self.stamp = Stamp(view.program.paper, footer_only, self.size, view.program.language, self._page_of())
        # A handout or worksheet is in several documents (its week's packets, the handbook) with the
        # same HTML: made once.
        self._made: dict[tuple[object, ...], Piece] = {}

    def _translation_note(self, kind: Optional[str] = None, item_id: Optional[str] = None) -> str:
        """The note for a module or worksheet, or (with no item) for a cover: the program and track."""
        items = [("program", "program"), ("track", self.view.track.id)] + ([(kind, item_id)] if kind and item_id else [])
        return note_text(self.translation, items)

    def _page_of(self) -> str:
        return self.words.text("pdf.page_of", page="{page}", pages="{pages}")

    def packet(self, week: WeekView, audience: PacketAudience) -> HandoutDocument:
        for_families = audience == "families"
        track, t = self.view.track.title, self.words
        title = t.text("pdf.title_packet", track=track, n=week.number, title=week.title) + (
            t.text("pdf.title_for_families") if for_families else "")
        kind: HandoutKind = "families" if for_families else "packet"
        header = f"{self.program_header} · {t.text('weeks.week_n', n=week.number)}" + (
            f" · {t.text('pdf.for_families')}" if for_families else "")
        sessions = packet_sessions(self.view, week, audience)
        context = dict(week=week, sessions=sessions, for_families=for_families)
        description = t.text("pdf.description_packet", n=week.number)
        whole = partial(self._html, "packet.html.j2", kind, title, header, description, **context)
        if self.view.program.handouts.layout == "compact":  # one flow of text: the packet is one piece
            pieces = (self._piece("packet", "cover", "packet.html.j2", kind, title, header, description, **context),)
        else:
            pieces = (self._piece("packet-cover", "cover", "piece.html.j2", kind, title, header, description, **context),)
            for s in sessions:
                pieces += (self._handout(s.module, header, kind),)
                pieces += tuple(self._worksheet_piece(w) for w in s.worksheets)
        return self._document(packet_file(week.number, audience), kind, title, whole, description, pieces)

    def facilitator(self, week: WeekView) -> HandoutDocument:
        track, t = self.view.track.title, self.words
        title = t.text("pdf.title_facilitator", track=track, n=week.number)
        header = f"{t.text('facilitator.title')} · {track} · {t.text('weeks.week_n', n=week.number)}"
        packets = [(a, packet_file(week.number, a)) for a in week_packets(self.view, week)]
        description = t.text("pdf.description_facilitator")
        cover = dict(week=week, packets=packets, spares=spare_worksheets(week))
        whole = partial(self._html, "facilitator.html.j2", "facilitator", title, header, description, **cover)
        pieces = (self._piece("facilitator-cover", "cover", "piece.html.j2", "facilitator", title, header, description,
                              **cover),)
        pieces += tuple(self._piece("facilitator-session", f"session-{s.number}", "piece.html.j2", "facilitator",
                                    t.text("pdf.title_session", title=title, n=s.number), header, description,
                                    session=s)
                        for s in week.sessions)
        return self._document(facilitator_packet_file(week.number), "facilitator", title, whole, description, pieces)

    def handbook(self) -> HandoutDocument:
        track, t = self.view.track.title, self.words
        title = t.text("pdf.title_handbook", track=track)
        header = f"{self.program_header} · {t.text('pdf.handbook')}"
        parts = handbook_parts(self.view)
        description = t.text("pdf.description_handbook")
        whole = partial(self._html, "handbook.html.j2", "handbook", title, header, description, parts=parts)
        pieces = (self._piece("handbook-cover", "cover", "piece.html.j2", "handbook", title, header, description),
                  self._piece("contents", "contents", "piece.html.j2", "handbook", title, header, description,
                              parts=parts, pages=page_slot))
        for part in parts:
            # A handout's pages name the week it belongs to, as in that week's packet: one piece for both.
            week_header = f"{self.program_header} · {t.text('weeks.week_n', n=part.week.number)}"
            if part.with_handout:
                shared = self.view.program.handouts.layout == "full"  # a compact packet is one piece of its own
                pieces += (self._handout(part.module, week_header if shared else header, "packet" if shared else "handbook"),)
            pieces += tuple(self._worksheet_piece(w) for w in part.worksheets)
        return self._document(HANDBOOK_FILE, "handbook", title, whole, description, pieces)

    def worksheet(self, worksheet: Worksheet, *, fillable: bool = False) -> HandoutDocument:
        """A blank worksheet to print, or with `fillable` one to fill in on screen (PDF form fields)."""
        title, kind = self._worksheet_title(worksheet, fillable)
        whole = partial(self._html, "worksheet.html.j2", kind, title, self.program_header, worksheet.instructions,
                        worksheet=worksheet, fillable=fillable)
        name = fillable_worksheet_file(worksheet) if fillable else worksheet_file(worksheet)
        return self._document(name, kind, title, whole, worksheet.instructions, (self._worksheet_piece(worksheet, fillable),))

    def _worksheet_title(self, worksheet: Worksheet, fillable: bool) -> tuple[str, HandoutKind]:
        title = self.words.text("pdf.title_fillable" if fillable else "pdf.title_worksheet",
                                title=code_title(worksheet.code, worksheet.title))
        return title, "fillable" if fillable else "worksheet"

    def _worksheet_piece(self, worksheet: Worksheet, fillable: bool = False) -> Piece:
        """The one piece of a worksheet, wherever it is printed (a packet, the handbook, alone):
        its pages name the program and track, not a week, so it renders once per track and variant."""
        key = ("worksheet", worksheet.id, fillable)
        if key not in self._made:
            title, kind = self._worksheet_title(worksheet, fillable)
            self._made[key] = self._piece("worksheet", f"worksheet-{worksheet.id}", "worksheet.html.j2", kind, title,
                                          self.program_header, worksheet.instructions, worksheet=worksheet,
                                          fillable=fillable)
        return self._made[key]

    def _handout(self, module: Module, header: str, kind: HandoutKind) -> Piece:
        key = ("handout", module.id, header, kind)
        if key not in self._made:
            self._made[key] = self._piece("handout", f"module-{module.id}", "piece.html.j2", kind, module.title,
                                          header, module.main_message, module=module)
        return self._made[key]

    def _piece(self, piece: PieceKind, anchor: str, template: str, kind: HandoutKind, title: str, header: str,
               description: str, **context: object) -> Piece:
        html = self._html(template, kind, title, header, description, numbered=False, piece=piece, **context)
        return Piece(piece, anchor, html)

    def _document(self, name: str, kind: HandoutKind, title: str, whole: Callable[[], str], description: str,
                  pieces: tuple[Piece, ...]) -> HandoutDocument:
        program = self.view.program
        meta = PdfMeta(title, program.language, program.organization, " ".join(description.split()),
                       f"{program.name}, {self.view.track.title}, {self.words.text('pdf.keyword')}")
        if self.large_print:
            name = f"{LARGE_PRINT_DIR}/{name}"
        return HandoutDocument(name, kind, title, pieces, meta, self.stamp, whole)

    def _html(self, template: str, kind: HandoutKind, title: str, header: str, description: str, *,
              numbered: bool = True, **context: object) -> str:
        context.setdefault("piece", None)
        html = self.env.get_template(template).render(
            view=self.view, program=self.view.program, track=self.view.track, kind=kind, title=title,
            description=" ".join(description.split()), large_print=self.large_print, size=self.size,
            track_url=self.track_url, layout=self.view.program.handouts.layout if kind in ("packet", "families") else "full",
            css=Markup(_CSS_SLOT), **context)
        # The margins are sized from the document's own running titles, so the HTML comes first.
        margins = page_margins(self.view.program, self.size, header=header, running_titles=running_titles(html),
                               large=self.large_print)
        page_css = self.env.get_template("page.css.j2").render(
            size=self.size, paper=self.view.program.paper, header=header, margins=margins, layout=layout_constants(),
            numbered=numbered, page_of=self._page_of())
        css = f"<style>\n{page_css}</style>\n{shared_css_element(self.shared_css)}"
        return html.replace(_CSS_SLOT, css, 1)


# --- templates -----------------------------------------------------------------------------


def _environment(words: Catalogue) -> jinja2.Environment:
    """The print templates' environment; `t` is the catalogue of the documents' language."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "handouts"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        bytecode_cache=COMPILED_TEMPLATES,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=_markdown_html, long_date=partial(long_date, words=words), css_string=css_string,
                       squash=_squash, reference=reference_plain, css_counters=css_counters,
                       weekday=lambda day: day_name(WEEKDAYS[day.weekday()], words))
    env.globals.update(code_title=code_title, modules_for=_modules_for, t=words,
                       numbers_to_print=partial(numbers_to_print, words=words),
                       question_name=question_name, field_name=field_name, page_link=page_link,
                       module_page=module_page, worksheet_page=worksheet_page)
    return env


@lru_cache(maxsize=4096)  # a handout's texts print in its packets and the handbook, in each variant
def _markdown_html(text: str) -> Markup:
    # markdown_text escapes anything that could open an HTML tag; the allowlist then keeps only
    # safe elements and link targets of what Markdown made (reference links, entities, images).
    return Markup(clean_text_html(markdown.markdown(markdown_text(text), extensions=["sane_lists"])))


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def code_title(code: Optional[str], title: str) -> str:
    return f"{code} · {title}" if code else title


def _modules_for(view: TrackView, worksheet: Worksheet) -> list[Module]:
    """The handouts a worksheet goes with, the same wherever it is printed: the modules of the
    sessions that use it, in schedule order, then any other module that lists it."""
    scheduled = [s.module for s in view.sessions() if any(w.id == worksheet.id for w in s.worksheets)]
    return unique(scheduled + view.modules_using(worksheet.id))


def unique(items: Iterable[_Item]) -> list[_Item]:
    """Items in order, each id once (the models hold lists, so they cannot go in a set)."""
    first: dict[str, _Item] = {}
    for item in items:
        first.setdefault(item.id, item)
    return list(first.values())
