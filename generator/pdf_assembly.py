"""One PDF from the PDFs of its pieces, with pikepdf: pages, tags, bookmarks, links, forms, numbers.

What a whole-document render gave, and how assembly keeps it:
- pages: each piece's pages in order (fonts and images stay each piece's own subsets);
- tags (PDF/UA): each piece's structure tree goes under one `Document` element, in piece order;
  the parent tree's keys are renumbered so each page's and each link's `StructParent(s)` still
  points at its own elements (marked content keeps its MCIDs: they are per page);
- bookmarks: each piece's outline entries, pointing at the same places in the new pages;
- links: each piece's named destinations go in one name tree, so the handbook's contents,
  rendered apart from the handouts it links to, links to them;
- form fields: each piece's fields, renamed with a suffix if a name is taken (a form field's
  name is its identity: two fields with one name would share one value);
- metadata: title, language, author, subject and keywords in the document info and XMP, the
  PDF/UA identification and `/DisplayDocTitle` kept from the first piece;
- "Page x of y": pieces are rendered without it; page i of a stamp PDF of as many pages
  (pieces.py) is laid over page i, inside an `/Artifact` marked-content sequence, so readers and
  screen readers treat it as pagination, as they do the running header and footer.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf


@dataclass(frozen=True)
class PdfMeta:
    """What the assembled PDF says about itself."""

    title: str
    language: str = "en"
    author: str = ""
    subject: str = ""
    keywords: str = ""


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def assemble(pieces: Sequence[Path], stamp: Optional[Path], target: Path, meta: PdfMeta) -> None:
    """Write `target` from `pieces` in order, numbered from `stamp`; the file appears whole or not at all."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    sources = [pikepdf.open(path) for path in pieces]
    try:
        with Pdf.new() as out:
            offsets = []
            for source in sources:
                offsets.append(len(out.pages))
                with warnings.catch_warnings():  # forms, destinations and bookmarks are merged below
                    warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
                    out.pages.extend(source.pages)
            _merge_structure(out, sources, offsets)
            _merge_destinations(out, sources)
            _merge_forms(out, sources)
            _write_outline(out, sources, offsets)
            _write_catalog(out, sources[0], meta)
            if stamp is not None:
                _stamp_pages(out, stamp)
            target.parent.mkdir(parents=True, exist_ok=True)
            out.save(partial)
        os.replace(partial, target)
    finally:
        for source in sources:
            source.close()
        partial.unlink(missing_ok=True)


# --- tags -------------------------------------------------------------------------------------------


def _merge_structure(out: Pdf, sources: Sequence[Pdf], offsets: Sequence[int]) -> None:
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = root
    numbers = Array()
    next_key = 0
    for source, offset in zip(sources, offsets):
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        copied = _copy(out, tree)  # the pages it names are the ones just appended
        for element in _as_list(copied.get("/K")):
            kids = _as_list(element.get("/K")) if element.get("/S") == Name.Document else [element]
            for kid in kids:
                if isinstance(kid, Dictionary):
                    kid.P = document
                document.K.append(kid)
        entries = list(_number_tree(copied.get("/ParentTree")))
        for key, value in entries:
            numbers.extend([key + next_key, value])
        for page in source.pages:
            new_page = out.pages[offset + page.index].obj
            if "/StructParents" in new_page:
                new_page.StructParents = int(new_page.StructParents) + next_key
            for annotation in new_page.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + next_key
        next_key += max((key for key, _ in entries), default=-1) + 1
    root.ParentTree = out.make_indirect(Dictionary(Nums=numbers))
    root.ParentTreeNextKey = next_key
    out.Root.StructTreeRoot = root


def _number_tree(node: Optional[Dictionary]) -> Iterator[tuple[int, object]]:
    if node is None:
        return
    numbers = node.get("/Nums", [])
    for i in range(0, len(numbers) - 1, 2):
        yield int(numbers[i]), numbers[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


# --- links, forms, bookmarks, catalog ---------------------------------------------------------------


def _merge_destinations(out: Pdf, sources: Sequence[Pdf]) -> None:
    """One name tree of every piece's named destinations. A name that several pieces hold goes
    to the last of them: the handbook's contents holds stand-ins for the parts that follow it."""
    merged: dict[str, object] = {}
    for source in sources:
        names = source.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        for name, destination in _name_tree(dests):
            merged[name] = destination
    if merged:
        flat = Array()
        for name in sorted(merged):
            flat.extend([pikepdf.String(name), _copy(out, merged[name])])
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=flat)))


def _name_tree(node: Optional[Dictionary]) -> Iterator[tuple[str, object]]:
    if node is None:
        return
    names = node.get("/Names", [])
    for i in range(0, len(names) - 1, 2):
        yield str(names[i]), names[i + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid)


def _merge_forms(out: Pdf, sources: Sequence[Pdf]) -> None:
    fields = Array()
    taken: set[str] = set()
    form: Optional[Dictionary] = None
    for source in sources:
        source_form = source.Root.get("/AcroForm")
        if source_form is None or not source_form.get("/Fields"):
            continue
        if form is None:
            form = _copy(out, source_form)
        for field in source_form.Fields:
            copied = _copy(out, field)
            name = str(copied.get("/T", ""))
            if name in taken:
                copied.T = pikepdf.String(_free_name(name, taken))
            taken.add(str(copied.get("/T", "")))
            fields.append(copied)
    if form is not None:
        form.Fields = fields
        out.Root.AcroForm = form


def _free_name(name: str, taken: set[str]) -> str:
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def _write_outline(out: Pdf, sources: Sequence[Pdf], offsets: Sequence[int]) -> None:
    with out.open_outline() as outline:
        for source, offset in zip(sources, offsets):
            with source.open_outline() as piece_outline:
                page_numbers = {page.objgen: page.index for page in source.pages}
                outline.root.extend(_moved(item, page_numbers, offset, out) for item in piece_outline.root)


def _moved(item: OutlineItem, page_numbers: dict, offset: int, out: Pdf) -> OutlineItem:
    destination = item.destination
    if isinstance(destination, Array) and len(destination) and destination[0].objgen in page_numbers:
        target = Array([out.pages[offset + page_numbers[destination[0].objgen]].obj, *list(destination)[1:]])
    else:
        target = Array([out.pages[offset].obj, Name.Fit])
    moved = OutlineItem(item.title, destination=target)
    moved.children.extend(_moved(child, page_numbers, offset, out) for child in item.children)
    return moved


def _copy(out: Pdf, value: object) -> object:
    """`value` from a piece, in `out`: objects already copied (pages, annotations) are the same copies."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _copy(out, item) for key, item in value.items()})
    return value


def _write_catalog(out: Pdf, first: Pdf, meta: PdfMeta) -> None:
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.Lang = pikepdf.String(meta.language)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/Metadata" in first.Root:
        out.Root.Metadata = _copy(out, first.Root.Metadata)
    out.docinfo = out.make_indirect(Dictionary())
    with out.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:language"] = [meta.language]
        if meta.author:
            xmp["dc:creator"] = [meta.author]
        if meta.subject:
            xmp["dc:description"] = meta.subject
        if meta.keywords:
            xmp["pdf:Keywords"] = meta.keywords
        xmp["xmp:CreatorTool"] = "Psychoed"
    out.docinfo.Title = meta.title
    if meta.author:
        out.docinfo.Author = meta.author
    if meta.subject:
        out.docinfo.Subject = meta.subject
    if meta.keywords:
        out.docinfo.Keywords = meta.keywords
    out.docinfo.Creator = "Psychoed"


# --- page numbers --------------------------------------------------------------------------------


def _stamp_pages(out: Pdf, stamp: Path) -> None:
    with pikepdf.open(stamp) as numbers:
        if len(numbers.pages) != len(out.pages):
            raise ValueError(f"{stamp} has {len(numbers.pages)} pages for a document of {len(out.pages)}")
        for page, number in zip(out.pages, numbers.pages):
            form = _copy(out, number.as_form_xobject())
            name = page.add_resource(form, Name.XObject, prefix="PageNumber")
            # The piece's own content leaves its coordinate system changed: it goes inside q/Q.
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\n/Artifact BMC\nq\n" + name.unparse() + b" Do\nQ\nEMC\n")
