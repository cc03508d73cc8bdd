"""The bundled Spanish edition (site/es/addiction/) in headless Chromium, as a Spanish-reading
participant or family member uses it: every kind of page in Spanish and accessible, search that
finds Spanish words, a worksheet that keeps answers only when asked, and no request to another
host. The words the tests look for come from the Spanish catalogue and the Spanish overlays."""

from __future__ import annotations

import functools

import pytest
from playwright.sync_api import expect

from browser_support import CURRICULUM, axe_violations, describe, page_paths
from generator.locales import catalogue
from generator.tailor import TrackView, tailor
from generator.translations.translate import translate
from test_browser_accessibility import search_for
from test_browser_site import ANSWER_KEY_PREFIX, shown_answers, stored_text

FOLDER = "es/addiction"
WORDS = catalogue("es")


@functools.cache
def spanish_view() -> TrackView:
    return tailor(translate(CURRICULUM, "es").curriculum, "addiction")


def spanish_pages() -> dict[str, str]:
    return page_paths(spanish_view(), FOLDER)


@pytest.mark.parametrize("kind", list(spanish_pages()))
def test_spanish_page_is_in_spanish_and_has_no_axe_violations(viewing_tab, site_server, kind):
    page = viewing_tab.page
    response = page.goto(site_server.url(spanish_pages()[kind]))
    assert response is not None and response.status == (404 if kind == "404" else 200)
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator(".psy-crisis")).to_contain_text(WORDS.text("crisis.title"))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_spanish_search_finds_a_spanish_module_and_every_request_stays_local(search_tab, site_server):
    page = search_tab.page
    module = spanish_view().weeks[1].sessions[0].module
    page.goto(site_server.url(spanish_pages()["home"]))
    search_for(page, module.title)
    found = page.locator(f'a.md-search-result__link[href*="/modules/{module.family}/{module.id}/"]')
    expect(found.first).to_contain_text(module.title)
    assert any("/workers/search." in url for url in search_tab.requests.urls)
    assert search_tab.requests.not_from(site_server.url()) == []
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_spanish_worksheet_keeps_answers_only_when_asked(tab, site_server):
    page = tab.page
    page.goto(site_server.url(spanish_pages()["worksheet"]))
    keep = page.get_by_label(WORDS.text("worksheet.keep"))
    expect(keep).not_to_be_checked()
    fields = page.locator("[data-psy-worksheet] textarea, [data-psy-worksheet] input[type=text]")
    answers = [f"Mi respuesta {n}" for n in (1, 2)]

    keep.check()
    for field, answer in zip(fields.all(), answers):
        field.press_sequentially(answer, delay=5)
    page.reload()
    status = page.locator("[data-psy-controls]").get_by_role("status")
    expect(status).to_contain_text(WORDS.text("worksheet.say_restored"))
    assert shown_answers(page) == answers

    page.get_by_role("button", name=WORDS.text("worksheet.clear")).click()
    expect(status).to_contain_text(WORDS.text("worksheet.say_cleared"))
    assert shown_answers(page) == [] and ANSWER_KEY_PREFIX not in stored_text(page)


def test_spanish_hub_offers_both_languages(viewing_tab, site_server):
    page = viewing_tab.page
    page.goto(site_server.url("es/"))
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator('a[href="addiction/"]')).to_contain_text(spanish_view().track.title)
    english = page.locator('[lang="en"] a[href="../addiction/"]')
    expect(english).to_contain_text(CURRICULUM.tracks["addiction"].title)
    page.goto(site_server.url("es/addiction/"))
    page.locator(".md-select__link[hreflang='en']").first.dispatch_event("click")
    expect(page).to_have_url(site_server.url("addiction/"))
    assert viewing_tab.requests.not_from(site_server.url()) == []
