"""Curriculum text is untrusted (issue 13): every route of the security probe, in layers.

1. `check` refuses each reproducer where it is written (YAML tags, template code, attribute
   lists, script links in any spelling, images, markup brought in by values, names and titles
   that would break out of the theme's HTML).
2. With those text checks switched off — as if a route got past them — one hostile build of the
   mini curriculum (real MkDocs, real WeasyPrint) still runs no script and loads nothing from
   anywhere else in Chromium (sanitizer, escaping of config values, Content-Security-Policy), and
   its PDFs make no request and read no file (URL fetcher) and keep the crisis line on every page
   (CSS escaping).
"""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from browser_support import SiteServer, stub_print
from conftest import MINI, with_pdf_cache_of
from generator import check, load, tailor
from generator.cli import main
from generator.handouts import write_pdf
from generator.print_safety import css_string
from generator.sanitize import clean_page_html

# --- layer 1: `check` refuses each route at its line ----------------------------------------

BODY = "      Slow breathing helps with {{ track.vars.condition }}."


@dataclass(frozen=True)
class Route:
    name: str
    file: str  # under the curriculum folder
    old: str
    new: str
    message: str  # part of the diagnostic
    marker: str  # text on the line the diagnostic must name


ROUTES = [
    Route("binary tag", "program.yml", "name: Test Program", "name: !!binary PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
          "explicit YAML tag `!!binary` is not allowed", "!!binary"),
    Route("str tag", "worksheets/log.yml", "title: Practice log", "title: !!str Practice log",
          "explicit YAML tag `!!str` is not allowed", "!!str"),
    Route("local tag", "tracks/alpha.yml", "summary: The alpha track.", "summary: !custom x",
          "explicit YAML tag `!custom` is not allowed", "!custom"),
    Route("python tag", "tracks/alpha.yml", "summary: The alpha track.", "summary: !!python/object/apply:os.system [id]",
          "explicit YAML tag `!!python/object/apply:os.system`", "!!python"),
    Route("quote in a track title", "tracks/alpha.yml", "title: Alpha",
          """title: 'Alpha" onfocus="alert(1)" autofocus="'""", '`"` is not allowed in a title', "onfocus"),
    Route("markup built with a template literal", "modules/skills/breathing.yml", "title: Breathing",
          """title: "{{ '<' }}img src=x onerror=alert(1)>\"""", "not allowed", "onerror"),
    Route("style break-out in the program name", "program.yml", "name: Test Program", "name: Test </style Program",
          "`<` is not allowed in a name", "</style"),
    Route("character reference in a title", "worksheets/log.yml", "title: Practice log", "title: Log &lt;b&gt;",
          "`&` is not allowed in a title", "&lt;"),
    Route("template loop", "modules/skills/breathing.yml", BODY, "      {% for i in range(1000000000) %}x{% endfor %}",
          "template blocks", "{% for"),
    Route("huge literal", "modules/skills/breathing.yml", BODY, "      {{ 'x' * 3000000000 }}", "a literal", "3000000000"),
    Route("call", "modules/skills/breathing.yml", BODY, "      {{ lipsum(100000) }}", "a call", "lipsum"),
    Route("filter", "modules/skills/breathing.yml", BODY, "      {{ track.title | upper }}", "a filter", "upper"),
    Route("attribute list", "modules/skills/breathing.yml", BODY, '      Slow breathing.\n      {: onclick="alert(1)" }',
          "attribute list", "onclick"),
    Route("attribute list setting a link", "tracks/alpha.yml", "summary: The alpha track.",
          "summary: The alpha track.\nwelcome: |\n  [home](#)\n  {: href=\"javascript:alert(1)\" }", "attribute list",
          "javascript"),
    Route("reference-style script link", "modules/skills/breathing.yml", BODY,
          "      Read [this][r].\n\n      [r]: javascript:alert(1)", "links may only point", "[r]: javascript"),
    Route("entity-encoded script link", "worksheets/log.yml", "instructions: Write down when you practised.",
          "instructions: '[Click](&#106;avascript:alert(1))'", "links may only point", "&#106;"),
    Route("file link", "modules/skills/breathing.yml", BODY, "      [secret](file:///etc/passwd)",
          "links may only point", "file:"),
    Route("tracking pixel", "modules/skills/breathing.yml", BODY, "      ![x](https://tracker.example/p.gif)",
          "images are not allowed", "tracker"),
    Route("markup brought by a value", "tracks/alpha.yml", "  condition: alpha-condition",
          '  condition: "<img src=x onerror=alert(1)"\n  end: ">"', "with its values put in", "track.vars.condition"),
]


def _apply(curriculum: Path, route: Route) -> None:
    target = curriculum / route.file
    text = target.read_text(encoding="utf-8")
    assert route.old in text, f"fixture changed: {route.old!r} not in {route.file}"
    target.write_text(text.replace(route.old, route.new, 1), encoding="utf-8")


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_check_refuses_the_route_where_it_is_written(psychoed, mini, route):
    if route.name == "markup brought by a value":  # the value alone is fine; the text using it is not
        _apply(mini, Route("", "modules/skills/breathing.yml", BODY,
                           "      Slow breathing helps with {{ track.vars.condition }}{{ track.vars.end }}.", "", ""))
    _apply(mini, route)
    run = psychoed("check", "--curriculum", mini)
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err and "internal error" not in run.out + run.err
    found = [line for line in (run.out + run.err).splitlines() if route.message in line]
    assert found, f"no diagnostic says {route.message!r}:\n{run.out}{run.err}"
    written = (mini / route.file).read_text(encoding="utf-8").splitlines()
    shown = [line for line in found if line.startswith(f"curriculum/{route.file}:")]
    if route.name == "markup brought by a value":  # reported at the text that uses the value
        written = (mini / "modules/skills/breathing.yml").read_text(encoding="utf-8").splitlines()
        shown = [line for line in found if line.startswith("curriculum/modules/skills/breathing.yml:")]
    assert shown, found
    line_number = int(shown[0].split(":")[1])
    assert route.marker in written[line_number - 1] or route.marker in "\n".join(written[line_number - 1:line_number + 2])


# --- layer 2: the hostile build, with the text checks switched off ---------------------------

SECRET = "SECRET-FILE-MARKER-7c1f"
CRISIS = "988 Suicide & Crisis Lifeline"


class _Logger(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class HostileBuild:
    site: Path
    build: Path
    hits: list[str] = field(default_factory=list)  # requests the logging server received


def _hostile_texts(log_url: str, secret_file: Path) -> dict[str, list[tuple[str, str]]]:
    """The probe's payloads, put into every kind of text of the mini curriculum."""
    body = "\n".join([
        "      Paragraph with handlers.",
        '      {: onclick="alert(\'attr-list\')" style="color:red" id="x" }',
        "",
        "      A [reference link][r], an [entity link](&#106;avascript:alert('entity')),",
        "      a [tab link](java&#9;script:alert('tab')), [data](data:text/html,<b>x</b>) and",
        "      [attr](#){: href=\"javascript:alert('attr-href')\" onmouseover=\"alert('hover')\" }.",
        f"      ![pixel]({log_url}/site-pixel.png) ![local](file://{secret_file}) ![far](//tracker.example/p.gif)",
        "",
        "      [r]: javascript:alert('reference')",
    ])
    return {
        "program.yml": [
            ("name: Test Program", f"name: 'Test \"Program\" </style><img src={log_url}/css-breakout.png>'"),
            ("organization: Test Clinic", "organization: 'Clinic\" onfocus=\"alert(`org`)\" autofocus=\"'"),
            ("skills: {title: Skills}", "skills: {title: \"Skills<img src=x onerror=alert('family')>\"}"),
        ],
        "tracks/alpha.yml": [
            ("title: Alpha", "title: 'Alpha\" onfocus=\"alert(`title`)\" autofocus=\"'"),
            ("summary: The alpha track.", "summary: 'Sum\" onmouseover=\"alert(`summary`)'\n"
             "welcome: |\n  Welcome.\n  {: onclick=\"alert('welcome')\" }\n\n  [w](javascript:alert('welcome-link'))"),
            ("  condition: alpha-condition", "  condition: alpha-condition\n  lt: '<'"),
            ("  - title: First week", "  - title: \"First {{ track.vars.lt }}img src=x onerror=alert('week')>\""),
        ],
        "tracks/beta.yml": [("  condition: beta-condition", "  condition: beta-condition\n  lt: '<'")],
        "modules/skills/breathing.yml": [
            ("title: Breathing", "title: \"</title><script>alert('module-title')</script>{{ track.vars.lt }}img src=x>\""),
            (BODY, body),
            ("  notes: FACILITATOR-ONLY-NOTES-MARKER", "  notes: |\n" + body.replace("      ", "    ")),
        ],
        "worksheets/log.yml": [
            ("title: Practice log", "title: 'Log\" onfocus=\"alert(`worksheet`)\" autofocus=\"'"),
            ("instructions: Write down when you practised.", "instructions: |\n" + body.replace("      ", "  ")),
        ],
    }


def _switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The author-facing text checks, off: what follows must hold without them."""
    monkeypatch.setattr(load, "markup_problems", lambda text: iter(()))
    monkeypatch.setattr(load, "plain_value_problem", lambda key, text: None)
    monkeypatch.setattr(tailor, "first_markup_problem", lambda text: None)
    monkeypatch.setattr(tailor, "plain_value_problem", lambda key, text: None)
    monkeypatch.setattr(check, "link_problems", lambda curriculum: iter(()))


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory, built_mini) -> Iterator[HostileBuild]:
    work = tmp_path_factory.mktemp("hostile")
    with_pdf_cache_of(built_mini / "build", work / "build")  # PDFs the payloads leave alone are not rendered again
    secret_file = work / "secret.svg"
    secret_file.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
                           f'<text x="0" y="30">{SECRET}</text></svg>', encoding="utf-8")
    logger = ThreadingHTTPServer(("127.0.0.1", 0), _Logger)
    logger.hits = []  # type: ignore[attr-defined]
    threading.Thread(target=logger.serve_forever, daemon=True).start()
    log_url = f"http://127.0.0.1:{logger.server_address[1]}"

    curriculum = work / "curriculum"
    shutil.copytree(MINI, curriculum)
    for name, replacements in _hostile_texts(log_url, secret_file).items():
        target = curriculum / name
        text = target.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"fixture changed: {old!r} not in {name}"
            text = text.replace(old, new, 1)
        target.write_text(text, encoding="utf-8")

    result = HostileBuild(work / "site", work / "build", logger.hits)  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as monkeypatch:
        _switched_off(monkeypatch)
        code = main(["build", "--curriculum", str(curriculum), "--out", str(result.site),
                     "--build-dir", str(result.build), "--track", "alpha"])
    assert code == 0, "the hostile curriculum must build with the text checks off"
    yield result
    logger.shutdown()
    logger.server_close()


@pytest.fixture(scope="session")
def hostile_server(hostile_build) -> Iterator[SiteServer]:
    server = SiteServer(hostile_build.site)
    yield server
    server.stop()


HOSTILE_PAGES = ["", "alpha/", "alpha/schedule/", "alpha/modules/skills/breathing/", "alpha/worksheets/log/",
                 "alpha/families/", "alpha/facilitator/week-01/", "alpha/resources/", "alpha/no-such-page/"]

# Anything on the page that could run script or reach elsewhere: handlers, script links, foreign
# images, inline style attributes in the content.
_PAGE_AUDIT = """() => {
  const handlers = [...document.querySelectorAll('*')].flatMap(el =>
      [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name));
  const links = [...document.querySelectorAll('a[href]')].filter(a =>
      !['https:', 'mailto:', 'tel:', 'sms:'].includes(a.protocol) && a.origin !== location.origin)
      .map(a => a.getAttribute('href'));
  const images = [...document.querySelectorAll('img')].map(img => img.getAttribute('src'));
  const styled = [...document.querySelectorAll('.md-content [style]')].map(el => el.tagName);
  return {handlers, links, images, styled, autofocus: document.querySelectorAll('[autofocus]').length};
}"""


def test_hostile_pages_run_no_script_and_request_nothing_elsewhere(hostile_build, hostile_server, tab):
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in HOSTILE_PAGES:
        page.goto(hostile_server.url(path))
        page.wait_for_load_state("load")
        page.hover("body")
        audit = page.evaluate(_PAGE_AUDIT)
        assert audit == {"handlers": [], "links": [], "images": [], "styled": [], "autofocus": 0}, path
    assert dialogs == []
    assert tab.requests.not_from(hostile_server.origin + "/") == []
    assert hostile_build.hits == []


def test_hostile_values_show_as_text(hostile_server, viewing_tab):
    page = viewing_tab.page
    page.goto(hostile_server.url("alpha/modules/skills/breathing/"))
    assert "</title>" in page.locator("h1").inner_text()
    assert page.title().startswith("\u2039/title\u203a")  # the look-alikes, not markup


def test_csp_blocks_injected_inline_script_but_the_site_still_works(hostile_server, search_tab):
    page = search_tab.page
    stub_print(page)
    page.goto(hostile_server.url("alpha/worksheets/log/"))
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        setTimeout(() => resolve(window.__injected ? 'ran' : 'no event'), 2000);
    })""")
    assert blocked.startswith("script-src"), blocked
    # The site's own scripts still run: worksheet controls (keep, clear, print), palette, search.
    expect(page.locator("[data-psy-controls]")).to_be_visible()
    page.get_by_label("Keep my answers on this device").check()
    field = page.locator("[data-psy-worksheet] textarea").first
    field.press_sequentially("an answer", delay=5)
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("saved answers are back")
    assert field.input_value() == "an answer"
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printCalls") == 1
    page.get_by_role("button", name="Clear my answers").click()
    expect(page.get_by_role("status")).to_contain_text("cleared")
    assert field.input_value() == ""
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("Slow breathing", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_hostile_pdfs_fetch_nothing_read_no_file_and_keep_the_crisis_line(hostile_build):
    pdfs = sorted((hostile_build.site / "alpha" / "handouts").rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        reader = PdfReader(pdf)
        for number, pdf_page in enumerate(reader.pages, start=1):
            text = pdf_page.extract_text()
            assert SECRET not in text, f"{pdf.name} p.{number}"
            assert CRISIS in text and f"Page {number} of {len(reader.pages)}" in text, f"{pdf.name} p.{number}"
        assert not any("/Image" in str(p.get("/Resources", {}).get("/XObject", {})) for p in reader.pages)
    assert hostile_build.hits == []


def test_the_pdf_renderer_refuses_every_url(tmp_path):
    secret_file = tmp_path / "secret.svg"
    secret_file.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
                           f'<text x="0" y="30">{SECRET}</text></svg>', encoding="utf-8")
    logger = ThreadingHTTPServer(("127.0.0.1", 0), _Logger)
    logger.hits = []  # type: ignore[attr-defined]
    threading.Thread(target=logger.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{logger.server_address[1]}"
    try:
        write_pdf(f"""<html><head><link rel="stylesheet" href="{url}/a.css">
            <style>@import url("{url}/b.css"); body {{ background: url("{url}/c.png") }}</style></head>
            <body><p>Text</p><img src="{url}/d.png"><img src="file://{secret_file}"><object data="file://{secret_file}"></object>
            <img src="data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg'&gt;&lt;text&gt;{SECRET}&lt;/text&gt;&lt;/svg&gt;">
            </body></html>""", tmp_path / "out.pdf")
    finally:
        logger.shutdown()
        logger.server_close()
    assert logger.hits == []  # type: ignore[attr-defined]
    assert SECRET not in PdfReader(tmp_path / "out.pdf").pages[0].extract_text()


@pytest.mark.parametrize("value", ['a"b', "x</style><img src=y>", "back\\slash", "line\nbreak", "'single'"])
def test_css_strings_cannot_end_early(value):
    literal = css_string(value)
    inner = literal[1:-1]
    assert literal.startswith('"') and literal.endswith('"')
    assert not re.search(r"[\"'<>\n]", inner) and not re.search(r"\\(?![0-9a-f]+ )", inner)


def test_the_allowlist_keeps_the_sites_own_links_and_forms():
    kept = clean_page_html('<p><a href="../modules/skills/breathing/">rel</a> <a href="#top">top</a> '
                           '<a href="https://example.org/">web</a> <a href="tel:+18005550100">tel</a></p>'
                           '<input type="checkbox" id="a" aria-describedby="b"><button type="button" '
                           'data-psy-action="clear">Clear</button>')
    assert kept.count("href=") == 4 and 'data-psy-action="clear"' in kept and 'type="checkbox"' in kept
