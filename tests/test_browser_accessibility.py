"""Accessibility in headless Chromium: axe-core at WCAG 2.2 AA on every kind of page (and on open
search results, in test_browser_site), and every type of worksheet field filled in and printed
with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser_support import (MISSING_PAGE, TRACKS, axe_violations, describe, page_types, stub_print,
                             worksheets_with_every_field_type)

PAGE_KINDS = list(page_types(TRACKS[0]))
# Every kind of page once, the kinds dealt out over the tracks in turn; and every track's module
# page, where most of each track's own text is. A kind of page is one template for every track.
AXE_PAGES = list(dict.fromkeys([*((TRACKS[i % len(TRACKS)], kind) for i, kind in enumerate(PAGE_KINDS)),
                                *((track_id, "module") for track_id in TRACKS)]))


@pytest.mark.parametrize(("track_id", "kind"), AXE_PAGES)
def test_page_has_no_axe_violations(viewing_tab, site_server, track_id, kind):
    page = viewing_tab.page
    response = page.goto(site_server.url(page_types(track_id)[kind]))
    assert response is not None and response.status == (404 if kind == "404" else 200)
    expect(page.locator(".psy-crisis")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["", MISSING_PAGE], ids=["hub", "hub 404"])
def test_hub_has_no_axe_violations(viewing_tab, site_server, path):
    response = viewing_tab.page.goto(site_server.url(path))
    assert response is not None and response.status == (404 if path else 200)
    violations = axe_violations(viewing_tab.page)
    assert violations == [], describe(violations)


def search_for(page: Page, words: str) -> None:
    """Open Material's search with the keyboard and type, key by key, until results show."""
    page.keyboard.press("/")  # Material's shortcut; `fill()` would not fire its key handlers
    query = page.locator("input.md-search__input")
    expect(query).to_be_focused()
    query.press_sequentially(words, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


# --- keyboard: every worksheet filled in and printed without a mouse ---------------------

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), action: el.dataset.psyAction || "",
          inSheet: !!el.closest("[data-psy-worksheet]")};
}"""

# Each field records whether it was outlined when the focus came to it.
WATCH_FOCUS = """() => {
  window.__notOutlined = [];
  document.addEventListener("focusin", event => {
    const el = event.target, style = getComputedStyle(el);
    if (el.closest("[data-psy-worksheet]") && el.matches("input, textarea")
        && (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2)) window.__notOutlined.push(el.id);
  });
}"""

# The worksheet's stops for the Tab key, in order: each field, a radio group once, and the
# scrollable table regions.
TAB_STOPS = """() => {
  const sheet = document.querySelector("[data-psy-worksheet]");
  const stops = [], groups = new Set();
  for (const el of sheet.querySelectorAll("input, textarea, [tabindex='0']")) {
    if (el.type === "radio") { if (groups.has(el.name)) continue; groups.add(el.name); }
    stops.push(el.matches("input, textarea") ? el.type || "textarea" : "region");
  }
  return stops;
}"""

UNANSWERED = """() => {
  const sheet = document.querySelector("[data-psy-worksheet]");
  const missing = [];
  const groups = new Set();
  for (const el of sheet.querySelectorAll("input, textarea")) {
    if (el.type === "radio") groups.add(el.name);
    else if (el.type === "checkbox" ? !el.checked : el.value === "") missing.push(el.id);
  }
  for (const name of groups) {
    if (!sheet.querySelector(`input[name="${name}"]:checked`)) missing.push(name);
  }
  return missing;
}"""

# What a reader types at each kind of stop: text, the space bar, or nothing (a table's
# scrollable region). In a date box Chromium moves on from month to day to year by itself.
ANSWERS = {"checkbox": " ", "radio": " ", "date": "03152026", "region": "", "text": "ok", "textarea": "ok"}
MAX_TABS = 40  # from the skip link to the worksheet: far more than there are links and buttons


def answer_stop(page: Page, stop: str) -> None:
    if ANSWERS[stop]:
        page.keyboard.type(ANSWERS[stop])
    if stop == "date":
        page.keyboard.press("Tab")  # past the date box's calendar button


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize(("track_id", "worksheet_id"), worksheets_with_every_field_type())
def test_worksheet_can_be_filled_and_printed_with_the_keyboard(tab, site_server, track_id, worksheet_id):
    page = tab.page
    stub_print(page)
    page.goto(site_server.url(f"{track_id}/worksheets/{worksheet_id}/"))
    expect(page.locator("[data-psy-controls]")).to_be_visible()
    page.evaluate(WATCH_FOCUS)

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class(re.compile(r"\bmd-skip\b"))
    page.keyboard.press("Enter")  # skip to the content
    passed_print = False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        control = focused(page)
        passed_print = passed_print or control["action"] == "print"
        if control["inSheet"]:
            break
    assert passed_print and control["inSheet"], "Tab reaches Print, then the worksheet"

    stops = page.evaluate(TAB_STOPS)
    answer_stop(page, stops[0])
    for stop in stops[1:]:
        page.keyboard.press("Tab")
        answer_stop(page, stop)
    assert page.evaluate(UNANSWERED) == [], "every field can be reached and answered from the keyboard"
    assert page.evaluate("window.__notOutlined") == [], "a focused field is outlined, so the reader sees it"

    # Back up the page to the Print button. Shift+Tab stops at every field on the way, and at
    # every part of a date box, so it takes at least len(stops) - 1 presses to leave the worksheet.
    for _ in range(len(stops) - 1):
        page.keyboard.press("Shift+Tab")
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab")
        if focused(page)["action"] == "print":
            break
    page.keyboard.press("Enter")
    page.wait_for_function("window.__printCalls === 1")
    assert page.evaluate(UNANSWERED) == [], "printing keeps the answers"
