"""The published site in headless Chromium, as patients and families use it: private, searchable,
worksheets that keep answers only when asked, printable, and readable on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser_support import (PHONE, TRACKS, axe_violations, describe, page_types, sideways_scrolling, track_view,
                             worksheet_share)
from conftest import REPO
from test_browser_accessibility import search_for

ARTIFACTS = REPO / "tests" / "artifacts"
ANSWER_KEY_PREFIX = "psychoed:answers:"


# --- privacy and search ------------------------------------------------------------------
# Every browser test checks, as its tab closes, that no page fetched from another host (the
# `open_tab` and `viewing_tab` fixtures). These tests open search too, so that the search worker
# is seen doing so.

@pytest.mark.parametrize("track_id", TRACKS)
def test_typing_a_module_title_finds_it_and_the_results_pass_axe_and_stay_local(search_tab, site_server, track_id):
    page = search_tab.page
    module = track_view(track_id).weeks[1].sessions[0].module
    page.goto(site_server.url(page_types(track_id)["home"]))
    search_for(page, module.title)
    found = page.locator(f'a.md-search-result__link[href*="/modules/{module.family}/{module.id}/"]')
    expect(found.first).to_be_visible()
    expect(found.first).to_contain_text(module.title)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert any("/workers/search." in url for url in search_tab.requests.urls), "the search worker's requests are seen"
    assert search_tab.requests.not_from(site_server.url()) == []


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


# The worksheet script is one file for every track: one track here, the Spanish edition and the
# Zensical build run the same test; every type of field is typed into by the keyboard test.
@pytest.mark.parametrize("track_id", [TRACKS[-1]])
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


# One print stylesheet for every track: each kind of page printed from two tracks.
PRINTED = [(track_id, ("worksheet", "module")[index % 2]) for index, track_id in enumerate(TRACKS)]


@pytest.mark.parametrize(("track_id", "kind"), PRINTED)
def test_printed_page_has_name_date_lines_and_crisis_footer_but_no_navigation(viewing_tab, site_server, track_id,
                                                                              kind):
    page = viewing_tab.page
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

@pytest.mark.parametrize("track_id", TRACKS)
def test_on_a_phone_no_page_scrolls_sideways_and_crisis_help_shows(viewing_tab, site_server, track_id):
    page = viewing_tab.page
    page.set_viewport_size(PHONE)
    worksheets = worksheet_share(track_id)  # every worksheet in some track
    wide = {}
    for path in dict.fromkeys([*page_types(track_id).values(), *worksheets]):
        page.goto(site_server.url(path))
        expect(page.locator(".psy-crisis")).to_be_in_viewport()
        expect(page.locator(".psy-crisis")).to_contain_text("Need help now?")
        # A worksheet's tables become cards; a table of facts elsewhere (the facilitator guide's
        # weeks) may scroll inside its box, as WCAG's reflow rule allows for data tables.
        if scrolling := sideways_scrolling(page, elements=path in worksheets):
            wide[path] = scrolling
    assert wide == {}


def test_the_hub_fits_a_phone(viewing_tab, site_server):
    page = viewing_tab.page
    page.set_viewport_size(PHONE)
    page.goto(site_server.url())
    expect(page.locator(".crisis")).to_be_in_viewport()
    assert sideways_scrolling(page) == []
