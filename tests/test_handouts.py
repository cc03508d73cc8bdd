"""PDF handouts: real WeasyPrint PDFs, read back with PDFium (text, sizes, fills) and pypdf
(outline, metadata, forms).

The bundled curriculum's PDFs come from the session's one `bundled_site` build, which renders
them for one track (PDF_TRACK); the cache, the `handouts` command and large print use the small
fixture curriculum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from conftest import BUNDLED, PDF_TRACK, read_page
from page_fill import PageFill, fill_of, read_pages
from generator.handouts import handbook_parts
from generator.load import load_curriculum
from generator.render import packet_sessions, week_packets
from generator.tailor import TrackView, tailor

CURRICULUM = load_curriculum(BUNDLED)
TRACKS = list(CURRICULUM.tracks)
VIEWS = {track_id: tailor(CURRICULUM, track_id) for track_id in TRACKS}
PDF_TRACKS = [PDF_TRACK]  # the bundled tracks whose PDFs the shared build renders
LETTER = (612, 792)  # points
A4 = (595, 842)
PAGE_LABEL = re.compile(r"Page (\d+) of (\d+)")


def squash(text: str) -> str:
    """Whitespace collapsed, and words broken at a hyphen at the end of a line joined again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.split()))


def page_texts(path: Path) -> list[str]:
    return [squash(read.text) for read in read_pages(path)]


@dataclass(frozen=True)
class PdfText:
    pages: list[str]  # each page's whole text
    body: str  # the text set at 12 pt or more, all pages: without the page header and footer
    fills: list[PageFill]  # how full each page is


def read_pdf(path: Path) -> PdfText:
    """The text and the fill of every page, in one pass over each."""
    pages, body, fills = [], [], []
    for read in read_pages(path):
        pages.append(squash(read.text))
        body += [text for text, _, size in read.runs if size >= 12 and text.strip() != "•"]  # bullets come out of order
        fills.append(fill_of(read))
    return PdfText(pages, squash(" ".join(body)), fills)


@pytest.fixture(scope="session")
def bundled_pdfs(bundled_site) -> dict[str, dict[str, PdfText]]:
    """track → handout path (under handouts/) → its text, for PDF_TRACKS."""
    files = sorted(path for track_id in PDF_TRACKS for path in (bundled_site / "site").glob(f"{track_id}/handouts/**/*.pdf"))
    texts = [read_pdf(path) for path in files]
    pdfs: dict[str, dict[str, PdfText]] = {track_id: {} for track_id in PDF_TRACKS}
    for path, text in zip(files, texts):
        track_id = path.relative_to(bundled_site / "site").parts[0]
        pdfs[track_id][path.relative_to(bundled_site / "site" / track_id / "handouts").as_posix()] = text
    return pdfs


@pytest.fixture(scope="session")
def anxiety_page_fills(bundled_pdfs) -> dict[str, list[PageFill]]:
    """Every printed PDF of one track (not the fillable copies), page by page: words and height used."""
    return {name: pdf.fills for name, pdf in bundled_pdfs["anxiety"].items() if "fillable" not in name.split("/")}


def expected_files(view: TrackView) -> set[str]:
    files = {"handbook.pdf"} | {f"worksheets/{w}.pdf" for w in view.worksheets}
    files |= {f"worksheets/fillable/{w}.pdf" for w in view.worksheets}
    for week in view.weeks:
        files.add(f"facilitator-week-{week.number:02d}.pdf")
        if any(not view.for_families(s.module) for s in week.sessions):
            files.add(f"week-{week.number:02d}.pdf")
        if any(view.for_families(s.module) for s in week.sessions):
            files.add(f"week-{week.number:02d}-families.pdf")
    return files


def participant_files(pdfs: dict[str, PdfText]) -> list[str]:
    return [name for name in pdfs if not name.startswith("facilitator-")]


def facilitator_only_texts(view: TrackView) -> set[str]:
    """Timing activities, prompts and note sentences: text that only facilitators may see."""
    texts = set()
    for module in view.modules.values():
        texts |= {squash(step.activity) for step in module.facilitator.timing if len(step.activity) > 30}
        texts |= {squash(prompt) for prompt in module.facilitator.prompts}
        notes = re.sub(r"(?m)^\s*([-*+]|\d{1,2}\.)\s+", "", module.facilitator.notes)
        texts |= {s for s in re.split(r"(?<=[.?!])\s+", squash(notes)) if len(s) > 50 and not re.search(r"[*_`\[\]#>|]", s)}
    return texts


def outline_titles(path: Path) -> list[str]:
    def flatten(items) -> list[str]:
        titles = []
        for item in items:
            titles += flatten(item) if isinstance(item, list) else [squash(item.title)]
        return titles

    return flatten(pypdf.PdfReader(path).outline)


# --- the bundled curriculum ----------------------------------------------------------------


@pytest.mark.parametrize("track_id", PDF_TRACKS)
def test_every_track_has_its_packets_guides_handbook_and_worksheets(bundled_pdfs, track_id):
    assert set(bundled_pdfs[track_id]) == expected_files(VIEWS[track_id])


@pytest.mark.parametrize("track_id", PDF_TRACKS)
def test_every_page_is_numbered_and_carries_the_crisis_line_and_disclaimer(bundled_pdfs, track_id):
    program = CURRICULUM.program
    crisis = [squash(f"{r.name}: {r.contact}") for r in program.crisis]
    disclaimer = squash(program.disclaimer)
    for name, pdf in bundled_pdfs[track_id].items():
        assert pdf.pages, name
        for number, text in enumerate(pdf.pages, start=1):
            assert f"Page {number} of {len(pdf.pages)}" in text, (name, number)
            for line in crisis:
                assert line in text, (name, number, line)
            assert disclaimer in text, (name, number)


@pytest.mark.parametrize("track_id", PDF_TRACKS)
def test_no_facilitator_text_in_participant_or_family_pdfs(bundled_pdfs, track_id):
    secret = facilitator_only_texts(VIEWS[track_id])
    assert secret
    pdfs = bundled_pdfs[track_id]
    for name in participant_files(pdfs):
        assert {s for s in secret if s in pdfs[name].body} == set(), name
    in_guides = " ".join(pdf.body for name, pdf in pdfs.items() if name.startswith("facilitator-"))
    assert {s for s in secret if s not in in_guides} == set(), "the facilitator guides show all of it"


def test_no_page_of_a_track_is_nearly_empty(anxiety_page_fills):
    """Nearly empty: under 40 words of body text, ending in the top third of the text area
    (tests/page_fill.py says why). Every PDF of the anxiety track, every page after the first."""
    assert len(anxiety_page_fills) > 40
    wasted = [(name, number, fill) for name, pages in anxiety_page_fills.items()
              for number, fill in enumerate(pages, start=1) if number > 1 and fill.nearly_empty]
    assert wasted == []


def test_each_facilitator_cover_fits_its_first_page_and_lists_each_file_to_print_once(bundled_pdfs):
    """The week's sessions, then what to print: one row per file, a worksheet two sessions use
    names both. The cover ends on page 1: page 2 is the first session, not the end of a list."""
    merged = 0
    for week in VIEWS[PDF_TRACK].weeks:
        pages = bundled_pdfs[PDF_TRACK][f"facilitator-week-{week.number:02d}.pdf"].pages
        cover, second = pages[0], pages[1]
        assert "To print before group" in cover and "What (file)" not in second, week.number
        assert second.index(week.sessions[0].module.title) < second.index("Objectives"), week.number
        sessions: dict[str, list[int]] = {}
        for session in week.sessions:
            for worksheet in session.worksheets:
                sessions.setdefault(worksheet.id, []).append(session.number)
        for worksheet_id, numbers in sessions.items():
            assert cover.count(f"worksheets/{worksheet_id}.pdf") == 1, (week.number, worksheet_id)
            if len(numbers) > 1:
                merged += 1
                said = f"(sessions {', '.join(map(str, numbers[:-1]))} and {numbers[-1]})"
                assert said in cover, (week.number, worksheet_id)
    assert merged, "some week of the track hands out one worksheet in two sessions"


def test_facilitator_guide_has_objectives_timing_totals_and_what_to_print(bundled_pdfs):
    view = VIEWS["anxiety"]
    week = view.weeks[0]
    text = bundled_pdfs["anxiety"]["facilitator-week-01.pdf"].body
    assert "To print before group" in text and "week-01.pdf" in text
    for session in week.sessions:
        module = session.module
        assert squash(module.objectives[0]) in text
        if module.facilitator.timing:
            assert f"{sum(step.minutes for step in module.facilitator.timing)} Total" in text, module.id
        for worksheet in session.worksheets:
            assert f"worksheets/{worksheet.id}.pdf" in text


@pytest.mark.parametrize("track_id", PDF_TRACKS)
def test_packets_follow_the_schedule(bundled_site, track_id):
    """Each packet's bookmarks: every session's handout, then its worksheets, in schedule order."""
    view = VIEWS[track_id]
    handouts = bundled_site / "site" / track_id / "handouts"
    for week in view.weeks:
        for audience in week_packets(view, week):
            expected = []
            for session in packet_sessions(view, week, audience):
                expected += [squash(session.module.title)] + [squash(w.title) for w in session.worksheets]
            suffix = "-families" if audience == "families" else ""
            assert outline_titles(handouts / f"week-{week.number:02d}{suffix}.pdf") == expected, (week.number, audience)


@pytest.mark.parametrize("track_id", PDF_TRACKS)
def test_handbook_has_contents_then_every_handout_once_in_schedule_order(bundled_site, bundled_pdfs, track_id):
    view = VIEWS[track_id]
    expected = []
    for part in handbook_parts(view):
        expected += ([squash(part.module.title)] if part.with_handout else []) + [squash(w.title) for w in part.worksheets]
    titles = outline_titles(bundled_site / "site" / track_id / "handouts" / "handbook.pdf")
    assert titles == ["Contents"] + expected
    participant_modules = [m for m in view.modules.values() if not view.for_families(m)]
    assert len(expected) >= len(participant_modules) and len(set(expected)) == len(expected)
    handbook = bundled_pdfs[track_id]["handbook.pdf"]
    assert f"{CURRICULUM.program.name} · {view.track.title} · Handbook" in handbook.pages[1]
    contents = " ".join(page for page in handbook.pages if ". . . ." in page)  # the pages with leader dots
    position = 0
    for title in expected:  # in order, each with its page number
        assert re.search(re.escape(title) + r"[ .]*\d+", contents[position:]), title
        position += contents[position:].index(title) + len(title)


def test_worksheet_pdfs_show_every_label_column_and_option(bundled_pdfs):
    for track_id in PDF_TRACKS:
        for worksheet in VIEWS[track_id].worksheets.values():
            text = bundled_pdfs[track_id][f"worksheets/{worksheet.id}.pdf"].body
            assert "Name" in text and "Date" in text
            assert squash(worksheet.title) in text and squash(worksheet.instructions) in text
            for field in worksheet.fields:
                assert squash(field.label) in text, (worksheet.id, field.label)
                for word in getattr(field, "columns", []) + getattr(field, "options", []):
                    assert squash(word) in text, (worksheet.id, word)


def test_pdf_metadata_and_paper(bundled_site):
    program = CURRICULUM.program
    for path in (bundled_site / "site" / "anxiety" / "handouts").rglob("*.pdf"):
        reader = pypdf.PdfReader(path)
        assert reader.metadata.title, path
        assert reader.metadata.author == program.organization
        assert reader.trailer["/Root"]["/Lang"] == program.language
        for page in reader.pages:
            assert (round(page.mediabox.width), round(page.mediabox.height)) == LETTER
    packet = pypdf.PdfReader(bundled_site / "site" / "anxiety" / "handouts" / "week-01.pdf")
    assert packet.metadata.title == f"Anxiety, week 1: {VIEWS['anxiety'].weeks[0].title}"


def text_sizes(path: Path) -> list[tuple[float, str]]:
    """(size in points, text) of every run of text in the PDF."""
    return [(round(size, 1), text) for read in read_pages(path) for text, _, size in read.runs]


def test_body_text_is_at_least_12_points(bundled_site):
    """Only the page header (document and part title) and footer (crisis line, disclaimer,
    page number) are set smaller than 12 pt."""
    program, view = CURRICULUM.program, VIEWS["anxiety"]
    footer = squash("Need help now? " + " · ".join(f"{r.name}: {r.contact}" for r in program.crisis)
                    + " " + program.disclaimer)
    titles = [f"{item.code} · {item.title}" if item.code else item.title
              for item in [*view.modules.values(), *view.worksheets.values()]]
    margins = [footer, f"{program.name} · Anxiety · Week 1", *map(squash, titles)]
    runs = text_sizes(bundled_site / "site" / "anxiety" / "handouts" / "week-01.pdf")
    small = {squash(text) for size, text in runs if size < 12}
    assert small, "the footer is set smaller than the body"
    assert {t for t in small if not PAGE_LABEL.fullmatch(t) and not any(t in m for m in margins)} == set()
    assert max(size for size, _ in runs) > 20, "titles stand out"


def median_size(path: Path) -> float:
    sizes = sorted(size for size, _ in text_sizes(path))
    return sizes[len(sizes) // 2]


# --- the small fixture: large print, paper, the command, the cache ---------------------------


def handouts_of(out: Path, track_id: str) -> dict[str, Path]:
    folder = out / track_id / "handouts"
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.pdf"))}


def test_large_print_is_larger(psychoed, mini, warm_build_dir, tmp_path):
    out, build = tmp_path / "site", warm_build_dir  # the standard PDFs come from the shared build's cache
    assert psychoed("handouts", "--curriculum", mini, "--out", out, "--build-dir", build, "--track", "alpha").code == 0
    run = psychoed("handouts", "--curriculum", mini, "--out", out, "--build-dir", build, "--track", "alpha",
                   "--large-print")
    assert run.code == 0, run.err
    pdfs = handouts_of(out, "alpha")
    for name in ["week-01.pdf", "handbook.pdf", "worksheets/log.pdf"]:
        standard, large = pdfs[name], pdfs[f"large-print/{name}"]
        assert median_size(standard) >= 12 and median_size(large) >= 18, name
        assert min(size for size, _ in text_sizes(large)) >= 12, "even the footer is 12 pt or more"
        if name == "week-01.pdf":  # a one-page worksheet may still fit, and the handbook's page breaks may tie
            assert len(pypdf.PdfReader(large).pages) > len(pypdf.PdfReader(standard).pages), name


def test_handouts_command_builds_only_what_is_asked(psychoed, mini, warm_build_dir, tmp_path):
    out, build = tmp_path / "site", warm_build_dir
    run = psychoed("handouts", "--curriculum", mini, "--out", out, "--build-dir", build, "--week", "1")
    assert run.code == 0, run.err
    assert set(handouts_of(out, "alpha")) == {"week-01.pdf", "week-01-families.pdf", "facilitator-week-01.pdf",
                                              "worksheets/log.pdf", "worksheets/fillable/log.pdf"}
    assert set(handouts_of(out, "beta")) == {"week-01.pdf", "facilitator-week-01.pdf", "worksheets/log.pdf",
                                             "worksheets/fillable/log.pdf"}
    assert not (out / "index.html").exists(), "the site itself is not built"
    assert [p.name for p in out.rglob(".*")] == [".psychoed-output"], "only the marker; no partial files left behind"

    bad_week = psychoed("handouts", "--curriculum", mini, "--out", out, "--week", "2", "--track", "beta")
    assert bad_week.code == 2 and "track `beta` has weeks 1 to 1, not week 2" in bad_week.err
    bad_track = psychoed("handouts", "--curriculum", mini, "--out", out, "--track", "gamma")
    assert bad_track.code == 2 and "unknown track gamma" in bad_track.err


def test_a4_paper_from_program_yml(psychoed, mini, tmp_path):
    program = mini / "program.yml"
    program.write_text(program.read_text() + "paper: a4\n")
    out = tmp_path / "site"
    assert psychoed("handouts", "--curriculum", mini, "--out", out, "--build-dir", tmp_path / "build",
                    "--track", "beta").code == 0
    for path in handouts_of(out, "beta").values():
        page = pypdf.PdfReader(path).pages[0]
        assert (round(page.mediabox.width), round(page.mediabox.height)) == A4


def test_fixture_pdfs_keep_facilitator_text_in_the_guide(psychoed, mini, warm_build_dir, tmp_path):
    out = tmp_path / "site"  # the fixture's PDFs as the shared build rendered them, published by `handouts`
    assert psychoed("handouts", "--curriculum", mini, "--out", out, "--build-dir", warm_build_dir).code == 0
    for track_id in ("alpha", "beta"):
        for name, path in handouts_of(out, track_id).items():
            text = read_pdf(path).body
            markers = set(re.findall(r"FACILITATOR-ONLY-\w+-MARKER", text))
            if name.startswith("facilitator-"):
                assert "FACILITATOR-ONLY-PROMPT-MARKER" in markers, (track_id, name)
            else:
                assert markers == set(), (track_id, name)
    families = " ".join(page_texts(handouts_of(out, "alpha")["week-01-families.pdf"]))
    assert "Talking together" in families and "Listen first." in families and "Slow breaths" not in families


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.pdf")}


def test_cache_renders_only_what_changed(psychoed, mini, warm_build_dir, tmp_path):
    out, build = tmp_path / "site", warm_build_dir  # the fixture's PDFs already rendered, no build record
    args = ("build", "--curriculum", mini, "--out", out, "--build-dir", build)
    first = psychoed(*args)
    assert first.code == 0, first.err
    cached = {track_id: mtimes(build / track_id / "handouts") for track_id in ("alpha", "beta")}
    assert "13 PDFs (13 reused)" in first.out

    second = psychoed(*args)
    assert "nothing changed since the last build" in second.out
    assert {t: mtimes(build / t / "handouts") for t in cached} == cached, "nothing re-rendered"
    assert set(handouts_of(out, "alpha")) == set(cached["alpha"]), "the site still has every PDF"

    talking = mini / "modules" / "family-education" / "talking.yml"
    talking.write_text(talking.read_text().replace("main_message: Listen first.", "main_message: Listen first, then ask."))
    third = psychoed(*args)
    assert third.code == 0, third.err
    changed = {(t, name) for t in cached for name, mtime in mtimes(build / t / "handouts").items()
               if mtime != cached[t][name]}
    containing = {(t, name) for t in cached for name, path in handouts_of(out, t).items()
                  if "Listen first, then ask." in " ".join(page_texts(path))}
    assert changed == containing == {("alpha", "week-01-families.pdf"), ("alpha", "facilitator-week-01.pdf")}
    assert "built 1 track(s) (1 unchanged) as 1 site(s), 8 PDFs (6 reused)" in third.out, "only alpha, which schedules the module"


def test_a_week_taken_out_of_the_schedule_leaves_no_pdf_behind(psychoed, mini, warm_build_dir, tmp_path):
    out, build = tmp_path / "site", warm_build_dir
    args = ("build", "--curriculum", mini, "--out", out, "--build-dir", build, "--track", "alpha")
    assert psychoed(*args).code == 0
    assert (build / "alpha" / "handouts" / "week-02.pdf").is_file()
    alpha = mini / "tracks" / "alpha.yml"
    alpha.write_text(alpha.read_text().split("  - title: Second week")[0])
    assert psychoed(*args).code == 0
    assert not (build / "alpha" / "handouts" / "week-02.pdf").exists()
    assert "week-02.pdf" not in handouts_of(out, "alpha")
    assert "week-02" not in read_page(out / "alpha" / "schedule" / "index.html").html


def test_site_pages_link_the_pdfs(bundled_site):
    site = bundled_site / "site" / "anxiety"
    view = VIEWS["anxiety"]
    schedule = read_page(site / "schedule" / "index.html").html
    assert 'href="../handouts/handbook.pdf"' in schedule
    for week in view.weeks:
        for audience in week_packets(view, week):
            suffix = "-families" if audience == "families" else ""
            assert f'href="../handouts/week-{week.number:02d}{suffix}.pdf"' in schedule
        guide = read_page(site / "facilitator" / f"week-{week.number:02d}" / "index.html").html
        assert f'href="../../handouts/facilitator-week-{week.number:02d}.pdf"' in guide
    for worksheet in view.worksheets:
        page = read_page(site / "worksheets" / worksheet / "index.html").html
        assert f'href="../../handouts/worksheets/{worksheet}.pdf"' in page
        assert f'href="../../handouts/worksheets/fillable/{worksheet}.pdf"' in page




def test_the_print_html_fetches_nothing(mini):
    from generator.handouts import handout_documents

    view = tailor(load_curriculum(mini), "alpha")
    for document in handout_documents(view) + handout_documents(view, large_print=True):
        assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:|//|file:)|url\(|@import|@font-face""",
                             document.html), document.name

