"""Shared fixtures: real curricula copied to a temporary folder, the real CLI, real MkDocs builds."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pytest
from filelock import FileLock
from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import Page as BrowserPage

from browser_support import CHROMIUM, CHROMIUM_ARGS, IN_CI, TRACKS, WITHOUT_SEARCH_INDEX, RequestLog, SiteServer
from generator.build import BuildPaths, BuildReport, build
from generator.cli import main
from generator.load import load_curriculum
from generator.locales import available_languages
from generator.progress import SILENT, Progress, for_stream
from generator.publish import BUILD_MARKER, OUTPUT_MARKER

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "curriculum"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
DESKTOP = {"width": 1280, "height": 900}
HANDOUTS_CACHE = "handouts"  # BUILD/<track>/handouts/: the rendered PDFs kept between builds


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def psychoed(capsys, monkeypatch, tmp_path_factory):
    """Run the `psychoed` command line in-process and capture what it prints. It runs in an empty
    folder of its own unless `cwd` is given, so that what it writes by default (`build/`, the check
    cache) lands there, never in the repository or in another test's way."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini(tmp_path) -> Path:
    """A small, valid curriculum (two tracks) that a test may edit freely."""
    target = tmp_path / "curriculum"
    shutil.copytree(MINI, target)
    return target


# The one bundled track whose PDFs and offline copy the shared build makes: rendering every
# track's ~70 PDFs is most of a whole build's time, and the PDF code does not differ by track.
PDF_TRACK = "anxiety"
BUNDLED_TRACKS = TRACKS


def build_site(curriculum: Path, work: Path, tracks: Sequence[str] = (), *, pdf_tracks: Sequence[str] | None = None,
               portable: bool = False, engine: str | None = None, progress: Progress = SILENT) -> BuildReport:
    """`psychoed build` (the same function the command calls) of `curriculum` into work/site and
    work/build. With `pdf_tracks`, the other tracks are built as pages only: no PDFs rendered
    (their handout links lead to empty placeholders) and no offline copy."""
    paths = BuildPaths(curriculum, work / "site", work / "build")
    pages_only = () if pdf_tracks is None else [t for t in load_curriculum(curriculum).tracks if t not in pdf_tracks]
    return build(paths, tracks, portable=portable, engine=engine, pages_only=pages_only, progress=progress)


def published_tracks_from(built_site: Path, out: Path, track_ids: Sequence[str]) -> Path:
    """Make `out` a published site holding `track_ids` as built in `built_site`, in every language
    they were built in (es/addiction/ too), so that a partial build into it (`--track X`) builds X
    alone and carries the others over, as on a real site."""
    out.mkdir(parents=True)
    shutil.copyfile(built_site / OUTPUT_MARKER, out / OUTPUT_MARKER)
    for track_id in track_ids:
        shutil.copytree(built_site / track_id, out / track_id, symlinks=True)
        for language in available_languages():
            translated = built_site / language / track_id
            if translated.is_dir():
                shutil.copytree(translated, out / language / track_id, symlinks=True)
    return out


MADE = ".made"  # written last into a folder `made_once` finished


def made_once(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], object]) -> Path:
    """A folder `make` fills, made once per test run. The tests run in one process per core
    (pytest-xdist): the first to ask makes the folder while the others wait for it, and all then
    read the same one."""
    if worker_id == "master":  # one process: no one to share with
        work = tmp_path_factory.mktemp(name)
        make(work)
        return work
    work = tmp_path_factory.getbasetemp().parent / name  # the run's folder, above each process's own
    with FileLock(f"{work}.lock"):
        if not (work / MADE).is_file():
            shutil.rmtree(work, ignore_errors=True)  # what a failed attempt left
            work.mkdir()
            make(work)
            (work / MADE).touch()
    return work



MINI_PROGRESS = "progress.txt"  # in built_mini's folder: what its build printed


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory, worker_id) -> Path:
    """The unedited mini fixture built once: WORK/curriculum, WORK/site, WORK/build (with the PDF
    cache), and WORK/progress.txt, the build's progress lines (not on a terminal). Read-only:
    copy what a test changes."""

    def make(work: Path) -> None:
        shutil.copytree(MINI, work / "curriculum")
        progress = io.StringIO()
        build_site(work / "curriculum", work, progress=for_stream(progress))
        (work / MINI_PROGRESS).write_text(progress.getvalue(), encoding="utf-8")

    return made_once(tmp_path_factory, worker_id, "built-mini", make)


def with_pdf_cache_of(built: Path, build_dir: Path) -> Path:
    """A new build folder holding the PDFs rendered into the build folder `built` (each track's
    cache, nothing else), as after an earlier build of the same curriculum: a build into it
    renders only the PDFs whose content differs."""
    build_dir.mkdir(parents=True)
    shutil.copyfile(built / BUILD_MARKER, build_dir / BUILD_MARKER)
    for cache in built.glob(f"*/{HANDOUTS_CACHE}"):
        shutil.copytree(cache, build_dir / cache.relative_to(built))
    return build_dir


@pytest.fixture
def warm_build_dir(built_mini, tmp_path) -> Path:
    """tmp_path/build holding the mini fixture's rendered PDFs: a build of the fixture renders
    only the PDFs an edit changed."""
    return with_pdf_cache_of(built_mini / "build", tmp_path / "build")


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory, worker_id) -> Path:
    """The bundled curriculum built once with the real MkDocs: every track's pages, and for
    PDF_TRACK its PDFs and offline copy; returns the work folder (site/, build/)."""
    return made_once(tmp_path_factory, worker_id, "bundled",
                     lambda work: build_site(BUNDLED, work, pdf_tracks=[PDF_TRACK], portable=True))


class _TextAndAssets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.assets: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        if tag in ("img", "iframe", "source", "audio", "video") and attributes.get("src"):
            self.assets.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@dataclass
class Page:
    path: Path
    html: str
    text: str  # visible text, whitespace collapsed
    assets: list[str]  # script src, link href, img src …


def read_page(path: Path) -> Page:
    html = path.read_text(encoding="utf-8")
    parser = _TextAndAssets()
    parser.feed(html)
    return Page(path, html, " ".join(" ".join(parser.text).split()), parser.assets)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- the browser tests: one Chromium and one local server per session ---------------------

@dataclass
class Tab:
    """A page in a fresh browser context (its own storage), and every request the context made."""

    page: BrowserPage
    requests: RequestLog


@pytest.fixture(scope="session")
def site_server(bundled_site) -> Iterator[SiteServer]:
    """The bundled site on 127.0.0.1, as a static host serves it."""
    server = SiteServer(bundled_site / "site")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} not found: install Debian's chromium (`make test` does)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Where the pages of any tab may fetch from: the test's own servers and files, nowhere else.
LOCAL_ORIGINS = ("http://127.0.0.1:", "file://", "data:", "blob:")


@pytest.fixture
def open_tab(chromium) -> Iterator[Callable[..., Tab]]:
    """Open tabs, each in a new context (desktop size unless a viewport is given), served an empty
    search index by the test's servers unless `search` is asked for; all closed after the test. Every request any page
    made must have stayed on this machine: each browser test checks privacy as it goes."""
    tabs: list[tuple[BrowserContext, RequestLog]] = []

    def open_one(viewport: dict[str, int] | None = None, *, search: bool = False) -> Tab:
        context = chromium.new_context(viewport=viewport or DESKTOP,
                                       extra_http_headers=None if search else WITHOUT_SEARCH_INDEX)
        requests = RequestLog()
        tabs.append((context, requests))
        context.on("request", requests.record)
        return Tab(context.new_page(), requests)

    yield open_one
    for context, _ in tabs:
        context.close()
    for _, requests in tabs:
        assert requests.not_from(*LOCAL_ORIGINS) == [], "a page fetched from another host"


@pytest.fixture(scope="session")
def _viewing_page(chromium) -> Iterator[Tab]:
    context = chromium.new_context(viewport=DESKTOP, extra_http_headers=WITHOUT_SEARCH_INDEX)
    requests = RequestLog()
    context.on("request", requests.record)
    yield Tab(context.new_page(), requests)
    context.close()


@pytest.fixture
def viewing_tab(_viewing_page) -> Iterator[Tab]:
    """For tests that open pages and look at them (axe, layout, print, links) and leave nothing a
    page keeps (no answers stored, no clock set, no script added): one page per test process,
    reused, as a new browser context and its first page cost about 0.5 s, more than three page
    loads. Each test starts it blank, at desktop size, with screen media; the privacy check of
    `open_tab` holds for it too."""
    page, requests = _viewing_page.page, _viewing_page.requests
    page.goto("about:blank")
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="screen")
    requests.urls.clear()
    yield _viewing_page
    assert requests.not_from(*LOCAL_ORIGINS) == [], "a page fetched from another host"


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


@pytest.fixture
def search_tab(open_tab) -> Tab:
    """A tab whose pages load the track's whole search index."""
    return open_tab(search=True)


# --- the order files are handed to the test processes --------------------------------------

def pytest_collection_modifyitems(config, items) -> None:
    """Files in this order: the first that needs the shared bundled build, then every file that
    does not, then the rest. pytest-xdist hands whole files out in this order (with
    `--no-loadscope-reorder`), two to each process to start with: so one process makes the
    bundled build while the other runs the files that need none of it, instead of both waiting."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    needs = {name: any("bundled_site" in item.fixturenames for item in group) for name, group in files.items()}
    waiting = [name for name in files if needs[name]]
    order = waiting[:1] + [name for name in files if not needs[name]] + waiting[1:]
    items[:] = [item for name in order for item in files[name]]
