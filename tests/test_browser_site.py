"""The published site in headless Chromium, as patients and families use it: private, searchable,
worksheets that keep answers only when asked, printable, and readable on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser_support import MISSING_PAGE, TRACKS, page_types, track_view, worksheet_share
from conftest import REPO
from test_browser_accessibility import search_for

ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 375, "height": 740}
ANSWER_KEY_PREFIX = "psychoed:answers:"


# --- privacy ---------------------------------------------------------------------------

@pytest.mark.parametrize("track_id", TRACKS)
def test_every_request_goes_to_the_local_server(tab, site_server, track_id):
    page = tab.page
    for path in page_types(track_id).values():
        page.goto(site_server.url(path))  # returns once the page and everything it loads are in
    search_for(page, track_view(track_id).weeks[0].sessions[0].module.title)  # loads the search index and worker
    assert any("/workers/search." in url for url in tab.requests.urls), "the search worker's requests are seen too"
    assert tab.requests.not_from(site_server.url()) == []


def test_the_hub_requests_nothing_from_another_host(tab, site_server):
    for path in ("", MISSING_PAGE):
        tab.page.goto(site_server.url(path))
    assert tab.requests.urls and tab.requests.not_from(site_server.url()) == []


# --- search ----------------------------------------------------------------------------

@pytest.mark.parametrize("track_id", TRACKS)
def test_typing_a_module_title_finds_that_module(tab, site_server, track_id):
    page = tab.page
    module = track_view(track_id).weeks[1].sessions[0].module
    page.goto(site_server.url(page_types(track_id)["home"]))
    search_for(page, module.title)
    found = page.locator(f'a.md-search-result__link[href*="/modules/{module.family}/{module.id}/"]')
    expect(found.first).to_be_visible()
    expect(found.first).to_contain_text(module.title)


# --- worksheets: answers stay in the page unless the reader keeps them ------------------

def answer_fields(page: Page) -> list[str]:
    """Type into the worksheet's first text fields; return what was typed."""
    answers = []
    for index, field in enumerate(page.locator("[data-psy-worksheet] textarea, [data-psy-worksheet] input[type=text]")
                                  .all()[:3]):
        answer = f"My own answer {index + 1}"
        field.press_sequentially(answer, delay=5)
        answers.append(answer)
    return answers


def shown_answers(page: Page) -> list[str]:
    fields = page.locator("[data-psy-worksheet] textarea, [data-psy-worksheet] input[type=text]")
    return [value for value in fields.evaluate_all("fields => fields.map(f => f.value)") if value]


def stored_text(page: Page) -> str:
    """Everything this site keeps in the browser's storage and cookies, as one string."""
    return page.evaluate("""() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),
                                                  document.cookie])""")


@pytest.mark.parametrize("track_id", TRACKS)
def test_answers_are_kept_only_when_asked_and_cleared_completely(tab, site_server, track_id):
    page = tab.page
    page.goto(site_server.url(page_types(track_id)["worksheet"]))
    keep = page.get_by_label("Keep my answers on this device")
    expect(keep).not_to_be_checked()

    answers = answer_fields(page)
    page.reload()
    expect(page.locator("[data-psy-controls]")).to_be_visible()
    assert shown_answers(page) == [], "answers are gone after a reload unless kept"
    assert ANSWER_KEY_PREFIX not in stored_text(page)

    keep.check()
    answers = answer_fields(page)
    page.reload()
    expect(keep).to_be_checked()
    expect(page.locator("[data-psy-controls]").get_by_role("status")).to_contain_text("saved answers are back")
    assert shown_answers(page) == answers

    page.get_by_role("button", name="Clear my answers").click()
    expect(page.locator("[data-psy-controls]").get_by_role("status")).to_contain_text("cleared")
    assert shown_answers(page) == []
    expect(keep).not_to_be_checked()
    stored = stored_text(page)
    assert ANSWER_KEY_PREFIX not in stored and not any(answer in stored for answer in answers)
    page.reload()
    expect(page.locator("[data-psy-controls]")).to_be_visible()
    assert shown_answers(page) == []


# --- print -----------------------------------------------------------------------------

SCREEN_ONLY = [".md-header", ".md-search", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
               ".psy-controls"]


@pytest.mark.parametrize("track_id", TRACKS)
@pytest.mark.parametrize("kind", ["worksheet", "module"])
def test_printed_page_has_name_date_lines_and_crisis_footer_but_no_navigation(tab, site_server, track_id, kind):
    page = tab.page
    page.goto(site_server.url(page_types(track_id)[kind]))
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        expect(page.locator(selector)).to_be_hidden()
    names = page.locator(".psy-namedate, .psy-namedate-lines")
    expect(names).to_be_visible()
    expect(names).to_contain_text("Name or initials")
    expect(names).to_contain_text("Date")
    footer = page.locator(".psy-print-footer")
    expect(footer).to_be_visible()
    for resource in track_view(track_id).program.crisis:
        expect(footer).to_contain_text(resource.contact)
    expect(footer).to_contain_text(" ".join(track_view(track_id).program.disclaimer.split()))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"print-{track_id}-{kind}.png", full_page=True)


# --- phone -----------------------------------------------------------------------------

SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


@pytest.mark.parametrize("track_id", TRACKS)
def test_on_a_phone_no_page_scrolls_sideways_and_crisis_help_shows(open_tab, site_server, track_id):
    page = open_tab(PHONE).page
    paths = [*page_types(track_id).values(), *worksheet_share(track_id)]  # every worksheet in some track
    wide = []
    for path in dict.fromkeys(paths):
        page.goto(site_server.url(path))
        expect(page.locator(".psy-crisis")).to_be_in_viewport()
        expect(page.locator(".psy-crisis")).to_contain_text("Need help now?")
        if page.evaluate(SCROLLS_SIDEWAYS):
            wide.append(path)
    assert wide == []


def test_the_hub_fits_a_phone(open_tab, site_server):
    page = open_tab(PHONE).page
    page.goto(site_server.url())
    expect(page.locator(".crisis")).to_be_in_viewport()
    assert not page.evaluate(SCROLLS_SIDEWAYS)
