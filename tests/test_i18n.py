"""One site per language: Psychoed's own words from per-language catalogues, the Spanish edition
of a track built with the real MkDocs at OUT/es/<track>/, its PDFs, its crisis help, the language
selector and the hub, and the Spanish pages in headless Chromium (axe, search)."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from playwright.sync_api import expect
from pypdf import PdfReader

from browser_support import SiteServer, axe_violations, describe
from conftest import BUNDLED, MINI, read_page, with_pdf_cache_of
from generator import locales
from generator.build import BuildPaths, build
from generator.cli import main
from generator.handouts import HandoutBatch, refresh_handouts
from generator.load import load_curriculum
from generator.locales import LocaleError, catalogue
from generator.print_html import handout_documents
from generator.tailor import tailor
from generator.translations.translate import translate
from page_fill import page_fills
from test_browser_accessibility import search_for

PLACEHOLDER = re.compile(r"\{\w+\}")
WORDS_ES = catalogue("es")

# The Spanish crisis words of the fixture's program.es.yml (the bundled one says the same of 988).
PROGRAM_ES = """\
crisis:
  - name: Línea 988 de Prevención del Suicidio y Crisis
    contact: Llame al 988 y oprima 2, o envíe AYUDA por mensaje de texto al 988
    how: llame al 988 y oprima 2, o envíe AYUDA por mensaje de texto al 988
    sms_body: AYUDA
  - name: Servicios de emergencia
    contact: Llame al 911
    how: llame al 911
"""


# --- the catalogues ----------------------------------------------------------------------------

def test_spanish_catalogue_has_every_english_key_with_the_same_placeholders():
    english, spanish = catalogue("en").words, catalogue("es").words
    assert set(spanish) == set(english)
    different = {key for key in english if set(PLACEHOLDER.findall(english[key])) != set(PLACEHOLDER.findall(spanish[key]))}
    assert not different, f"placeholders differ in: {sorted(different)}"


def test_a_catalogue_missing_a_key_stops_the_build(tmp_path, monkeypatch):
    shutil.copy(locales.LOCALES / "en.yml", tmp_path / "en.yml")
    spanish = yaml.safe_load((locales.LOCALES / "es.yml").read_text(encoding="utf-8"))
    del spanish["crisis.title"]
    (tmp_path / "es.yml").write_text(yaml.safe_dump(spanish, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(locales, "LOCALES", tmp_path)
    catalogue.cache_clear()
    try:
        with pytest.raises(LocaleError, match="crisis.title"):
            catalogue("es")
    finally:
        catalogue.cache_clear()


def test_text_fills_placeholders_and_refuses_unknown_keys():
    words = catalogue("es")
    assert words.text("weeks.week_n", n=3) == "Semana 3"
    with pytest.raises(LocaleError):
        words.text("no.such.key")
    with pytest.raises(LocaleError):
        words.text("weeks.week_n")


# --- the Spanish edition, built once ------------------------------------------------------------

@pytest.fixture(scope="module")
def bilingual(tmp_path_factory, built_mini) -> Path:
    """The mini curriculum with `translations: {es: {tracks: [alpha], fallback: true}}` (no content
    overlays: the author text stays English), a dated alpha track and Spanish crisis help, built
    with MkDocs from the shared build's PDF cache; returns the published site folder."""
    work = tmp_path_factory.mktemp("bilingual")
    with_pdf_cache_of(built_mini / "build", work / "build")  # the PDFs the changes leave alone are not rendered again
    curriculum = work / "curriculum"
    shutil.copytree(MINI, curriculum)
    with (curriculum / "program.yml").open("a", encoding="utf-8") as program:
        program.write("translations:\n  es:\n    tracks: [alpha]\n    fallback: true\n")
    (curriculum / "program.es.yml").write_text(PROGRAM_ES, encoding="utf-8")
    track = curriculum / "tracks" / "alpha.yml"
    track.write_text(track.read_text(encoding="utf-8") + "meeting_days: [Mon, Wed]\nstart: 2027-01-11\n",
                     encoding="utf-8")
    code = main(["build", "--curriculum", str(curriculum), "--out", str(work / "site"),
                 "--build-dir", str(work / "build")])
    assert code == 0
    return work / "site"


@functools.cache
def curriculum_texts() -> list[str]:
    """Every string of the mini curriculum, longest first (author text may be in English on a
    Spanish page until the content translation is applied)."""
    found: set[str] = set()

    def walk(data):
        if isinstance(data, str) and not re.fullmatch(r"[a-z0-9-]*", data):  # not ids or enum values
            found.add(" ".join(data.split()))
        elif isinstance(data, dict):
            for value in data.values():
                walk(value)
        elif isinstance(data, list):
            for item in data:
                walk(item)

    curriculum = load_curriculum(MINI)
    walk(curriculum.program.model_dump(mode="json"))
    for items in (curriculum.tracks, curriculum.modules, curriculum.worksheets):
        for item in items.values():
            walk(item.model_dump(mode="json"))
    for track_id in curriculum.tracks:
        view = tailor(curriculum, track_id)
        for item in [*view.modules.values(), *view.worksheets.values()]:
            walk(item.model_dump(mode="json"))
    return sorted(found - {""}, key=len, reverse=True)


def english_interface_phrases() -> list[str]:
    """The English catalogue's words that Spanish says differently, cut at placeholders into the
    fixed pieces a page would show (pieces of one short word are too common to tell apart)."""
    english, spanish = catalogue("en").words, catalogue("es").words
    phrases = set()
    for key, value in english.items():
        if value == spanish[key] or key.startswith("language."):
            continue
        for piece in PLACEHOLDER.split(value):
            piece = piece.strip(" ,.:;()")
            if len(piece.split()) >= 2 or (len(piece) >= 4 and piece[:1].isupper()):
                phrases.add(piece)
    return sorted(phrases)


def without_curriculum_text(text: str) -> str:
    for piece in curriculum_texts():
        text = text.replace(piece, " ")
    return text


def english_found(text: str) -> list[str]:
    text = without_curriculum_text(" ".join(text.split()))
    return [p for p in english_interface_phrases() if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]


def page_words(html_file: Path) -> str:
    """A page's visible text plus the words of its labels (aria-label, title, alt, data-psy-*)."""
    page = read_page(html_file)
    attributes = re.findall(r'(?:aria-label|title|alt|data-psy-[a-z-]+)="([^"]*)"', page.html)
    return page.text + " " + " ".join(attributes)


def test_every_spanish_page_says_lang_es_and_every_english_page_lang_en(bilingual):
    spanish = sorted((bilingual / "es").rglob("*.html"))
    assert len(spanish) > 10
    for page in spanish:
        assert re.search(r'<html lang="es"', page.read_text(encoding="utf-8")), page
    for page in sorted((bilingual / "alpha").rglob("*.html")):
        assert re.search(r'<html lang="en"', page.read_text(encoding="utf-8")), page


def test_no_english_interface_words_on_spanish_pages(bilingual):
    # The check itself finds them: the English track's pages are full of them.
    assert "Need help now?" in english_found(page_words(bilingual / "alpha" / "index.html"))
    found = {str(page.relative_to(bilingual)): english_found(page_words(page))
             for page in sorted((bilingual / "es").rglob("*.html"))}
    assert not {page: words for page, words in found.items() if words}


def test_spanish_pages_show_spanish_dates_and_crisis_help(bilingual):
    home = read_page(bilingual / "es" / "alpha" / "index.html")
    assert "La semana 1 empieza el lunes 11 de enero de 2027." in home.text
    assert "¿Necesita ayuda ahora?" in home.text
    assert re.search(r'<a class="psy-crisis__action" href="sms:988\?body=AYUDA">Enviar AYUDA al 988</a>', home.html)
    assert "Línea 988 de Prevención del Suicidio y Crisis" in home.text
    schedule = read_page(bilingual / "es" / "alpha" / "schedule" / "index.html")
    assert "del 11 al 17 de enero de 2027" in schedule.text
    english = read_page(bilingual / "alpha" / "index.html")
    assert '<a class="psy-crisis__action" href="sms:988">Text 988</a>' in english.html
    assert "Week 1 starts on Monday, January 11, 2027." in english.text


def test_language_selector_links_each_track_to_its_other_language(bilingual):
    def selector(page: Path) -> dict[str, Path]:
        links = re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"', page.read_text("utf-8"))
        base = page.relative_to(bilingual).as_posix()
        return {lang: Path(urljoin(base, href)) for href, lang in links}

    assert selector(bilingual / "alpha" / "index.html") == {"en": Path("alpha"), "es": Path("es/alpha")}
    assert selector(bilingual / "es" / "alpha" / "index.html") == {"en": Path("alpha"), "es": Path("es/alpha")}
    module = next((bilingual / "es" / "alpha" / "modules").rglob("index.html"))
    assert selector(module)["en"] == Path("alpha")
    assert "md-select__link" not in (bilingual / "beta" / "index.html").read_text("utf-8")  # English only


def test_each_hub_offers_both_languages(bilingual):
    english = read_page(bilingual / "index.html")
    assert '<html lang="en">' in english.html
    assert re.search(r'<section lang="es"[^>]*>', english.html)
    assert re.search(r'href="es/alpha/" hreflang="es"', english.html)
    assert 'href="es/beta/"' not in english.html
    spanish = read_page(bilingual / "es" / "index.html")
    assert '<html lang="es">' in spanish.html
    assert "Elija su grupo" in spanish.text and 'href="alpha/"' in spanish.html
    assert re.search(r'href="\.\./alpha/" hreflang="en"', spanish.html)
    assert re.search(r'href="\.\./beta/" hreflang="en"', spanish.html)
    assert not english_found(spanish.text.split("In English")[0])


def test_spanish_pdfs_are_tagged_spanish_and_have_no_english_interface_words(bilingual):
    handouts = bilingual / "es" / "alpha" / "handouts"
    for name in ("handbook.pdf", "week-01.pdf", "facilitator-week-01.pdf"):
        reader = PdfReader(handouts / name)
        assert reader.trailer["/Root"]["/Lang"] == "es"
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Página 1 de" in text and "¿Necesita ayuda ahora?" in text
        assert not english_found(text), name
    english = PdfReader(bilingual / "alpha" / "handouts" / "handbook.pdf")
    assert english.trailer["/Root"]["/Lang"] == "en"
    english_text = " ".join(page.extract_text() for page in english.pages)
    assert "Page 2 of" in english_text and "Need help now?" in english_found(english_text)


# --- in the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bilingual_server(bilingual):
    server = SiteServer(bilingual)
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["es/alpha/", "es/alpha/worksheets/log/", "es/"])
def test_spanish_pages_have_no_axe_violations(viewing_tab, bilingual_server, path):
    page = viewing_tab.page
    response = page.goto(bilingual_server.url(path))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "es"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_search_in_spanish_finds_a_spanish_word(search_tab, bilingual_server):
    page = search_tab.page
    page.goto(bilingual_server.url("es/alpha/"))
    expect(page.locator(".md-search__input")).to_have_attribute("placeholder", "Búsqueda")
    search_for(page, "calendario")
    expect(page.locator('a.md-search-result__link[href*="schedule/"]').first).to_be_attached()


def test_zensical_renders_the_spanish_theme_words(bilingual, tmp_path):
    """Zensical renders the theme with minijinja, which calls no Python methods: the words come to
    its templates as a mapping. The PDFs come from the MkDocs build's cache."""
    shutil.copytree(bilingual.parent / "build", tmp_path / "build")
    code = main(["build", "--engine", "zensical", "--curriculum", str(bilingual.parent / "curriculum"),
                 "--out", str(tmp_path / "site"), "--build-dir", str(tmp_path / "build")])
    assert code == 0
    spanish = tmp_path / "site" / "es" / "alpha"
    home = read_page(spanish / "index.html")
    assert '<html lang="es"' in home.html and "¿Necesita ayuda ahora?" in home.text
    assert '<a class="psy-crisis__action" href="sms:988?body=AYUDA">Enviar AYUDA al 988</a>' in home.html
    assert re.search(r'<a href="\.\./\.\./alpha/" hreflang="en" class="md-select__link"', home.html)
    found = {str(page.relative_to(spanish)): english_found(page_words(page)) for page in sorted(spanish.rglob("*.html"))}
    assert not {page: words for page, words in found.items() if words}


def test_check_reports_translation_problems_at_their_lines(psychoed, mini):
    with (mini / "program.yml").open("a", encoding="utf-8") as program:
        program.write("translations:\n  es:\n    tracks: [alpah]\n  xx:\n    tracks: [alpha]\n")
    (mini / "program.es.yml").write_text(PROGRAM_ES.replace("how: llame al 911", "how: Llame al 911"),
                                         encoding="utf-8")
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1
    lines = (mini / "program.yml").read_text(encoding="utf-8").splitlines()
    track_line = next(i for i, line in enumerate(lines, 1) if "alpah" in line)
    assert re.search(rf"program\.yml:{track_line}:\d+: error: unknown track `alpah` — did you mean `alpha`\?", run.out)
    assert re.search(r"program\.yml:\d+:\d+: error: Psychoed cannot publish in `xx`", run.out)
    assert re.search(r"program\.es\.yml:8:\d+: error: `crisis\[1\]\.how` is not valid", run.out)


def test_bundled_spanish_packets_fit_their_pages_and_say_the_translation_awaits_review(tmp_path):
    """The bundled Spanish edition's first week packet and its longest family packet, made as a
    build makes them (pieces rendered, then assembled): Spanish text runs longer than English, and
    still no page is left nearly empty; each item awaiting clinical review says so in print."""
    translation = translate(load_curriculum(BUNDLED), "es")
    view = tailor(translation.curriculum, "addiction")
    wanted = ("week-01.pdf", "week-07-families.pdf")
    documents = tuple(d for d in handout_documents(view, translation=translation) if d.name in wanted)
    batch = HandoutBatch(documents, tmp_path / "handouts", complete=False)
    refresh_handouts([batch])
    awaits_review = WORDS_ES.text("translation.awaits_review")
    for name in wanted:
        reader = PdfReader(batch.folder / name)
        assert reader.trailer["/Root"]["/Lang"] == "es"
        first = " ".join(reader.pages[0].extract_text().split())
        assert awaits_review in first and f"Página 1 de {len(reader.pages)}" in first, name
        fills = page_fills(batch.folder / name)
        assert [n for n, fill in enumerate(fills, 1) if n > 1 and fill.nearly_empty] == [], name
    handout = " ".join(PdfReader(batch.folder / "week-01.pdf").pages[1].extract_text().split())
    assert view.weeks[0].sessions[0].module.title.split()[0] in handout and awaits_review in handout


def test_a_deleted_language_folder_is_built_again_and_nothing_else(bilingual, tmp_path):
    """The build record names each track's folder in every language: with es/alpha/ gone, the
    next build is not a no-op; it builds alpha (both languages) and leaves beta as it was."""
    work = tmp_path / "work"
    shutil.copytree(bilingual.parent, work)
    paths = BuildPaths(work / "curriculum", work / "site", work / "build")
    build(paths)  # the copy's new place is a new output folder: one build records it
    assert build(paths).noop
    shutil.rmtree(work / "site" / "es" / "alpha")
    again = build(paths)
    assert not again.noop and again.tracks == ["alpha"] and again.up_to_date == ("beta",)
    assert set(again.engine_builds) == {"alpha", "es/alpha"}
    assert (work / "site" / "es" / "alpha" / "index.html").is_file()
    assert build(paths).noop


def test_the_spanish_404_page_links_its_own_edition(bilingual):
    """A 404 page's links are absolute (it answers at any depth): the Spanish track's lead to
    /es/alpha/ and its hub to the Spanish hub, not to the English track's."""
    page = read_page(bilingual / "es" / "alpha" / "404.html")
    local = [a for a in page.assets if not a.startswith(("http:", "https:", "data:"))]
    assert local and all(a.startswith("/es/alpha/") for a in local), local
    assert re.search(r'href="/es/alpha/\.\./index\.html"', page.html)
    assert "¿Necesita ayuda ahora?" in page.text
