"""What the browser tests share: Debian's Chromium, a local static server, axe-core and the
pages of a track worth looking at.

The server and the browser are started once per session by fixtures in conftest.py.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Page, Request

from generator.load import load_curriculum
from generator.tailor import TrackView, tailor

BUNDLED = Path(__file__).resolve().parent.parent / "curriculum"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium: `playwright install` cannot download its own browser here.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# axe-core as shipped inside the axe-playwright-python wheel: nothing is fetched at run time.
AXE_SCRIPT = AXE_FILE_PATH.read_text(encoding="utf-8")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's best practices too (landmarks, heading order, …): a screen-reader user moving by landmarks
# must meet every part of the page, the disclaimer included.
AXE_TAGS = [*WCAG_22_AA, "best-practice"]
# Rules outside those tags that the site must pass too: mkdocs-material's search dialog had no name.
EXTRA_AXE_RULES = ["aria-dialog-name"]

CURRICULUM = load_curriculum(BUNDLED)
TRACKS = list(CURRICULUM.tracks)
MISSING_PAGE = "no-such-page/"


@functools.cache
def track_view(track_id: str) -> TrackView:
    return tailor(CURRICULUM, track_id)


def page_types(track_id: str) -> dict[str, str]:
    """One page of every kind a track has, as paths under the server root."""
    return page_paths(track_view(track_id), track_id)


def page_paths(view: TrackView, folder: str) -> dict[str, str]:
    """One page of every kind the track of `view` has, under `folder` ("anxiety", "es/addiction")."""
    module = view.weeks[0].sessions[0].module
    worksheet = next(iter(view.worksheets.values()))
    pages = {
        "home": "",
        "schedule": "schedule/",
        "module": f"modules/{module.family}/{module.id}/",
        "worksheet": f"worksheets/{worksheet.id}/",
        "families": "families/",
        "facilitator guide": "facilitator/",
        "facilitator week": "facilitator/week-01/",
        "resources": "resources/",
        "404": MISSING_PAGE,
    }
    return {kind: f"{folder}/{path}" for kind, path in pages.items()}


@functools.cache
def worksheets_spread_over_tracks() -> list[tuple[str, str]]:
    """Each worksheet once, as (track, worksheet), in the track using it that has the fewest so
    far: every worksheet is tested, every track gets some, and none twice."""
    assigned: dict[str, list[str]] = {track_id: [] for track_id in TRACKS}
    worksheet_ids = dict.fromkeys(w for t in TRACKS for w in track_view(t).worksheets)
    for worksheet_id in worksheet_ids:
        users = [t for t in TRACKS if worksheet_id in track_view(t).worksheets]
        assigned[min(users, key=lambda t: len(assigned[t]))].append(worksheet_id)
    return [(track_id, worksheet_id) for track_id, ids in assigned.items() for worksheet_id in ids]


@functools.cache
def worksheets_with_every_field_type() -> list[tuple[str, str]]:
    """Few worksheets that hold every type of field between them, as (track, worksheet): each
    time the one with the most types not yet held (the fewest fields on a tie), in the track
    `worksheets_spread_over_tracks` gives it; then the shortest worksheet of each track not met
    yet. The worksheet page is one template, built field by field: what one field of a type does
    on the keyboard, every field of that type does."""
    def types(track_id: str, worksheet_id: str) -> set[str]:
        return {f.type for f in track_view(track_id).worksheets[worksheet_id].fields}

    def size(track_id: str, worksheet_id: str) -> int:
        return len(track_view(track_id).worksheets[worksheet_id].fields)

    candidates = worksheets_spread_over_tracks()
    wanted = set().union(*(types(*c) for c in candidates))
    chosen: list[tuple[str, str]] = []
    while wanted:
        best = max(candidates, key=lambda c: (len(types(*c) & wanted), -size(*c)))
        chosen.append(best)
        wanted -= types(*best)
    for track_id in TRACKS:
        if not any(t == track_id for t, _ in chosen):
            chosen.append(min((c for c in candidates if c[0] == track_id), key=lambda c: size(*c)))
    return chosen


def worksheet_share(track_id: str) -> list[str]:
    """The track's share of the worksheets, as paths under the server root."""
    return [f"{t}/worksheets/{w}/" for t, w in worksheets_spread_over_tracks() if t == track_id]


# --- the local server ------------------------------------------------------------------

# The search worker fetches the track's search index and builds it on every page load: about
# 0.3 s of processor time a page, half of what a page costs. A browser context that does not
# search sends this header, and the server answers with the index's settings and no pages, so
# its pages load as they are, minus that. (A header, not Playwright's request routing, which
# holds up every request of the context.)
WITHOUT_SEARCH_INDEX = {"X-Test-Search-Index": "empty"}
_SEARCH_INDEXES = ("/search/search_index.json", "/search.json")  # MkDocs', Zensical's
_INDEXED_PAGES = ("docs", "items")  # the list of pages in each


class _StaticSiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a static host would, with each track's 404 page for missing files."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        (header, value), = WITHOUT_SEARCH_INDEX.items()
        index = Path(self.translate_path(path))
        if self.headers.get(header) == value and path.endswith(_SEARCH_INDEXES) and index.is_file():
            settings = json.loads(index.read_text(encoding="utf-8"))
            body = json.dumps({key: [] if key in _INDEXED_PAGES else value for key, value in settings.items()}).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        error_page = self._error_page() if code == HTTPStatus.NOT_FOUND else None
        if error_page is None:
            super().send_error(code, message, explain)
            return
        body = error_page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error_page(self) -> Path | None:
        """The 404 page of the nearest folder holding one (es/addiction/, then es/, then the
        site's own), as a static host is set up to do: each track's and edition's own."""
        root = Path(self.directory)
        folders = urlsplit(self.path).path.strip("/").split("/")[:-1]
        candidates = [root.joinpath(*folders[:depth], "404.html") for depth in range(len(folders), -1, -1)]
        return next((page for page in candidates if page.is_file()), None)


@dataclass
class SiteServer:
    """The built site on 127.0.0.1, on a port the system picks."""

    root: Path
    _server: ThreadingHTTPServer = field(init=False)
    _thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        handler = functools.partial(_StaticSiteHandler, directory=str(self.root))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="site-server", daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


# --- what a page did -------------------------------------------------------------------

@dataclass
class RequestLog:
    """Every request the pages of one browser context made, frames and workers included."""

    urls: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.urls.append(request.url)

    def not_from(self, *prefixes: str) -> list[str]:
        return [url for url in self.urls if not url.startswith(prefixes)]


PHONE = {"width": 375, "height": 740}
# An element the reader would have to scroll sideways: one that scrolls, and is wider inside than out.
_SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(element => {
  const overflow = getComputedStyle(element).overflowX;
  return (overflow === 'auto' || overflow === 'scroll') && element.checkVisibility() && element.clientWidth > 0
    && element.scrollWidth > element.clientWidth + 1;
}).map(element => element.tagName.toLowerCase() + '.' + [...element.classList].join('.'))"""
_PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


def sideways_scrolling(page: Page, *, elements: bool = True) -> list[str]:
    """What the reader would have to scroll sideways on the page as it is now: the page itself
    ("page"), and unless `elements` is false, each element that scrolls and is wider inside than out."""
    page_scrolls = ["page"] if page.evaluate(_PAGE_SCROLLS_SIDEWAYS) else []
    return page_scrolls + (page.evaluate(_SIDEWAYS_SCROLLERS) if elements else [])


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA and best-practice violations on the page as it is now."""
    page.evaluate(AXE_SCRIPT)
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_AXE_RULES},
        "resultTypes": ["violations"],
    }
    return page.evaluate("options => axe.run(document, options).then(result => result.violations)", options)


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable failure message: each rule, and where it failed."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def stub_print(page: Page) -> None:
    """Replace window.print, in this page and every page it loads, with a counter the test reads."""
    page.add_init_script("window.__printCalls = 0; window.print = () => { window.__printCalls += 1; };")
