"""Handouts a facilitator can print as they are: margins, tagging, fillable worksheets, the
compact layout with QR codes, large print from program.yml.

Real WeasyPrint PDFs of the small fixture curriculum, read back with pypdf and pikepdf.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdf
import pytest

from concurrent.futures import ProcessPoolExecutor

from conftest import MINI, read_page
from generator.handouts import HandoutDocument, handout_documents, write_pdf
from generator.load import load_curriculum
from generator.tailor import tailor

INCH = 72
CLEAR = 0.5 * INCH
DESCENT = 0.25  # of the font size: how far glyphs reach below their baseline (DejaVu Sans: 0.24)
ASCENT = 0.93  # of the font size: how far they reach above it

LONG_CRISIS = """crisis:
  - name: 988 Suicide & Crisis Lifeline
    contact: Call or text 988, or chat at 988lifeline.org, any time of the day or night
    verified_on: 2026-11-01
    role: line
    how: call or text 988
    phone: "988"
    sms: "988"
  - name: Lakeside County Mobile Crisis Team
    contact: Call 555-201-7000, any time, day or night
    verified_on: 2026-11-01
  - name: Emergency services
    contact: Call 911 if you or someone else is in immediate danger
    verified_on: 2026-11-01
    role: emergency
    how: call 911
    phone: "911"
  - name: Crisis Text Line
    contact: Text HOME to 741741
    verified_on: 2026-11-01
"""


def with_program(mini: Path, extra: str, crisis: str = "") -> Path:
    program = mini / "program.yml"
    text = program.read_text()
    if crisis:
        head, _, rest = text.partition("crisis:\n")
        text = head + crisis + rest[rest.index("families:"):]
    program.write_text(text + extra)
    return mini


def documents(curriculum: Path, track: str = "alpha", **options) -> dict[str, HandoutDocument]:
    view = tailor(load_curriculum(curriculum), track)
    return {d.name: d for d in handout_documents(view, **options)}


def render(document: HandoutDocument, folder: Path) -> Path:
    return render_html(document.html, folder / document.name)


def render_html(html: str, target: Path) -> Path:
    write_pdf(html, target)
    return target


def glyph_boxes(path: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, text, left, bottom, top, size) of each piece of text, in points from the page's bottom-left."""
    boxes = []
    for number, page in enumerate(pypdf.PdfReader(path).pages, start=1):
        def visit(text, cm, tm, font, size):
            if text.strip():
                matrix = pypdf.mult(tm, cm)
                scaled = abs(size * matrix[0])
                boxes.append((number, text, matrix[4], matrix[5] - DESCENT * scaled, matrix[5] + ASCENT * scaled, scaled))
        page.extract_text(visitor_text=visit)
    return boxes


TRACK_URL = "https://example.org/iop/alpha/"


@pytest.fixture(scope="module")
def mini_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The fixture's week 1 packet, and its worksheet blank and fillable, rendered once (with QR codes)."""
    folder = tmp_path_factory.mktemp("mini-pdfs")
    docs = documents(MINI, track_url=TRACK_URL)
    chosen = [docs[name] for name in ("week-01.pdf", "worksheets/log.pdf", "worksheets/fillable/log.pdf")]
    with ProcessPoolExecutor(2) as pool:
        # The HTML goes to the pool, not the document: a document makes its whole HTML on demand.
        paths = list(pool.map(render_html, [d.html for d in chosen], [folder / d.name for d in chosen]))
    return {document.name: path for document, path in zip(chosen, paths)}


# --- margins that hold -------------------------------------------------------------------------


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large-print"])
def test_a_long_crisis_list_keeps_half_an_inch_clear_at_every_edge(mini, tmp_path, large_print):
    curriculum = with_program(mini, "", crisis=LONG_CRISIS)
    name = "large-print/week-01.pdf" if large_print else "week-01.pdf"
    path = render(documents(curriculum, large_print=large_print)[name], tmp_path)
    page = pypdf.PdfReader(path).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    boxes = glyph_boxes(path)
    assert boxes
    lowest = min(boxes, key=lambda box: box[3])
    highest = max(boxes, key=lambda box: box[4])
    assert lowest[3] >= CLEAR, f"text ends {lowest[3] / INCH:.2f} in from the bottom: {lowest[1]!r}"
    assert height - highest[4] >= CLEAR, f"text starts {(height - highest[4]) / INCH:.2f} in from the top: {highest[1]!r}"
    assert min(box[2] for box in boxes) >= CLEAR
    first_page = " ".join(pypdf.PdfReader(path).pages[0].extract_text().split())
    assert "Test Clinic" in first_page, "the cover, down to the organization at its end, fits page 1"
    # The whole footer is there on every page: the last crisis line and the disclaimer's last words.
    for text in [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]:
        assert "Lakeside County Mobile Crisis Team: Call 555-201-7000, any time, day or night" in text
        assert "care from your treatment team." in text


def test_a_long_timing_table_runs_on_with_its_header_and_prints_its_total_once(mini, tmp_path):
    """A session's timing too long for what is left of its page (large print) is not moved whole
    to the next page, leaving a gap or its heading alone: it runs on row by row, its header row
    repeated, and the total is its last row, once."""
    module = mini / "modules" / "skills" / "breathing.yml"
    steps = "".join(f"    - {{minutes: 2, activity: Timing step {n} of the session said in a full sentence}}\n"
                    for n in range(1, 26))
    text = module.read_text()
    start, end = text.index("  timing:\n") + len("  timing:\n"), text.index("  prompts:")
    module.write_text(text[:start] + steps + text[end:])
    path = render(documents(mini, large_print=True)["large-print/facilitator-week-01.pdf"], tmp_path)
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]
    holding = [n for n, page in enumerate(pages) if "Timing step" in page]
    assert len(holding) >= 2, "the table is long enough to run on"
    heading = next(n for n, page in enumerate(pages) if "Timing Clock" in page)
    assert heading == holding[0] and "Timing step 1 of" in pages[heading], "the heading stays with the first rows"
    assert all("Clock Minutes Activity" in pages[n] for n in holding), "the header row repeats"
    assert sum(page.count("50 Total") for page in pages) == 1 and "50 Total" in pages[holding[-1]]
    assert pages[holding[-1]].index("Timing step 25 of") < pages[holding[-1]].index("50 Total")


def test_a_footer_that_cannot_fit_is_an_error_at_program_yml(psychoed, mini, tmp_path):
    many = "crisis:\n" + "".join(
        f"  - name: County crisis line number {n}\n    contact: Call 555-201-70{n:02d} any time, day or night, "
        f"and ask for the on-call counselor of the mobile team\n    verified_on: 2026-11-01\n"
        + {0: "    role: line\n    how: call the county crisis line\n", 1: "    role: emergency\n    how: call 911\n"}.get(n, "")
        for n in range(14))
    curriculum = with_program(mini, "", crisis=many)
    check = psychoed("check", "--curriculum", curriculum)
    assert check.code == 1
    assert "curriculum/program.yml:5:1: error: the crisis lines and disclaimer need" in check.out + check.err
    build = psychoed("handouts", "--curriculum", curriculum, "--out", tmp_path / "site", "--build-dir", tmp_path / "b")
    assert build.code == 1 and "program.yml:5:1: error" in build.out and "Traceback" not in build.out + build.err
    assert not (tmp_path / "site").exists()


# --- tagged PDF/UA-1 ---------------------------------------------------------------------------


def structure_types(pdf: pikepdf.Pdf) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node.S))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_pdfs_are_tagged_pdf_ua_with_title_language_headings_lists_and_table_headers(mini_pdfs):
    docs = documents(MINI, track_url=TRACK_URL)
    for name in ["week-01.pdf", "worksheets/log.pdf"]:
        with pikepdf.open(mini_pdfs[name]) as pdf:
            assert pdf.Root.MarkInfo.Marked is True, name
            assert str(pdf.Root.Lang) == "en", name
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, name
            assert str(pdf.docinfo.Title) == docs[name].title, name
            assert "pdfuaid" in pdf.open_metadata().__str__() or "pdfuaid:part" in str(pdf.Root.Metadata.read_bytes()), name
            types = structure_types(pdf)
            assert {"/Document", "/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD"} <= set(types), (name, set(types))
            assert types.index("/H1") < types.index("/Table"), "reading order: the title before the blanks"


def test_qr_codes_have_a_text_alternative(mini_pdfs):
    with pikepdf.open(mini_pdfs["week-01.pdf"]) as pdf:
        figures: list[str] = []

        def walk(node) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node.K)
            elif isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert figures and all(alt.startswith("QR code that opens example.org/iop/alpha/") for alt in figures), figures


# --- fillable worksheets -------------------------------------------------------------------------


def test_fillable_worksheet_has_one_named_field_per_blank_and_can_be_filled(mini_pdfs, tmp_path):
    path = mini_pdfs["worksheets/fillable/log.pdf"]
    reader = pypdf.PdfReader(path)
    fields = reader.get_fields()
    # log.yml: date, text, scale 0-10, checklist of 2, table 3 rows x 2 columns, list of 2, heading, yes/no.
    expected = {"name", "date", "q01-date", "q02-what-happened", "q03-how-calm", "q04-what-helped-breathing",
                "q04-what-helped-a-walk", "q08-did-you-practise-on-most-days", "q06-people-i-can-call-1",
                "q06-people-i-can-call-2"}
    expected |= {f"q05-this-week-row-{r}-{c}" for r in (1, 2, 3) for c in ("day", "minutes")}
    assert set(fields) == expected
    assert fields["q02-what-happened"]["/FT"] == "/Tx"
    assert fields["q04-what-helped-a-walk"]["/FT"] == "/Btn"  # a checkbox
    assert fields["q03-how-calm"]["/_States_"] == [f"/{n}" for n in range(11)], "the scale is one radio group"
    assert sorted(fields["q08-did-you-practise-on-most-days"]["/_States_"]) == ["/0", "/1"]

    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"q02-what-happened": "A calm walk after lunch"},
                                         auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    assert pypdf.PdfReader(filled).get_fields()["q02-what-happened"]["/V"] == "A calm walk after lunch"


def test_blank_worksheets_and_packets_have_no_form_fields(mini_pdfs):
    for name in ["worksheets/log.pdf", "week-01.pdf"]:
        assert not pypdf.PdfReader(mini_pdfs[name]).get_fields(), name


# --- the compact packet --------------------------------------------------------------------------


def test_compact_packet_keeps_what_is_needed_and_leaves_the_prose_to_the_site(mini_pdfs, mini, tmp_path):
    full = mini_pdfs["week-01.pdf"]
    curriculum = with_program(mini, "handouts:\n  layout: compact\n")
    compact_doc = documents(curriculum, track_url=TRACK_URL)["week-01.pdf"]
    compact = render(compact_doc, tmp_path / "compact")
    view = tailor(load_curriculum(curriculum), "alpha")
    module = view.weeks[0].sessions[0].module
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(compact).pages)
    for kept in [module.main_message, *module.key_points, *module.discussion, *module.practice,
                 *[step for s in module.sections for step in s.steps]]:
        assert " ".join(kept.split()) in text, kept
    for dropped in [s.body for s in module.sections if s.body and not s.steps]:
        assert " ".join(dropped.split())[:40] not in text, "section text stays on the site"
    assert "example.org/iop/alpha/modules/skills/" in text, "the short address of the full handout"
    assert len(pypdf.PdfReader(compact).pages) <= len(pypdf.PdfReader(full).pages)


# --- large print from program.yml ------------------------------------------------------------------


def test_large_print_setting_builds_and_links_both_sets(psychoed, mini, warm_build_dir, tmp_path):
    """`make site` runs `psychoed build`: program.yml alone asks for large print, no flag."""
    curriculum = with_program(mini, "handouts:\n  large_print: true\n")
    out = tmp_path / "site"
    run = psychoed("build", "--curriculum", curriculum, "--out", out, "--build-dir", tmp_path / "build",
                   "--track", "beta")
    assert run.code == 0, run.err
    handouts = out / "beta" / "handouts"
    assert {"week-01.pdf", "large-print/week-01.pdf", "large-print/handbook.pdf", "large-print/worksheets/log.pdf"} <= {
        p.relative_to(handouts).as_posix() for p in handouts.rglob("*.pdf")}
    schedule = read_page(out / "beta" / "schedule" / "index.html").html
    assert 'href="../handouts/large-print/week-01.pdf"' in schedule
    assert 'href="../handouts/large-print/handbook.pdf"' in schedule
    worksheet = read_page(out / "beta" / "worksheets" / "log" / "index.html").html
    assert 'href="../../handouts/large-print/worksheets/log.pdf"' in worksheet
    assert 'href="../../handouts/worksheets/fillable/log.pdf"' in worksheet


def test_a_piece_renders_the_same_with_its_shared_css_parsed_once(tmp_path):
    """write_pdf lifts the print CSS every piece shares out of the HTML and parses it once per
    process (print_css.py); the PDF must read as the one the whole HTML, CSS inline, makes."""
    from generator.page_fit import fitted_document
    from generator.pieces import PDF_OPTIONS
    from generator.print_css import lift_shared_css

    packet = documents(MINI)["week-01.pdf"]
    handout = next(p for p in packet.pieces if p.kind == "handout")
    worksheet = next(p for p in packet.pieces if p.kind == "worksheet")
    own_html, shared = lift_shared_css(handout.html)
    assert 'id="print-css"' in handout.html and 'id="print-css"' not in own_html and "@page" in own_html
    assert lift_shared_css(worksheet.html)[1] == shared, "one parsed copy for every piece of the variant"

    lifted, inline = tmp_path / "lifted.pdf", tmp_path / "inline.pdf"
    write_pdf(handout.html, lifted)
    fitted_document(handout.html, PDF_OPTIONS).write_pdf(inline, **PDF_OPTIONS)  # tightened alike (page_fit.py)
    pages = [[" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages] for pdf in (lifted, inline)]
    assert pages[0] == pages[1], "the same words on the same pages: the shared CSS was applied"


# --- the page reader the no-wasted-page tests rely on (tests/page_fill.py) --------------------

def test_the_page_reader_tells_a_nearly_empty_page_from_a_full_one_and_a_ruled_one(tmp_path):
    from weasyprint import HTML

    from page_fill import page_fills

    prose = "<p>" + " ".join(["Slow breathing calms the body and the mind."] * 60) + "</p>"
    html = f"""<style>@page {{ size: letter; margin: 1in; @bottom-center {{ content: "Page " counter(page);
               font-size: 8pt }} }} body {{ font-size: 12pt }} .ruled {{ border-bottom: 1px solid; height: 1.5em }}
               .next {{ break-before: page }}</style>
               {prose}<h2 class="next">Practice</h2><p>Breathe slowly.</p>
               <h2 class="next">Notes</h2>{'<div class="ruled"></div>' * 30}"""
    path = tmp_path / "fills.pdf"
    HTML(string=html).write_pdf(path)
    full, nearly_empty, ruled = page_fills(path)
    assert not full.nearly_empty and full.words > 300
    assert nearly_empty.nearly_empty and nearly_empty.words == 3
    assert not ruled.nearly_empty and ruled.words == 1 and ruled.used > 0.5, "write-in lines count as content"
