"""Finding your place, in headless Chromium: this week from the reader's clock, previous / next in
schedule order, the way back to the hub, and pages that fit a phone and a desktop.

The mini fixture is built once with dates on track `alpha` (Mondays and Thursdays from
2027-01-11) and a link between modules; track `beta` keeps rolling admission. The bundled
build (shared with the other browser tests) checks the real schedules and worksheets.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from browser_support import (PHONE, TRACKS, SiteServer, page_types, sideways_scrolling, track_view,
                             worksheets_spread_over_tracks)
from conftest import DESKTOP, MINI, with_pdf_cache_of
from generator.cli import main
from generator.wayfinding import in_schedule_order

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="session")
def dated_site(tmp_path_factory, built_mini) -> Iterator[SiteServer]:
    work = tmp_path_factory.mktemp("dated")
    with_pdf_cache_of(built_mini / "build", work / "build")  # the PDFs the dates leave alone are not rendered again
    curriculum = work / "curriculum"
    shutil.copytree(MINI, curriculum)
    _replace(curriculum / "tracks" / "alpha.yml", "weeks:", "start: 2027-01-11\nmeeting_days: [Mon, Thu]\nweeks:")
    _replace(curriculum / "modules" / "skills" / "breathing.yml", "Slow breathing helps with {{ track.vars.condition }}.",
             "Slow breathing helps. Families can read [Talking together](module:talking).")
    assert main(["build", "--curriculum", str(curriculum), "--out", str(work / "site"),
                 "--build-dir", str(work / "build")]) == 0
    server = SiteServer(work / "site")
    yield server
    server.stop()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def open_on(open_tab, viewport: dict[str, int], day: str) -> Page:
    """A tab whose clock reads `day` (10 in the morning, the reader's own time zone)."""
    page = open_tab(viewport).page
    page.clock.set_fixed_time(f"{day}T10:00:00")
    return page


# --- this week, from the reader's clock -----------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_a_dated_track_highlights_this_week_and_shows_it_first(open_tab, dated_site, width):
    page = open_on(open_tab, WIDTHS[width], "2027-01-20")  # a Wednesday of week 2
    page.goto(dated_site.url("alpha/"))
    first = page.locator(".psy-this-week")
    expect(first).to_be_visible()
    expect(first).to_contain_text("Week 2: Second week")
    expect(first).to_contain_text("Monday, January 18")
    assert first.evaluate("box => box.getBoundingClientRect().top") < \
        page.get_by_role("heading", name="How to use this site").evaluate("h => h.getBoundingClientRect().top")
    now = page.locator(".psy-week--now")
    expect(now).to_have_count(1)
    expect(now).to_contain_text("Week 2: Second week")
    expect(now.locator(".psy-week__now")).to_have_text("This week")
    expect(page.locator(".psy-starts")).to_be_hidden()

    page.goto(dated_site.url("alpha/schedule/"))
    expect(page.locator(".psy-week--now h2")).to_have_text("Week 2: Second week This week")
    expect(page.locator(".psy-week").first).to_contain_text("January 11 to 17, 2027")
    expect(page.locator(".psy-week").first).to_contain_text("Thursday, January 14: Talking together")
    assert page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]


def test_before_the_start_the_home_page_says_when_it_starts(open_tab, dated_site):
    page = open_on(open_tab, PHONE, "2027-01-04")
    page.goto(dated_site.url("alpha/"))
    expect(page.locator(".psy-starts")).to_have_text("Your group starts on Monday, January 11, 2027.")
    expect(page.locator(".psy-this-week")).to_be_hidden()
    expect(page.locator(".psy-week--now")).to_have_count(0)


def test_a_rolling_track_has_no_dates_and_no_this_week(open_tab, dated_site):
    page = open_on(open_tab, DESKTOP, "2027-01-20")
    page.goto(dated_site.url("beta/"))
    expect(page.locator("article")).to_contain_text("Your week 1 is the week you join the group.")
    expect(page.locator(".psy-this-week, .psy-week--now")).to_have_count(0)


# --- where am I: module links, previous / next, menus ----------------------------------------

def test_a_module_link_goes_to_this_tracks_page_or_stays_words(viewing_tab, dated_site):
    page = viewing_tab.page
    page.goto(dated_site.url("alpha/modules/skills/breathing/"))
    expect(page.locator(".psy-where")).to_contain_text("Week 1, session 1 (Monday, January 11, 2027); "
                                                       "Week 2, session 1 (Monday, January 18, 2027)")
    page.get_by_role("article").get_by_role("link", name="Talking together").click()
    expect(page).to_have_url(dated_site.url("alpha/modules/family-education/talking/"))
    page.goto(dated_site.url("beta/modules/skills/breathing/"))
    expect(page.locator("article")).to_contain_text("Families can read Talking together.")
    expect(page.get_by_role("article").get_by_role("link", name="Talking together")).to_have_count(0)


# Every track's order is test_nav's (from the built pages' neighbours); here a reader clicks along one.
@pytest.mark.parametrize("track_id", TRACKS[:1])
def test_next_links_walk_the_schedule_and_the_menu_has_no_facilitator_guide(viewing_tab, site_server, track_id):
    view = track_view(track_id)
    first = next(s.module for s in view.sessions() if not view.for_families(s.module))
    expected = in_schedule_order(view, first)[:4]
    page = viewing_tab.page
    page.goto(site_server.url(f"{track_id}/modules/{first.family}/{first.id}/"))
    expect(page.locator(".psy-pager a.psy-pager__previous")).to_have_count(0)
    for module in expected[1:]:
        page.locator(".psy-pager a.psy-pager__next").click()
        expect(page).to_have_url(site_server.url(f"{track_id}/modules/{module.family}/{module.id}/"))
        expect(page.locator("h1")).to_have_text(module.title)
    page.locator(".psy-pager a.psy-pager__previous").click()
    expect(page.locator("h1")).to_have_text(expected[-2].title)

    menu = page.locator(".md-sidebar--primary .md-nav__link")
    assert not [href for href in menu.evaluate_all("links => links.map(a => a.href || '')") if "/facilitator/" in href]
    expect(page.locator(".md-sidebar--primary")).to_contain_text("Week 1")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="facilitator guide")).to_have_attribute(
        "href", "../../../facilitator/")


# --- the way back to the hub and the other tracks ---------------------------------------------

# One footer template serves every page: a page at each depth, and the 404 page (absolute links),
# the kinds dealt out over the tracks in turn, so that each track's list of the others is seen too.
FOOTER_KINDS = ("home", "schedule", "module", "facilitator week", "404")
FOOTER_PAGES = [(TRACKS[index % len(TRACKS)], kind) for index, kind in enumerate(FOOTER_KINDS)]


def test_every_track_page_reaches_the_hub_and_the_other_tracks(viewing_tab, site_server):
    page = viewing_tab.page
    for track_id, kind in FOOTER_PAGES:
        program = track_view(track_id).program
        page.goto(site_server.url(page_types(track_id)[kind]))
        footer = page.get_by_role("contentinfo")
        expect(footer).to_contain_text(" ".join(program.disclaimer.split()))  # inside the landmark
        hub = footer.get_by_role("link", name=f"All groups of {program.name}")
        assert hub.evaluate("a => a.href") == site_server.url("index.html"), (track_id, kind)
        others = footer.locator(".psy-tracks a:not([data-psy-hub])").evaluate_all("links => links.map(a => a.href)")
        assert others == [site_server.url(f"{t}/") for t in TRACKS if t != track_id], (track_id, kind)
    hub.click()
    expect(page.get_by_role("heading", name="Choose your group")).to_be_visible()


# --- layout: nothing scrolls sideways, worksheet tables become cards on a phone -----------------

@pytest.mark.parametrize("width", WIDTHS)
def test_no_element_scrolls_sideways(viewing_tab, dated_site, site_server, width):
    page = viewing_tab.page
    page.set_viewport_size(WIDTHS[width])
    mini_pages = [dated_site.url(f"alpha/{p}") for p in ("", "schedule/", "modules/skills/breathing/",
                                                         "worksheets/log/", "families/", "topics/")]
    # On a phone, test_browser_site's phone test opens every kind of bundled page and every
    # worksheet (the worksheets' elements too); on a desktop, the worksheets with tables, the widest.
    table_worksheets = [site_server.url(f"{t}/worksheets/{w}/") for t, w in worksheets_spread_over_tracks()
                        if any(f.type == "table" for f in track_view(t).worksheets[w].fields)]
    assert table_worksheets, "the bundled curriculum has worksheets with tables"
    wide = {}
    for url in mini_pages + (table_worksheets if width == "desktop" else []):
        page.goto(url)
        if scrolling := sideways_scrolling(page):
            wide[url] = scrolling
    assert wide == {}


def test_on_a_phone_a_worksheet_table_is_one_card_per_row_and_prints_as_a_table(viewing_tab, dated_site):
    page = viewing_tab.page
    page.set_viewport_size(PHONE)
    page.goto(dated_site.url("alpha/worksheets/log/"))
    row = page.locator(".psy-table tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    expect(row.locator(".psy-table__cell-label").first).to_be_visible()
    expect(row.locator(".psy-table__cell-label").first).to_have_text("Day")
    expect(page.locator(".psy-table thead")).not_to_be_in_viewport()
    expect(page.get_by_role("textbox", name="Day, row 1")).to_be_visible()
    page.emulate_media(media="print")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "table-row"
    expect(row.locator(".psy-table__cell-label").first).to_be_hidden()


def test_on_a_phone_the_header_keeps_the_track_and_the_main_message_stands_out(viewing_tab, dated_site):
    page = viewing_tab.page
    page.set_viewport_size(PHONE)
    page.goto(dated_site.url("alpha/modules/skills/breathing/"))
    title = page.locator(".md-header__topic").first
    expect(title).to_contain_text("Alpha")
    assert title.evaluate("t => t.getBoundingClientRect().right") <= PHONE["width"]
    expect(page.locator(".psy-crisis")).to_be_in_viewport()
    page.mouse.wheel(0, 600)
    expect(title).to_be_visible()
    size = "element => parseFloat(getComputedStyle(element).fontSize)"
    message = page.locator(".psy-main-message p:not(.admonition-title)")
    body = page.locator("article p").filter(has_text="Slow breathing helps.")
    assert message.evaluate(size) > body.evaluate(size)
