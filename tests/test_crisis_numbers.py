"""Local crisis help, once: no phone number or short code in module or worksheet text (rule
`crisis-numbers`, failing and passing examples), and a fork with UK crisis resources that builds
with no US number in its HTML or PDF text and with tap-to-call links that fit a phone."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from browser_support import PHONE, SiteServer
from conftest import BUNDLED, REPO, build_site, html_pages, read_page
from generator.build import BuildPaths, build_handouts
from generator.handouts import handout_documents
from generator.load import load_curriculum
from generator.tailor import tailor
from test_lint import TALKING, at, check, findings, say

# --- the rule ----------------------------------------------------------------------------

FLAGGED = [
    ("If you are in danger, call 911 now.", "911", "crisis.emergency.how"),
    ("You can call or text 988 at any time.", "988", "crisis.line.how"),
    ("In the UK, dial 999.", "999", "crisis.emergency.how"),
    ("In Europe, 112 works from any phone.", "112", "crisis.emergency.how"),
    ("Samaritans answer on 116 123, day or night.", "116 123", "crisis.line.how"),
    ("Text HOME to 741741.", "741741", "crisis.line.how"),
    ("The helpline is 1-800-662-4357.", "1-800-662-4357", "resources:"),
    ("Call (555) 123-4567 to book.", "(555) 123-4567", "resources:"),
    ("From abroad, ring +44 20 7946 0000.", "+44 20 7946 0000", "resources:"),
    ("Our clinic is on 0161 496 0000.", "0161 496 0000", "resources:"),
    ("Call 4357 and ask for the team.", "Call 4357", "resources:"),
]


@pytest.mark.parametrize(("text", "number", "hint"), FLAGGED)
def test_numbers_in_text_are_errors_naming_the_crisis_value(psychoed, mini, text, number, hint):
    say(mini, text)
    run = check(psychoed, mini)
    assert run.code == 1
    [line] = findings(run, "crisis-numbers")
    assert line.startswith(at(mini, TALKING, 10, number) + " error: [crisis-numbers]")
    assert f"“{number}” written into the text" in line and hint in line


@pytest.mark.parametrize("text", [
    "You can {{ crisis.line.how }} at any time. If you are in danger now, {{ crisis.emergency.how }}.",
    "Since 2023, more people know the {{ crisis.line.name }}. Call a friend in 2024 too.",
    "Rate your worry from 0 to 10, then again after 20 minutes.",
    "In week 12 we review. Try 4-7-8 breathing or the 5-4-3-2-1 skill for 3 minutes.",
    "About 1,000 people joined over 911 days; 988 minutes is a long time. Call 100 people? No: call two.",
    "Read more at https://988lifeline.org or [the lifeline](https://988lifeline.org/chat).",
])
def test_years_minutes_scales_weeks_and_links_are_not_numbers_to_call(psychoed, mini, text):
    say(mini, text)
    assert findings(check(psychoed, mini), "crisis-numbers") == []


def test_worksheet_text_is_checked_too(psychoed, mini):
    path = mini / "worksheets" / "log.yml"
    path.write_text(path.read_text().replace("label: People I can call", "label: People I can call (or 988)"))
    [line] = findings(check(psychoed, mini), "crisis-numbers")
    assert line.startswith("curriculum/worksheets/log.yml:9:") and "crisis.line.how" in line


# --- a clinic in the UK ------------------------------------------------------------------

ARTIFACTS = REPO / "tests" / "artifacts"
UK_TRACK = "depression"
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"  # poppler-utils, installed with the test tools
UK_PROGRAM_CRISIS = """\
crisis:
  - name: Samaritans
    contact: Call 116 123, free, day or night
    url: https://www.samaritans.org
    verified_on: 2026-11-01
    role: line
    how: call Samaritans on 116 123
    phone: "116123"
  - name: Emergency services
    contact: Call 999 if you or someone else is in immediate danger
    verified_on: 2026-11-01
    role: emergency
    how: call 999
    phone: "999"
  - name: Shout
    contact: Text SHOUT to 85258
    url: https://giveusashout.org
    verified_on: 2026-11-01
    sms: "85258"

resources:
  - name: NHS 111
    description: Urgent medical help and advice when it is not an emergency. It is open all day, every day.
    url: https://111.nhs.uk
    verified_on: 2026-11-01

review_limit_months"""
US_NUMBERS = re.compile(r"(?<![\d/.-])(988|911|741741|838255)(?![\d/-])|1-800-|\b1\s?\(?800\)?")


def uk_fork(target: Path) -> Path:
    """The bundled curriculum with a UK program.yml: UK crisis resources, disclaimer and resources."""
    shutil.copytree(BUNDLED, target)
    program = target / "program.yml"
    text = program.read_text()
    text = re.sub(r"(?s)\ncrisis:\n.*?\nreview_limit_months", "\n" + UK_PROGRAM_CRISIS, text)
    text = re.sub(r"(?s)disclaimer: >-\n.*?\n\n", "disclaimer: >-\n  This material supports, and does not replace, "
                  "care from your treatment team. It is not for emergencies: in a crisis, call Samaritans on "
                  "116 123, or call 999 if you are in danger now.\n\n", text)
    program.write_text(text.replace("paper: letter", "paper: a4"))
    # The bundled Spanish edition tells US crisis lines; this fork publishes in English only.
    drop_translations(target)
    return target


def drop_translations(curriculum: Path) -> None:
    program = curriculum / "program.yml"
    program.write_text(re.sub(r"(?m)^translations:\n(?:[ #].*\n)*", "", program.read_text()))
    for overlay in curriculum.rglob("*.*.yml"):
        overlay.unlink()


@pytest.fixture(scope="session")
def uk_site(tmp_path_factory) -> Path:
    """The UK fork's pages, every track, and the PDFs of UK_TRACK's first week: its participant
    and family packets, facilitator guide and worksheets, which print every kind of piece but
    the handbook's cover and contents (every document's print HTML is checked below)."""
    work = tmp_path_factory.mktemp("uk")
    curriculum = uk_fork(work / "curriculum")
    assert build_site(curriculum, work, pdf_tracks=[]).tracks, "the UK fork must build"
    build_handouts(BuildPaths(curriculum, work / "site", work / "build"), [UK_TRACK], weeks=[1])
    return work / "site" / UK_TRACK


def test_uk_fork_html_has_no_us_number_and_taps_to_call_on_every_page(uk_site):
    pages = [read_page(path) for path in html_pages(uk_site)]
    assert len(pages) > 20
    with_us_numbers = {str(p.path.relative_to(uk_site)): US_NUMBERS.findall(p.text) for p in pages
                       if US_NUMBERS.search(p.text) or re.search(r'href="(tel|sms):(988|911|741741)"', p.html)}
    assert with_us_numbers == {}
    for page in pages:
        assert 'href="tel:116123"' in page.html and 'href="tel:999"' in page.html, page.path
        assert 'href="sms:85258"' in page.html, page.path
    search_index = (uk_site / "search" / "search_index.json").read_text()
    assert not US_NUMBERS.search(search_index)


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler reads it (pdftotext: every PDF of a track in seconds, where pypdf
    takes minutes); pypdf checks on one file that both read the same words."""
    return subprocess.run([PDFTOTEXT, "-q", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_every_uk_print_document_names_the_uk_numbers_and_no_us_number(tmp_path):
    curriculum = load_curriculum(uk_fork(tmp_path / "curriculum"))
    documents = handout_documents(tailor(curriculum, UK_TRACK))
    assert {"handbook.pdf", "week-12.pdf", "week-01-families.pdf", "facilitator-week-12.pdf"} <= {d.name for d in documents}
    for document in documents:
        text = " ".join(re.sub(r"(?s)<style.*?</style>|<[^>]+>", " ", document.html).split())
        assert not US_NUMBERS.search(text), (document.name, US_NUMBERS.findall(text)[:5])
        assert "116 123" in text and "999" in text and "85258" in text, document.name


def test_uk_fork_pdfs_print_the_uk_numbers_and_no_us_number(uk_site):
    # The other weeks' links lead to the empty placeholders of a pages-only build.
    pdfs = sorted(pdf for pdf in (uk_site / "handouts").rglob("*.pdf") if pdf.stat().st_size)
    names = {pdf.relative_to(uk_site / "handouts").as_posix() for pdf in pdfs}
    assert {"week-01.pdf", "week-01-families.pdf", "facilitator-week-01.pdf"} <= names and len(pdfs) > 5
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert not US_NUMBERS.search(text), (pdf.name, US_NUMBERS.findall(text)[:5])
        assert "116 123" in text and "999" in text and "85258" in text, pdf.name
    first_week = uk_site / "handouts" / "week-01.pdf"
    assert " ".join(pypdf.PdfReader(first_week).pages[0].extract_text().split())[:40] in " ".join(
        pdf_text(first_week).split())


def test_uk_fork_call_buttons_fit_a_phone_and_name_their_number(viewing_tab, uk_site):
    server = SiteServer(uk_site.parent)
    try:
        page = viewing_tab.page
        page.set_viewport_size(PHONE)
        page.goto(server.url(f"{UK_TRACK}/"))
        call = page.locator(".psy-crisis").get_by_role("link", name="Call 116123", exact=True)
        text = page.locator(".psy-crisis").get_by_role("link", name="Text 85258", exact=True)
        for link in (call, text):
            expect(link).to_be_in_viewport()
            box = link.bounding_box()
            assert box is not None and box["height"] >= 24 and box["x"] + box["width"] <= 375
        assert call.get_attribute("href") == "tel:116123"
        assert page.locator(".psy-disclaimer").get_by_role("link", name="Call 999", exact=True).count() == 1
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "uk-fork-phone.png"))
    finally:
        server.stop()
