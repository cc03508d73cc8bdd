"""Stage 3b: a `TrackView` → printable handouts: print HTML, then PDF with WeasyPrint.

The print HTML comes from this module's own templates (`templates/handouts/`) and CSS
(`@page` rules), never from the site's pages. Building it is pure and fast; turning it
into PDF is the slow part, so PDFs live in a cache folder (`build/<track>/handouts/`)
with a manifest of content hashes: a PDF whose HTML has not changed is not rendered
again, and the ones that have are rendered in parallel, one process per core.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Collection, Iterable, Iterator, Literal, Optional, Sequence, TypeVar

import jinja2
import markdown
from markupsafe import Markup

from .model import Module, Worksheet
from .crisis import numbers_to_print
from .dates import WEEKDAYS
from .locales import Catalogue, catalogue, css_counters
from .wayfinding import day_name
from .page_fit import fitted_document
from .page_layout import LARGE_PRINT, STANDARD, layout_constants, page_margins, running_titles
from .pdf_cache import PdfCache, checked_source
from .pdf_worker import die_with_parent, render_in_time, time_limit
from .print_forms import (field_name, fillable_worksheet_file, has_form_fields, question_name,
                          tidy_radio_groups)
from .print_qr import page_link
from .print_safety import css_string, refusing_fetcher
from .references import reference_plain
from .render import (HANDBOOK_FILE, LARGE_PRINT_DIR, TEMPLATES, PacketAudience, facilitator_packet_file,
                     long_date, markdown_text, module_page, packet_file, packet_sessions, week_packets,
                     worksheet_file, worksheet_page)
from .sanitize import clean_text_html
from .tailor import SessionView, TrackView, WeekView

_Item = TypeVar("_Item", Module, Worksheet)
HandoutKind = Literal["packet", "families", "facilitator", "handbook", "worksheet", "fillable"]

# Bump when a change to this module alters the PDFs without altering their HTML.
FORMAT_VERSION = "2"
_CSS_SLOT = "/* print CSS */"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}


@dataclass(frozen=True)
class HandoutDocument:
    """One PDF to make: its file name under the track's handouts folder, and its print HTML."""

    name: str  # e.g. "week-01.pdf", "worksheets/breathing-log.pdf"
    kind: HandoutKind
    title: str
    html: str

    @property
    def digest(self) -> str:
        """Everything the PDF depends on: the HTML (CSS inlined), this module's format and WeasyPrint."""
        key = f"{FORMAT_VERSION}\0{_weasyprint_version()}\0{self.html}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- what goes in which PDF ---------------------------------------------------------------


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
        new = tuple(_unique(w for w in candidates if w.id not in seen_worksheets))
        if first_time or new:
            parts.append(HandbookPart(view.weeks[session.week - 1], module, first_time, new))
        seen_modules.add(module.id)
        seen_worksheets.update(w.id for w in new)
    return parts


def handout_documents(view: TrackView, *, large_print: bool = False, weeks: Optional[Collection[int]] = None,
                      track_url: Optional[str] = None) -> list[HandoutDocument]:
    """Every PDF of the track: per week the participant and family packets and the facilitator
    guide; then the handbook and each worksheet alone. With `weeks`, only those weeks' packets
    and the worksheets they use. With `track_url` (the track site's address), handouts and
    worksheets carry a QR code and the short address of their page."""
    printer = _Printer(view, large_print, track_url)
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
        worksheets = _unique(w for week in chosen for s in week.sessions for w in s.worksheets)
    documents += [printer.worksheet(w) for w in worksheets]
    if not large_print:  # on screen, a reader zooms: fillable PDFs have one size
        documents += [printer.worksheet(w, fillable=True) for w in worksheets]
    return documents


class _Printer:
    """Renders the print HTML of one track's documents."""

    def __init__(self, view: TrackView, large_print: bool, track_url: Optional[str] = None):
        self.view = view
        self.large_print = large_print
        self.track_url = track_url
        self.size = LARGE_PRINT if large_print else STANDARD
        self.words = catalogue(view.program.language)
        self.env = _environment(self.words)

    def packet(self, week: WeekView, audience: PacketAudience) -> HandoutDocument:
        for_families = audience == "families"
        track, t = self.view.track.title, self.words
        title = t.text("pdf.title_packet", track=track, n=week.number, title=week.title) + (
            t.text("pdf.title_for_families") if for_families else "")
        return self._document(
            packet_file(week.number, audience), "families" if for_families else "packet", title,
            header=f"{self.view.program.name} · {track} · {t.text('weeks.week_n', n=week.number)}"
                   + (f" · {t.text('pdf.for_families')}" if for_families else ""),
            template="packet.html.j2", week=week, sessions=packet_sessions(self.view, week, audience),
            for_families=for_families, description=t.text("pdf.description_packet", n=week.number))

    def facilitator(self, week: WeekView) -> HandoutDocument:
        track, t = self.view.track.title, self.words
        return self._document(
            facilitator_packet_file(week.number), "facilitator",
            t.text("pdf.title_facilitator", track=track, n=week.number),
            header=f"{t.text('facilitator.title')} · {track} · {t.text('weeks.week_n', n=week.number)}",
            template="facilitator.html.j2", week=week,
            packets=[(a, packet_file(week.number, a)) for a in week_packets(self.view, week)],
            description=t.text("pdf.description_facilitator"))

    def handbook(self) -> HandoutDocument:
        track, t = self.view.track.title, self.words
        return self._document(
            HANDBOOK_FILE, "handbook", t.text("pdf.title_handbook", track=track),
            header=f"{self.view.program.name} · {track} · {t.text('pdf.handbook')}", template="handbook.html.j2",
            parts=handbook_parts(self.view), description=t.text("pdf.description_handbook"))

    def worksheet(self, worksheet: Worksheet, *, fillable: bool = False) -> HandoutDocument:
        """A blank worksheet to print, or with `fillable` one to fill in on screen (PDF form fields)."""
        title = self.words.text("pdf.title_fillable" if fillable else "pdf.title_worksheet",
                                title=_code_title(worksheet.code, worksheet.title))
        return self._document(
            fillable_worksheet_file(worksheet) if fillable else worksheet_file(worksheet),
            "fillable" if fillable else "worksheet", title,
            header=f"{self.view.program.name} · {self.view.track.title}", template="worksheet.html.j2",
            worksheet=worksheet, fillable=fillable, description=worksheet.instructions)

    def _document(self, name: str, kind: HandoutKind, title: str, *, header: str, template: str,
                  description: str, **context: object) -> HandoutDocument:
        html = self.env.get_template(template).render(
            view=self.view, program=self.view.program, track=self.view.track, kind=kind, title=title,
            description=" ".join(description.split()), large_print=self.large_print, size=self.size,
            track_url=self.track_url, layout=self.view.program.handouts.layout if kind in ("packet", "families") else "full",
            css=Markup(_CSS_SLOT),
            **context)
        # The margins are sized from the document's own running titles, so the HTML comes first.
        margins = page_margins(self.view.program, self.size, header=header, running_titles=running_titles(html),
                               large=self.large_print)
        css = self.env.get_template("handouts.css.j2").render(
            size=self.size, paper=self.view.program.paper, header=header, margins=margins, layout=layout_constants(),
            page_of=self.words.text("pdf.page_of", page="{page}", pages="{pages}"))
        html = html.replace(_CSS_SLOT, css, 1)
        if self.large_print:
            name = f"{LARGE_PRINT_DIR}/{name}"
        return HandoutDocument(name, kind, title, html)


# --- templates -----------------------------------------------------------------------------


def _environment(words: Catalogue) -> jinja2.Environment:
    """The print templates' environment; `t` is the catalogue of the documents' language."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "handouts"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=_markdown_html, long_date=partial(long_date, words=words), css_string=css_string,
                       squash=_squash, reference=reference_plain, css_counters=css_counters,
                       weekday=lambda day: day_name(WEEKDAYS[day.weekday()], words))
    env.globals.update(code_title=_code_title, modules_for=_modules_for, t=words,
                       numbers_to_print=partial(numbers_to_print, words=words),
                       question_name=question_name, field_name=field_name, page_link=page_link,
                       module_page=module_page, worksheet_page=worksheet_page)
    return env


def _markdown_html(text: str) -> Markup:
    # markdown_text escapes anything that could open an HTML tag; the allowlist then keeps only
    # safe elements and link targets of what Markdown made (reference links, entities, images).
    return Markup(clean_text_html(markdown.markdown(markdown_text(text), extensions=["sane_lists"])))


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def _code_title(code: Optional[str], title: str) -> str:
    return f"{code} · {title}" if code else title


def _modules_for(view: TrackView, worksheet: Worksheet, session: Optional[SessionView] = None) -> list[Module]:
    """The handouts a worksheet goes with: the session it is printed for, and the modules that list it."""
    return _unique(([session.module] if session else []) + view.modules_using(worksheet.id))


def _unique(items: Iterable[_Item]) -> list[_Item]:
    """Items in order, each id once (the models hold lists, so they cannot go in a set)."""
    first: dict[str, _Item] = {}
    for item in items:
        first.setdefault(item.id, item)
    return list(first.values())


@cache
def _weasyprint_version() -> str:
    return version("weasyprint")


# --- PDF files -------------------------------------------------------------------------------


def write_pdf(html: str, target: Path) -> None:
    """Render one document with WeasyPrint; the file appears whole or not at all.

    The print HTML needs no file or URL (CSS is inline, fonts are the system's); the fetcher
    refuses any that curriculum text might still name. Every PDF is tagged PDF/UA-1 (structure
    tree, language, title shown); `<input>` elements, which only fillable worksheets have, become
    form fields. Parts that would leave a nearly empty page are tightened first (page_fit.py).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        fitted_document(html, PDF_OPTIONS, url_fetcher=refusing_fetcher()).write_pdf(partial, **PDF_OPTIONS)
        if has_form_fields(html):
            tidy_radio_groups(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True)
class HandoutBatch:
    """The documents of one track and print variant, and the cache folder they are kept in."""

    documents: tuple[HandoutDocument, ...]
    folder: Path  # build/<track>/handouts
    large_print: bool = False
    complete: bool = True  # the whole set: PDFs of this variant that it no longer has are removed


@dataclass(frozen=True)
class RenderReport:
    rendered: tuple[Path, ...]
    reused: tuple[Path, ...]


def cache_folder(project_dir: Path) -> Path:
    """Kept between builds, beside the track's MkDocs project (which is rewritten every build)."""
    return project_dir / "handouts"


def handout_batch(view: TrackView, project_dir: Path, *, large_print: bool = False,
                  weeks: Optional[Collection[int]] = None, track_url: Optional[str] = None) -> HandoutBatch:
    documents = handout_documents(view, large_print=large_print, weeks=weeks, track_url=track_url)
    return HandoutBatch(tuple(documents), cache_folder(project_dir), large_print, complete=weeks is None)


def refresh_handouts(batches: Sequence[HandoutBatch], workers: Optional[int] = None) -> RenderReport:
    """Bring every batch's cache folder up to date; render what changed, in parallel."""
    caches = {batch.folder: PdfCache(batch.folder) for batch in batches}
    pending: list[tuple[HandoutBatch, HandoutDocument]] = []
    reused: list[Path] = []
    for batch in batches:
        cache = caches[batch.folder]
        for document in batch.documents:
            if cache.reusable(document.name, document.digest):
                reused.append(batch.folder / document.name)
            else:
                pending.append((batch, document))
    pending.sort(key=lambda job: len(job[1].html), reverse=True)  # longest first, for even load
    rendered: list[Path] = []
    try:
        for batch, document in _render_all(pending, workers):
            caches[batch.folder].record(document.name, document.digest)
            rendered.append(batch.folder / document.name)
    finally:
        for batch in batches:
            if batch.complete:
                _prune(batch, caches[batch.folder])
            caches[batch.folder].save()
    return RenderReport(tuple(rendered), tuple(reused))


def _render_all(jobs: list[tuple[HandoutBatch, HandoutDocument]],
                workers: Optional[int]) -> Iterator[tuple[HandoutBatch, HandoutDocument]]:
    """Render each job's PDF, yielding jobs as they finish."""
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    seconds = time_limit()
    if workers <= 1:
        for batch, document in jobs:
            render_in_time(write_pdf, document.html, batch.folder / document.name, seconds)
            yield batch, document
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
        futures = {pool.submit(render_in_time, write_pdf, document.html, batch.folder / document.name, seconds):
                   (batch, document) for batch, document in jobs}
        try:
            for future in as_completed(futures):
                future.result()
                yield futures[future]
        finally:
            pool.shutdown(cancel_futures=True)  # after a failure, do not wait for the rest


def _prune(batch: HandoutBatch, cache: PdfCache) -> None:
    """Remove PDFs this batch made before but no longer makes (a week or worksheet taken out)."""
    wanted = {d.name for d in batch.documents}
    cache.remove(n for n in cache.names() if n not in wanted and _is_large_print(n) == batch.large_print)


def _is_large_print(name: str) -> bool:
    return name.startswith(f"{LARGE_PRINT_DIR}/")


def copy_handouts(documents: Sequence[HandoutDocument], cache: Path, target: Path, *,
                  placeholders: bool = False) -> list[Path]:
    """Put the documents' cached PDFs under `target`, each replaced in one step (a reader of
    `target` sees the old file or the new one, never half of one). With `placeholders`, a PDF
    not rendered yet becomes an empty file, so links to it still resolve (the live preview
    renders PDFs after the pages). Returns the files written."""
    written = []
    for document in documents:
        source, destination = cache / document.name, target / document.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        partial.unlink(missing_ok=True)
        if placeholders and not source.is_file():
            partial.touch()
        else:
            try:
                os.link(checked_source(source), partial)  # a hard link costs nothing; the cache replaces files, never edits them
            except OSError:
                shutil.copyfile(source, partial)
        os.replace(partial, destination)
        written.append(destination)
    return written
