"""Handouts built from pieces: one module edit renders only that module's pieces and assembles
only the documents that hold them; assembled PDFs read back right (pypdf, pikepdf).

One real cold render of the small fixture's alpha track, then one real edit, shared by the tests.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdf
import pytest

from conftest import MINI
from generator.handouts import HandoutBatch, HandoutDocument, RenderReport, handout_batch, refresh_handouts
from generator.load import load_curriculum
from generator.pdf_assembly import PdfMeta, assemble
from generator.page_layout import STANDARD, PageMargins
from generator.pieces import Piece, Stamp, page_slot, pieces_folder
from generator.tailor import tailor

EDITED = "Slow breaths calm the body, edited."
FOOTER = "Need help now?"
DISCLAIMER_END = "care from your treatment team."


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Builds:
    folder: Path  # build/alpha/handouts
    cold: RenderReport
    edit: RenderReport
    again: RenderReport
    before: dict[str, HandoutDocument]  # by name, before the edit
    after: dict[str, HandoutDocument]


def batch_of(curriculum: Path, project: Path):
    return handout_batch(tailor(load_curriculum(curriculum), "alpha"), project, track_url="https://example.org/alpha/")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    root = tmp_path_factory.mktemp("assembly")
    curriculum = root / "curriculum"
    shutil.copytree(MINI, curriculum)
    project = root / "build" / "alpha"
    before = batch_of(curriculum, project)
    cold = refresh_handouts([before])
    breathing = curriculum / "modules" / "skills" / "breathing.yml"
    breathing.write_text(breathing.read_text().replace("main_message: Slow breaths calm the body.", f"main_message: {EDITED}"))
    after = batch_of(curriculum, project)
    edit = refresh_handouts([after])
    again = refresh_handouts([batch_of(curriculum, project)])
    return Builds(after.folder, cold, edit, again, {d.name: d for d in before.documents},
                  {d.name: d for d in after.documents})


def names(paths, folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in paths}


def page_texts(path: Path) -> list[str]:
    return [squash(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def outline(path: Path) -> list[tuple[str, int]]:
    """(title, 0-based page) of every bookmark, in order."""
    reader = pypdf.PdfReader(path)

    def flatten(items) -> list[tuple[str, int]]:
        found = []
        for item in items:
            found += flatten(item) if isinstance(item, list) else [(squash(item.title), reader.get_destination_page_number(item))]
        return found

    return flatten(reader.outline)


def test_a_module_edit_renders_only_its_pieces_and_assembles_only_their_documents(builds):
    assert names(builds.cold.rendered, builds.folder) == set(builds.before) and not builds.cold.reused
    assert builds.cold.pieces_rendered and builds.cold.pieces_reused > 0, "pieces shared by documents render once"
    holding = {name for name, path in ((n, builds.folder / n) for n in builds.after)
               if EDITED in " ".join(page_texts(path))}
    # Breathing is taught in weeks 1 and 2: its handout (one piece for week 1's packet and the
    # handbook, whose pages name week 1; one for week 2) and its facilitator session in each week.
    assert holding == {"week-01.pdf", "week-02.pdf", "handbook.pdf", "facilitator-week-01.pdf", "facilitator-week-02.pdf"}
    assert names(builds.edit.rendered, builds.folder) == holding
    assert names(builds.edit.reused, builds.folder) == set(builds.after) - holding
    assert sorted(builds.edit.pieces_rendered) == ["facilitator-session:session-1", "facilitator-session:session-1",
                                                   "handout:module-breathing", "handout:module-breathing"]
    assert builds.again.rendered == () and builds.again.pieces_rendered == (), "nothing changed: nothing made"


@pytest.mark.parametrize("name", ["week-01.pdf", "week-02.pdf", "handbook.pdf", "facilitator-week-01.pdf",
                                  "week-01-families.pdf", "worksheets/log.pdf", "worksheets/fillable/log.pdf"])
def test_every_assembled_page_is_numbered_in_order_with_the_crisis_footer(builds, name):
    texts = page_texts(builds.folder / name)
    assert texts
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(number), str(len(texts)))], (name, number, text[-200:])
        assert FOOTER in text and DISCLAIMER_END in text, (name, number)
        body = text.split(FOOTER)[0]
        assert len(body.split()) > 8, f"{name} page {number} is nearly blank: {body!r}"


def test_pieces_come_in_order_with_one_bookmark_each(builds):
    packet = outline(builds.folder / "week-01.pdf")
    assert [title for title, _ in packet] == ["Breathing", "Practice log"]
    assert [page for _, page in packet] == [1, 2], "after the cover, each piece on its own pages"
    texts = page_texts(builds.folder / "week-01.pdf")
    assert "In this packet" in texts[0] and "Slow breathing for" in texts[1] and "What happened?" in texts[2]

    handbook = builds.folder / "handbook.pdf"
    entries = outline(handbook)
    assert [title for title, _ in entries] == ["Contents", "Breathing", "Practice log"]
    pages = [page for _, page in entries]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_handbook_contents_shows_and_links_the_pages_its_parts_start_on(builds):
    handbook = builds.folder / "handbook.pdf"
    starts = dict(outline(handbook))
    contents = page_texts(handbook)[starts["Contents"]]
    assert "Test Program · Alpha · Handbook" in contents
    for title in ["Breathing", "Practice log"]:
        shown = re.search(re.escape(title) + r"[ .]*?(\d+)(?!\d)", contents.split("Week 1")[1])
        assert shown and int(shown.group(1)) == starts[title] + 1, (title, contents)
    with pikepdf.open(handbook) as pdf:
        page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        tree = pdf.Root.Names.Dests.Names
        targets = {str(tree[i]): page_index[tree[i + 1][0].objgen] for i in range(0, len(tree), 2)}
        links = {str(a.Dest) for a in pdf.pages[starts["Contents"]].obj.Annots if a.Subtype == "/Link"}
    assert links == {"module-breathing", "worksheet-log"}
    assert targets["module-breathing"] == starts["Breathing"] and targets["worksheet-log"] == starts["Practice log"]


def test_assembled_pdfs_keep_title_language_and_tags(builds):
    for name in ["handbook.pdf", "week-01.pdf", "worksheets/fillable/log.pdf"]:
        document = builds.after[name]
        with pikepdf.open(builds.folder / name) as pdf:
            assert str(pdf.docinfo.Title) == document.title and str(pdf.docinfo.Author) == "Test Clinic", name
            assert str(pdf.Root.Lang) == "en" and pdf.Root.MarkInfo.Marked is True, name
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, name
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == document.title, name
            assert b"pdfuaid" in pdf.Root.Metadata.read_bytes(), name
            root = pdf.Root.StructTreeRoot
            assert [str(kid.S) for kid in root.K] == ["/Document"], "one document element holds every piece"
            pages = {page.objgen for page in pdf.pages}
            headings, page_refs = tagged(pdf)
            assert len(headings) == sum(piece_headings(builds, name)), "every piece's headings, none lost"
            assert len(headings) >= len(document.pieces), name
            assert page_refs and set(page_refs) <= pages, "tags point at the document's own pages"
            numbers = root.ParentTree.Nums
            keys = [int(numbers[i]) for i in range(0, len(numbers), 2)]
            assert len(keys) == len(set(keys)) and int(root.ParentTreeNextKey) == max(keys) + 1
            used = [int(p.obj.StructParents) for p in pdf.pages]
            used += [int(a.StructParent) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/StructParent" in a]
            assert len(used) == len(set(used)) and set(used) <= set(keys), name


def piece_headings(builds: Builds, name: str) -> list[int]:
    """How many H1 elements each piece of document `name` has in its own structure tree."""
    recipe = json.loads((pieces_folder(builds.folder) / "recipes.json").read_text())[name]
    counts = []
    for piece in recipe[:-1]:  # the last is the page-number stamp, which has no tags
        with pikepdf.open(pieces_folder(builds.folder) / piece) as pdf:
            counts.append(len(tagged(pdf)[0]))
    return counts


def tagged(pdf: pikepdf.Pdf) -> tuple[list, list]:
    """The H1 elements of a PDF's structure tree, and the pages (objgen) its elements name."""
    headings, page_refs = [], []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/H1":
                headings.append(node)
            if "/Pg" in node:
                page_refs.append(node.Pg.objgen)
            if "/K" in node:
                walk(node.K)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    return headings, page_refs


def test_fillable_worksheet_fields_work_after_assembly_and_stay_unique(builds, tmp_path):
    fillable = builds.folder / "worksheets" / "fillable" / "log.pdf"
    fields = pypdf.PdfReader(fillable).get_fields()
    assert {"name", "date", "q02-what-happened", "q03-how-calm"} <= set(fields)
    assert fields["q03-how-calm"]["/_States_"] == [f"/{n}" for n in range(11)]
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(fillable))
    writer.update_page_form_field_values(writer.pages[0], {"q02-what-happened": "A walk"}, auto_regenerate=False)
    writer.write(tmp_path / "filled.pdf")
    assert pypdf.PdfReader(tmp_path / "filled.pdf").get_fields()["q02-what-happened"]["/V"] == "A walk"

    # The same fillable piece twice in one document: the second copy's fields get their own names.
    piece = pieces_folder(builds.folder) / pypdf_piece(builds, "worksheets/fillable/log.pdf")
    twice = tmp_path / "twice.pdf"
    assemble([piece, piece], None, twice, PdfMeta("Twice"))
    doubled = pypdf.PdfReader(twice).get_fields()
    assert len(doubled) == 2 * len(fields)
    assert {"name", "name-2", "q02-what-happened", "q02-what-happened-2"} <= set(doubled)


def pypdf_piece(builds: Builds, name: str) -> str:
    """The cache name of a one-piece document's piece."""
    document = builds.after[name]
    return f"standard/{document.pieces[0].digest}.pdf"


def test_a_damaged_or_half_written_piece_is_rendered_again(builds, tmp_path):
    folder = tmp_path / "build" / "alpha"
    shutil.copytree(builds.folder.parent, folder)
    pieces = pieces_folder(folder / "handouts")
    handout = next(p for p in builds.after["week-01.pdf"].pieces if p.kind == "handout")
    damaged = pieces / f"standard/{handout.digest}.pdf"
    damaged.write_bytes(damaged.read_bytes()[:200])  # a piece cut short
    (pieces / "standard" / f".{handout.digest}.pdf.4242.partial").write_bytes(b"%PDF-")  # a killed render's leftover
    (folder / "handouts" / "week-01.pdf").unlink()  # a document to assemble again
    curriculum = tmp_path / "curriculum"
    shutil.copytree(MINI, curriculum)
    breathing = curriculum / "modules" / "skills" / "breathing.yml"
    breathing.write_text(breathing.read_text().replace("main_message: Slow breaths calm the body.", f"main_message: {EDITED}"))
    report = refresh_handouts([batch_of(curriculum, folder)])
    assert names(report.rendered, folder / "handouts") == {"week-01.pdf"}
    assert report.pieces_rendered == ("handout:module-breathing",)
    assert not list(pieces.rglob("*.partial"))
    assert EDITED in " ".join(page_texts(folder / "handouts" / "week-01.pdf"))


def test_a_contents_longer_than_a_page_numbers_the_parts_after_it(tmp_path):
    """The contents is measured too: a three-page contents moves every part two pages on."""
    def page(body: str, title: str) -> str:
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
                f"<style>@page {{ size: letter; margin: 1in; }} h1 {{ bookmark-level: 1; }}</style></head>"
                f"<body>{body}</body></html>")

    contents = "".join(f'<p><span id="part-{n}"></span><a href="#part-{n}">Part {n}</a> is on page '
                       f'{page_slot(f"part-{n}")}</p>' for n in (1, 2))
    filler = "".join(f"<p>Line {n} of a long contents.</p>" for n in range(90))  # about two and a half pages
    pieces = (Piece("handbook-cover", "cover", page("<h1>Cover</h1>", "Cover")),
              Piece("contents", "contents", page(f"<h1>Contents</h1>{contents}{filler}", "Contents")),
              Piece("handout", "part-1", page('<h1 id="part-1">Part one</h1><p>One.</p>', "Part one")),
              Piece("handout", "part-2", page('<h1 id="part-2">Part two</h1><p>Two.</p>', "Part two")))
    stamp = Stamp("letter", PageMargins(1.0, 1.0, 1.0), STANDARD, "en")
    document = HandoutDocument("book.pdf", "handbook", "Book", pieces, PdfMeta("Book"), stamp)
    report = refresh_handouts([HandoutBatch((document,), tmp_path / "handouts")])
    assert names(report.rendered, tmp_path / "handouts") == {"book.pdf"}
    book = tmp_path / "handouts" / "book.pdf"
    starts = dict(outline(book))
    texts = page_texts(book)
    assert starts["Contents"] == 1 and starts["Part one"] >= 3, "the contents runs over more than one page"
    assert starts["Part two"] == starts["Part one"] + 1 == len(texts) - 1
    text = " ".join(texts[1:starts["Part one"]])
    assert f"Part 1 is on page {starts['Part one'] + 1}" in text and f"Part 2 is on page {starts['Part two'] + 1}" in text
    assert [re.findall(r"Page (\d+) of (\d+)", t) for t in texts] == [[(str(n), str(len(texts)))] for n in range(1, len(texts) + 1)]


def test_a_stamp_the_same_on_two_tracks_renders_once_and_numbers_both(tmp_path):
    curriculum = load_curriculum(MINI)
    batches = [handout_batch(tailor(curriculum, track_id), tmp_path / "build" / track_id) for track_id in ("alpha", "beta")]
    report = refresh_handouts(batches)
    stamps = [label for label in report.pieces_rendered if label.startswith("stamp:")]
    assert len(stamps) == len(set(stamps)), "each length of stamp rendered once for both tracks"
    lengths = {track: {len(pypdf.PdfReader(b.folder / d.name).pages) for d in b.documents}
               for track, b in zip(("alpha", "beta"), batches)}
    assert lengths["alpha"] & lengths["beta"], "the tracks share a document length, so a stamp"
    for batch in batches:
        for document in batch.documents:
            texts = page_texts(batch.folder / document.name)
            assert [re.findall(r"Page (\d+) of (\d+)", t) for t in texts] == [
                [(str(n), str(len(texts)))] for n in range(1, len(texts) + 1)], (batch.folder, document.name)
