"""`psychoed build --portable`: each track's offline copy, a zip that works from file:// with no
server, search included, and loads nothing from any other place. The shared build makes the
offline copy of one track (PDF_TRACK); the other tracks are built as pages only, without one."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from browser_support import TRACKS, track_view
from conftest import PDF_TRACK, read_page
from generator.handout_names import handout_names
from test_browser_accessibility import search_for


def offline_zip(bundled_site, track_id: str):
    return bundled_site / "site" / track_id / "downloads" / f"{track_id}-offline.zip"


@pytest.mark.parametrize("track_id", [PDF_TRACK])
def test_home_page_links_the_offline_copy(bundled_site, track_id):
    home = read_page(bundled_site / "site" / track_id / "index.html")
    assert f'href="downloads/{track_id}-offline.zip"' in home.html
    assert "download a copy (ZIP)" in home.text
    with zipfile.ZipFile(offline_zip(bundled_site, track_id)) as archive:
        names = archive.namelist()
    assert all(name.startswith(f"{track_id}-offline/") for name in names), "one folder, named after the track"
    assert f"{track_id}-offline/index.html" in names
    assert f"{track_id}-offline/search/search_index.js" in names
    assert f"{track_id}-offline/assets/javascripts/psychoed-iframe-worker.js" in names
    assert any(name.startswith(f"{track_id}-offline/handouts/") for name in names)


@pytest.mark.parametrize("track_id", [PDF_TRACK])
def test_the_site_and_its_offline_copy_hold_the_rendered_pdfs_not_placeholders(bundled_site, track_id):
    """The pages build while the PDFs render, linking empty placeholders (sites.py); then each
    rendered PDF takes its placeholder's place in the published site, the engine project and
    the offline copy."""
    cache = bundled_site / "build" / track_id / "handouts"
    names = handout_names(track_view(track_id))
    for folder in (bundled_site / "site" / track_id / "handouts", bundled_site / "build" / track_id / "docs" / "handouts"):
        published = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))
        assert published == sorted(names), folder
        for name in names:
            data = (folder / name).read_bytes()
            assert data.startswith(b"%PDF-") and data == (cache / name).read_bytes(), f"{folder}/{name}"
    with zipfile.ZipFile(offline_zip(bundled_site, track_id)) as archive:
        zipped = {n.split("/handouts/", 1)[1]: archive.read(n) for n in archive.namelist()
                  if "/handouts/" in n and n.endswith(".pdf")}
    assert sorted(zipped) == sorted(names)
    assert all(zipped[name] == (cache / name).read_bytes() for name in names)


def test_a_track_built_as_pages_only_has_no_offline_copy_and_placeholder_pdfs(bundled_site):
    """The shared build's other tracks (`pages_only`): their pages link PDFs that exist but
    were not rendered, and no offline copy."""
    for track_id in (t for t in TRACKS if t != PDF_TRACK):
        home = read_page(bundled_site / "site" / track_id / "index.html")
        assert "-offline.zip" not in home.html and not offline_zip(bundled_site, track_id).exists()
        handbook = bundled_site / "site" / track_id / "handouts" / "handbook.pdf"
        assert handbook.is_file() and handbook.stat().st_size == 0
        assert not (bundled_site / "build" / track_id / "handouts" / "handbook.pdf").exists(), "nothing rendered"


@pytest.mark.parametrize("track_id", [PDF_TRACK])
def test_offline_copy_works_from_file_urls_with_search(search_tab, bundled_site, tmp_path, track_id):
    with zipfile.ZipFile(offline_zip(bundled_site, track_id)) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / f"{track_id}-offline"
    html = "\n".join(path.read_text(encoding="utf-8") for path in folder.rglob("*.html"))
    assert "unpkg" not in html and "<script src=\"http" not in html

    page = search_tab.page
    page.goto((folder / "index.html").as_uri())
    expect(page.locator(".psy-crisis")).to_be_visible()
    module = track_view(track_id).weeks[1].sessions[0].module
    search_for(page, module.title)
    result = page.locator(f'a.md-search-result__link[href*="/modules/{module.family}/{module.id}.html"]').first
    expect(result).to_contain_text(module.title)
    result.click()
    expect(page.locator("h1")).to_have_text(module.title)
    assert page.url.startswith(folder.as_uri())

    page.goto((folder / "worksheets" / f"{next(iter(track_view(track_id).worksheets))}.html").as_uri())
    expect(page.locator("[data-psy-controls]")).to_be_visible()
    assert search_tab.requests.urls and search_tab.requests.not_from(folder.as_uri() + "/") == []
