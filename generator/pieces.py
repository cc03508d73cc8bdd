"""Handouts built from pieces: each piece rendered once, each document assembled from them.

A document (`HandoutDocument`) lists its pieces (`Piece`: a cover, the handbook's contents, a
handout, a worksheet, a facilitator session), each a small HTML document of its own. Pieces
are cached by content hash in `build/<track>/handouts-pieces/`, so a piece that several documents hold is
rendered once, and a module edit renders only the pieces that print that module. A document
is assembled (pdf_assembly.py) only when the list of its pieces' hashes changed.

Pieces carry no page numbers: "Page x of y" is known only for the whole document. After the
pieces are rendered, the handbook's contents is rendered with the page numbers the other
pieces' page counts give; then each document's page numbers are stamped from a stamp PDF of
as many pages (rendered by WeasyPrint with the same page box, so the numbers sit where a
whole-document render put them, in the same font).

Every file in the cache appears whole or not at all: rendered to `*.partial`, then renamed;
the manifests (pdf_cache.py) are written last.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Collection, Iterator, Literal, Optional, Sequence

import jinja2

from .page_fit import fitted_document
from .page_layout import PageMargins, PrintSize, layout_constants
from .pdf_assembly import PdfMeta, assemble, page_count
from .pdf_cache import PdfCache
from .locales import css_counters
from .pdf_worker import PdfTimeLimit, Workers, render_in_time, time_limit
from .print_css import lift_shared_css
from .print_forms import has_form_fields, tidy_radio_groups
from .print_safety import refusing_fetcher
from .progress import SILENT, Progress, counted
from .render import LARGE_PRINT_DIR, TEMPLATES

HandoutKind = Literal["packet", "families", "facilitator", "handbook", "worksheet", "fillable"]
PieceKind = Literal["packet", "packet-cover", "handbook-cover", "contents", "facilitator-cover",
                    "facilitator-session", "handout", "worksheet", "stamp"]

# Bump when a change to this module or pdf_assembly.py alters the PDFs without altering their HTML.
FORMAT_VERSION = "3"
RECIPES = "recipes.json"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
_SLOT = re.compile(r"@@page:([a-z0-9-]+)@@")
_STANDARD, _LARGE = "standard", "large"


def pieces_folder(documents_folder: Path) -> Path:
    """Beside the documents' cache folder (`build/<track>/handouts-pieces/`), so that folder keeps
    only the documents, as the site publishes them."""
    return documents_folder.with_name(f"{documents_folder.name}-pieces")


def page_slot(anchor: str) -> str:
    """Where the contents shows the page a part starts on, filled in once the pieces are measured."""
    return f"@@page:{anchor}@@"


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    anchor: str  # the id of the part it prints: "cover", "contents", "module-x", "worksheet-y", "session-2"
    html: str

    @property
    def digest(self) -> str:
        return _digest(self.html)

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.anchor}"

    @property
    def has_slots(self) -> bool:
        return bool(_SLOT.search(self.html))


@dataclass(frozen=True)
class Stamp:
    """The page box of a print variant: what the page-number stamp is laid out in."""

    paper: str
    margins: PageMargins  # only the bottom and side margins matter: they do not depend on the header
    size: PrintSize
    language: str
    page_of: str = "Page {page} of {pages}"  # the catalogue's `pdf.page_of` in the document's language

    def html(self, pages: int) -> str:
        return _stamp_template().render(paper=self.paper, margins=self.margins, size=self.size, language=self.language,
                                        layout=layout_constants(), pages=pages, page_of=self.page_of)


@dataclass(frozen=True)
class HandoutDocument:
    """One PDF to make: its file name under the track's handouts folder, its print HTML whole,
    and the pieces it is assembled from."""

    name: str  # e.g. "week-01.pdf", "worksheets/breathing-log.pdf"
    kind: HandoutKind
    title: str
    pieces: tuple[Piece, ...] = ()
    meta: Optional[PdfMeta] = None
    stamp: Optional[Stamp] = None
    # The whole document in one HTML file, for `write_pdf`: made only when asked for, since a build
    # renders pieces. A document known by its name alone (handout_names.py) has none: "".
    whole_html: Callable[[], str] = field(default=lambda: "", repr=False, compare=False)

    @property
    def html(self) -> str:
        return self.whole_html()

    @property
    def digest(self) -> str:
        """Everything the assembled PDF depends on: its pieces in order, metadata and page box."""
        if not self.pieces:
            return _digest(self.html)
        return _digest("\0".join([*(p.digest for p in self.pieces), repr(self.meta), repr(self.stamp)]))

    @property
    def large_print(self) -> bool:
        return self.name.startswith(f"{LARGE_PRINT_DIR}/")


@dataclass(frozen=True)
class HandoutBatch:
    """The documents of one track and print variant, and the cache folder they are kept in."""

    documents: tuple[HandoutDocument, ...]
    folder: Path  # build/<track>/handouts
    large_print: bool = False
    complete: bool = True  # the whole set: PDFs of this variant that it no longer has are removed


@dataclass(frozen=True)
class RenderReport:
    rendered: tuple[Path, ...]  # documents made now (assembled from pieces)
    reused: tuple[Path, ...]  # documents kept as they were
    pieces_rendered: tuple[str, ...] = ()  # labels ("handout:module-x") of the pieces rendered now
    pieces_reused: int = 0  # uses of a piece that needed no rendering now (cached, or rendered for another document)


def _digest(html: str) -> str:
    """A PDF depends on its HTML (CSS inlined), this module's format and WeasyPrint's version."""
    return hashlib.sha256(f"{FORMAT_VERSION}\0{_weasyprint_version()}\0{html}".encode("utf-8")).hexdigest()


@cache
def _weasyprint_version() -> str:
    return version("weasyprint")


@cache
def _stamp_template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "handouts"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["css_counters"] = css_counters
    return env.get_template("stamp.html.j2")


# --- rendering one PDF --------------------------------------------------------------------------


def write_pdf(html: str, target: Path) -> None:
    """Render one document or piece with WeasyPrint; the file appears whole or not at all.

    The print HTML needs no file or URL (CSS is inline, fonts are the system's); the fetcher
    refuses any that curriculum text might still name. Every PDF is tagged PDF/UA-1 (structure
    tree, language, title shown); `<input>` elements, which only fillable worksheets have, become
    form fields. Parts that would leave a nearly empty page are tightened first (page_fit.py).
    """
    own_html, stylesheets = lift_shared_css(html)
    with _partial(target) as partial:
        document = fitted_document(own_html, {**PDF_OPTIONS, "stylesheets": stylesheets}, url_fetcher=refusing_fetcher())
        document.write_pdf(partial, **PDF_OPTIONS)
        if has_form_fields(html):
            tidy_radio_groups(partial)


def write_stamp(html: str, target: Path) -> None:
    """Render a page-number stamp: untagged (it is laid over tagged pages as an artifact)."""
    from weasyprint import HTML  # slow to import; only PDF work needs it

    with _partial(target) as partial:
        HTML(string=html, url_fetcher=refusing_fetcher()).write_pdf(partial)


class _partial:
    """A `*.partial` file beside `target`, renamed onto it when the block ends without error."""

    def __init__(self, target: Path):
        self.target = target
        self.path = target.with_name(f".{target.name}.{os.getpid()}.partial")

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        return self.path

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                os.replace(self.path, self.target)
        finally:
            self.path.unlink(missing_ok=True)


# --- bringing a set of batches up to date -------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    html: str
    target: Path
    render: Callable[[str, Path], None]
    document: Path  # the first document that holds the piece: what an error names


class _PieceStore:
    """The pieces folder of one cache folder, by content hash, one subfolder per print variant.

    `recipes.json` lists the pieces each document was assembled from (with its contents and
    page-number stamp, which no document's HTML names), so pruning keeps exactly those."""

    def __init__(self, folder: Path):
        self.cache = PdfCache(pieces_folder(folder))
        self.recipes = _read_recipes(pieces_folder(folder) / RECIPES)
        self.wanted: set[str] = set()

    @staticmethod
    def name(digest: str, large_print: bool) -> str:
        return f"{_LARGE if large_print else _STANDARD}/{digest}.pdf"

    def path(self, digest: str, large_print: bool) -> Path:
        return self.cache.folder / self.name(digest, large_print)

    def has(self, digest: str, large_print: bool) -> bool:
        self.wanted.add(self.name(digest, large_print))
        return self.cache.reusable(self.name(digest, large_print), digest)

    def record(self, digest: str, large_print: bool) -> None:
        self.cache.record(self.name(digest, large_print), digest)

    def prune(self, documents: Collection[str], variants: set[bool]) -> None:
        """Forget pieces of these variants that none of `documents` holds, and recipes of others."""
        self.recipes = {name: recipe for name, recipe in self.recipes.items() if name in documents}
        self.wanted.update(piece for recipe in self.recipes.values() for piece in recipe)
        prefixes = tuple(f"{_LARGE if large else _STANDARD}/" for large in variants)
        self.cache.remove(n for n in self.cache.names() if n.startswith(prefixes) and n not in self.wanted)

    def save(self) -> None:
        self.cache.save()
        partial = self.cache.folder / f".{RECIPES}.partial"
        partial.write_text(json.dumps(self.recipes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(partial, self.cache.folder / RECIPES)


def _read_recipes(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(name): [str(piece) for piece in recipe] for name, recipe in data.items() if isinstance(recipe, list)}


class _Run:
    """One `refresh_handouts`: which documents to assemble, and the pieces and stamps they need."""

    def __init__(self, batches: Sequence[HandoutBatch], workers: Optional[int]):
        self.batches = batches
        self.workers = Workers(workers)
        self.documents = {batch.folder: PdfCache(batch.folder) for batch in batches}
        self.pieces = {batch.folder: _PieceStore(batch.folder) for batch in batches}
        self.rendered: list[str] = []
        self.reused = 0
        self.page_counts: dict[Path, int] = {}

    def pending(self) -> tuple[list[tuple[HandoutBatch, HandoutDocument]], list[Path]]:
        todo, kept = [], []
        for batch in self.batches:
            for document in batch.documents:
                if self.documents[batch.folder].reusable(document.name, document.digest):
                    kept.append(batch.folder / document.name)
                else:
                    todo.append((batch, document))
        return todo, kept

    def render_pieces(self, uses: list[tuple[tuple[Path, str, bool], tuple[Piece, _Job]]],
                      progress: Progress = SILENT) -> None:
        """Render the pieces not in the cache yet: each once, however many documents hold it."""
        jobs = dict(uses)
        missing = {key: value for key, value in jobs.items() if not self.pieces[key[0]].has(key[1], key[2])}
        self.reused += len(uses) - len(missing)
        # A piece that is the same in several folders (a page-number stamp of one length on every
        # track of a program, say) renders once and is copied to the others.
        first: dict[tuple[str, bool], tuple[Path, str, bool]] = {}
        for key in missing:
            first.setdefault(key[1:], key)
        unique = {key: missing[key] for key in first.values()}
        try:
            rendering = _render_all([job for _, job in unique.values()], self.workers, list(unique))
            for key in counted(rendering, len(unique), "PDF pieces", progress):
                folder, digest, large = key
                self.pieces[folder].record(digest, large)
                self.rendered.append(unique[key][0].label)
        except PdfTimeLimit as stopped:  # name the document an author knows, not the piece's hash
            message = str(stopped)
            for _, job in unique.values():
                message = message.replace(str(job.target), str(job.document))
            raise PdfTimeLimit(message) from None
        for key, (_, job) in missing.items():
            rendered = first[key[1:]]
            if key != rendered:
                with _partial(job.target) as partial:
                    shutil.copyfile(missing[rendered][1].target, partial)
                self.pieces[key[0]].record(key[1], key[2])
                self.reused += 1

    def piece_job(self, folder: Path, piece: Piece, document: HandoutDocument) -> tuple[tuple[Path, str, bool], tuple[Piece, _Job]]:
        render = write_stamp if piece.kind == "stamp" else write_pdf
        path = self.pieces[folder].path(piece.digest, document.large_print)
        return (folder, piece.digest, document.large_print), (piece, _Job(piece.html, path, render, folder / document.name))

    def piece_path(self, folder: Path, piece: Piece, large: bool) -> Path:
        return self.pieces[folder].path(piece.digest, large)

    def page_count(self, folder: Path, piece: Piece, large: bool) -> int:
        """The pages of a rendered piece (read once a run: a piece's file never changes under its name)."""
        path = self.piece_path(folder, piece, large)
        if path not in self.page_counts:
            self.page_counts[path] = page_count(path)
        return self.page_counts[path]


def refresh_documents(batches: Sequence[HandoutBatch], workers: Optional[int] = None,
                      progress: Progress = SILENT) -> RenderReport:
    """Bring every batch's cache folder up to date: render the pieces that changed, in parallel,
    then assemble the documents whose pieces changed, counting both on `progress`."""
    run = _Run(batches, workers)
    todo, kept = run.pending()
    assembled: list[Path] = []
    try:
        # 1. the pieces, except the contents (which needs the others' page counts)
        run.render_pieces([run.piece_job(batch.folder, piece, document)
                           for batch, document in todo for piece in document.pieces if not piece.has_slots], progress)
        # 2. the contents, with page numbers; 3. the page-number stamps
        resolved = _resolve_contents(run, todo)
        stamps = {id(document): _stamp_piece(run, batch, document, resolved[id(document)]) for batch, document in todo}
        run.render_pieces([run.piece_job(batch.folder, stamps[id(document)], document)
                           for batch, document in todo])
        # 4. assembly, in parallel too (a long handbook takes a few seconds)
        calls = []
        for batch, document in sorted(todo, key=lambda job: -len(job[1].pieces)):
            parts = [run.piece_path(batch.folder, p, document.large_print) for p in resolved[id(document)]]
            stamp = run.piece_path(batch.folder, stamps[id(document)], document.large_print)
            calls.append(((batch, document), assemble,
                          (parts, stamp, batch.folder / document.name, document.meta or PdfMeta(document.title))))
        for batch, document in counted(run.workers.run(calls), len(calls), "PDFs", progress):
            run.documents[batch.folder].record(document.name, document.digest)
            run.pieces[batch.folder].recipes[document.name] = [
                _PieceStore.name(p.digest, document.large_print) for p in [*resolved[id(document)], stamps[id(document)]]]
            assembled.append(batch.folder / document.name)
    finally:
        run.workers.close()
        for batch in batches:
            if batch.complete:
                _prune(batch, run.documents[batch.folder])
            run.documents[batch.folder].save()
        for folder, store in run.pieces.items():
            complete = [b for b in batches if b.folder == folder]
            if all(b.complete for b in complete):
                store.prune(run.documents[folder].names(), {b.large_print for b in complete})
            store.save()
    return RenderReport(tuple(assembled), tuple(kept), tuple(run.rendered), run.reused)


@dataclass
class _Contents:
    """A document's contents piece being fitted: where it is, the other pieces' page counts, and
    how many pages it is taken to have."""

    batch: HandoutBatch
    document: HandoutDocument
    index: int
    counts: dict[int, int]
    pages: int = 1

    def filled(self) -> Piece:
        """The contents with each part's first page, given the contents' own length."""
        starts, page = {}, 1
        for i, piece in enumerate(self.document.pieces):
            starts.setdefault(piece.anchor, page)
            page += self.pages if i == self.index else self.counts[i]
        template = self.document.pieces[self.index]
        return Piece(template.kind, template.anchor, _SLOT.sub(lambda m: str(starts.get(m.group(1), "")), template.html))


def _resolve_contents(run: _Run, todo: list[tuple[HandoutBatch, HandoutDocument]]) -> dict[int, list[Piece]]:
    """Each document's pieces (by `id` of the document), with its contents' page slots filled in
    from the other pieces' page counts. A contents' own length is guessed (one page) and
    corrected until it holds; the contents of every document render together, in parallel."""
    resolved = {id(document): list(document.pieces) for _, document in todo}
    fitting = []
    for batch, document in todo:
        slotted = [i for i, p in enumerate(document.pieces) if p.has_slots]
        if slotted:
            counts = {i: run.page_count(batch.folder, p, document.large_print)
                      for i, p in enumerate(document.pieces) if i != slotted[0]}
            fitting.append(_Contents(batch, document, slotted[0], counts))
    for _ in range(3):
        filled = [contents.filled() for contents in fitting]
        run.render_pieces([run.piece_job(c.batch.folder, piece, c.document) for c, piece in zip(fitting, filled)])
        still = []
        for contents, piece in zip(fitting, filled):
            resolved[id(contents.document)][contents.index] = piece
            measured = run.page_count(contents.batch.folder, piece, contents.document.large_print)
            if measured != contents.pages:
                contents.pages = measured
                still.append(contents)
        fitting = still
        if not fitting:
            break
    return resolved


def _stamp_piece(run: _Run, batch: HandoutBatch, document: HandoutDocument, pieces: list[Piece]) -> Piece:
    total = sum(run.page_count(batch.folder, p, document.large_print) for p in pieces)
    assert document.stamp is not None, document.name
    return Piece("stamp", f"{total}-pages", document.stamp.html(total))


def _render_all(jobs: list[_Job], workers: Workers, keys: list) -> Iterator:
    """Render each job's PDF, yielding its key as it finishes (longest HTML first, for even load)."""
    keyed = sorted(zip(keys, jobs), key=lambda pair: len(pair[1].html), reverse=True)
    seconds = time_limit()
    yield from workers.run([(key, render_in_time, (job.render, job.html, job.target, seconds)) for key, job in keyed])


def _prune(batch: HandoutBatch, cache: PdfCache) -> None:
    """Remove PDFs this batch made before but no longer makes (a week or worksheet taken out)."""
    wanted = {d.name for d in batch.documents}
    cache.remove(n for n in cache.names()
                 if n not in wanted and n.startswith(f"{LARGE_PRINT_DIR}/") == batch.large_print)
