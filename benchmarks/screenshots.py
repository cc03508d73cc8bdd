"""Make the README's screenshots again, after a change to the theme, the templates or the curriculum.

    .venv/bin/python benchmarks/screenshots.py [--curriculum DIR] [--track ID] [--out DIR]

Builds one track into build/screenshots/ (PDFs are cached there), serves it on 127.0.0.1 and
photographs a module page and a worksheet (with a few answers typed in) in Debian's headless
Chromium, then renders the first handout page of week 1's packet with pdftoppm (poppler-utils).
`make screenshots` installs both. Writes docs/images/{module-page,worksheet-page,handout-page}.png,
1000 px wide, and the home page and the worksheet on a phone, docs/images/{home,worksheet}-phone.png,
375 px wide; each reduced to a palette of colours so that it stays small.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402  (installed with WeasyPrint)
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from generator.build import BuildPaths, build  # noqa: E402
from generator.check import check_curriculum  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WIDTH = 1000
HEIGHT = 1150
WORKSHEET_HEIGHT = 1700  # down to the first rows of the table, where the answers are
PHONE = {"width": 375, "height": 1100}
COLOURS = 96  # enough for anti-aliased text; keeps each PNG well under 150 KB


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` on 127.0.0.1 at a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def save_small(png: Path, target: Path, width: int = WIDTH) -> None:
    """Scale to `width` pixels wide and reduce to a palette, then write `target`."""
    image = Image.open(png).convert("RGB")
    if image.width != width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
          f"{target.stat().st_size // 1024} KB")


def photograph(page: Page, target: Path, scratch: Path, height: int = HEIGHT) -> None:
    """The top of the page: header and crisis help included."""
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".md-header__title:not(.md-header__title--active)").wait_for()
    raw = scratch / target.name
    page.screenshot(path=raw, animations="disabled")
    save_small(raw, target)


def photograph_phone(page: Page, target: Path, scratch: Path) -> None:
    """The top of the page on a phone (PHONE), at its own width."""
    page.evaluate("window.scrollTo(0, 0)")
    raw = scratch / target.name
    page.screenshot(path=raw, animations="disabled")
    save_small(raw, target, width=PHONE["width"])


def fill_some_answers(page: Page) -> None:
    """A name, and the first cells of the worksheet's table (answers that suit the breathing log)."""
    page.locator("[data-psy-controls]").wait_for()
    page.locator("[data-psy-worksheet] input[type=text]").first.press_sequentially("J. R.")
    cells = page.locator("[data-psy-worksheet] table input[type=text]").all()
    for cell, answer in zip(cells, ["Monday", "8 am", "Kitchen", "5"]):
        cell.press_sequentially(answer)


def render_handout_page(pdf: Path, target: Path, scratch: Path) -> None:
    """The first handout page of a packet (page 2, after the cover), WIDTH pixels wide."""
    stem = scratch / "handout"
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-f", "2", "-l", "2", "-scale-to-x", str(WIDTH),
                    "-scale-to-y", "-1", str(pdf), str(stem)], check=True)
    save_small(stem.with_suffix(".png"), target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--curriculum", type=Path, default=REPO / "curriculum")
    parser.add_argument("--track", default="anxiety")
    parser.add_argument("--worksheet", default="breathing-log", help="a worksheet with a table")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    args = parser.parse_args()
    for tool, package in ((CHROMIUM, "chromium"), (Path(shutil.which("pdftoppm") or "/missing"), "poppler-utils")):
        if not tool.is_file():
            sys.exit(f"{tool.name} not found: install Debian's {package} (`make screenshots` does)")
    view = check_curriculum(args.curriculum).views[args.track]
    worksheet = view.worksheets[args.worksheet]
    module = view.modules_using(worksheet.id)[0]  # the module page shown is the one that worksheet goes with
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="psychoed-screenshots-") as scratch_name:
        scratch = Path(scratch_name)
        # A build of its own (with its own PDF cache), so build/<track>/ and site/ stay as they were.
        work = REPO / "build" / "screenshots"
        site = work / "site"
        build(BuildPaths(args.curriculum, site, work), [args.track])
        render_handout_page(site / args.track / "handouts" / "week-01.pdf", args.out / "handout-page.png", scratch)
        with served(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(f"{base}{args.track}/modules/{module.family}/{module.id}/")
            photograph(page, args.out / "module-page.png", scratch)
            page.goto(f"{base}{args.track}/worksheets/{worksheet.id}/")
            fill_some_answers(page)
            photograph(page, args.out / "worksheet-page.png", scratch, height=WORKSHEET_HEIGHT)
            phone = browser.new_page(viewport=PHONE)
            phone.goto(f"{base}{args.track}/")
            photograph_phone(phone, args.out / "home-phone.png", scratch)
            phone.goto(f"{base}{args.track}/worksheets/{worksheet.id}/")
            fill_some_answers(phone)
            phone.locator("[data-psy-worksheet] table").scroll_into_view_if_needed()
            raw = scratch / "worksheet-phone.png"
            phone.screenshot(path=raw, animations="disabled")
            save_small(raw, args.out / "worksheet-phone.png", width=PHONE["width"])
            browser.close()


if __name__ == "__main__":
    main()
