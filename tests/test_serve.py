"""`psychoed serve` previews a track on 127.0.0.1: it takes the port before any work, rebuilds
when a curriculum YAML file changes, shows a failing check in the browser until a save fixes
it, and leaves no temporary folder behind when stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from generator.handouts import handout_documents
from generator.load import load_curriculum
from generator.handout_names import handout_names
from generator.tailor import tailor

STARTUP_SECONDS = 180.0  # the first build of the mini fixture, on a busy 2-core machine
SAVE_SECONDS = 120.0
BREATHING_PAGE = "modules/skills/breathing/"
GOOD_TEXT = "Slow breaths calm the body."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = SAVE_SECONDS, what: str = "condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the error page comes with status 500
        return error.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def page_with(url: str, text: str) -> str:
    """The page at `url` if it shows `text`, else ""."""
    html = fetch(url)
    return html if text in html else ""


def serve_command(curriculum: Path, build: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "serve", "--curriculum", str(curriculum), "--track", "alpha",
            "--port", str(port), "--build-dir", str(build), *extra]


@contextmanager
def serving(curriculum: Path, work: Path, *extra: str) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    """`psychoed serve` of the mini fixture's `alpha` track, with its own temporary folder;
    yields the process, the preview's address and that temporary folder."""
    port, temporary = free_port(), work / "tmp"
    temporary.mkdir()
    server = subprocess.Popen(serve_command(curriculum, work / "build", port, *extra), cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(temporary)})
    try:
        yield server, f"http://127.0.0.1:{port}/", temporary
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        server.wait(timeout=30)
        server.stderr.close()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_rebuilds_when_yaml_changes_and_sigterm_cleans_up(mini, tmp_path, engine):
    with serving(mini, tmp_path, "--engine", engine) as (server, address, temporary):
        page = address + BREATHING_PAGE
        first = wait_for(lambda: page_with(page, GOOD_TEXT), STARTUP_SECONDS, "the first preview")
        assert 'role="dialog" aria-label="Search">' in first, "the search dialog has a name, once"
        assert ("stylesheets/classic/" in first) == (engine == "zensical"), f"built by {engine}"
        assert list(temporary.glob("psychoed-serve-*")), "the preview is built in a temporary folder"
        replace_in(mini / "modules" / "skills" / "breathing.yml", GOOD_TEXT, "Edited while serving.")
        wait_for(lambda: "Edited while serving." in fetch(page), what="the rebuilt preview")
        if engine == "mkdocs":  # a dirty build indexes the pages it rebuilt; the others stay findable
            index = json.loads(fetch(address + "search/search_index.json"))
            pages = {entry["location"].split("#")[0] for entry in index["docs"]}
            assert {"", BREATHING_PAGE, "schedule/", "worksheets/log/"} <= pages
            assert any("Edited while serving." in entry["text"] for entry in index["docs"])

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not list(temporary.glob("psychoed-serve-*")), "SIGTERM removes the preview's temporary folder"
        assert "Traceback" not in server.stderr.read()


def test_taken_port_is_one_line_and_exit_2_before_any_build(mini, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(serve_command(mini, tmp_path / "build", port), cwd=tmp_path,
                                  capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2
    assert finished.stderr == f"psychoed: error: port {port} is in use; choose another with --port\n"
    assert not (tmp_path / "build").exists(), "nothing was built"


def test_the_browser_shows_the_check_from_a_broken_start_and_a_broken_save(mini, tmp_path, tab):
    module = mini / "modules" / "skills" / "breathing.yml"
    unsafe = "Slow breaths <script>alert(1)</script> calm the body."
    replace_in(module, GOOD_TEXT, unsafe)  # refused when the curriculum is loaded
    with serving(mini, tmp_path) as (server, address, _):
        page = tab.page
        wait_for(lambda: fetch(address + BREATHING_PAGE), STARTUP_SECONDS, "the server to answer")
        page.goto(address + BREATHING_PAGE)
        error = page.locator("#psychoed-preview-error")
        assert "curriculum/modules/skills/breathing.yml:4:" in error.inner_text(), "a broken start: the error page"
        assert "raw HTML `<script>` is not allowed" in error.inner_text(), "the message, as text"
        assert "Hint: write Markdown instead" in error.inner_text()
        assert "<script>alert(1)</script>" not in page.content(), "the diagnostic's text is escaped"

        replace_in(module, unsafe, GOOD_TEXT)
        page.get_by_text(GOOD_TEXT).first.wait_for(timeout=SAVE_SECONDS * 1000)  # the page reloads by itself
        assert error.count() == 0

        replace_in(module, GOOD_TEXT, "Call the NEDA hotline for help.")  # found by the content rules
        error.wait_for(timeout=SAVE_SECONDS * 1000)
        assert "curriculum/modules/skills/breathing.yml:4:" in error.inner_text()
        assert "the NEDA Helpline closed in 2023" in error.inner_text()

        replace_in(module, "Call the NEDA hotline for help.", "Fixed while serving.")
        page.get_by_text("Fixed while serving.").first.wait_for(timeout=SAVE_SECONDS * 1000)
        assert error.count() == 0
        assert server.poll() is None, "the server keeps running through failed saves"


@pytest.mark.parametrize("large_print", [False, True])
def test_the_pages_link_the_pdfs_the_handouts_make(mini, large_print):
    """The preview names the PDFs without making their print HTML; the names are the same."""
    curriculum = load_curriculum(mini)
    for track_id in curriculum.tracks:
        view = tailor(curriculum, track_id)
        made = [document.name for document in handout_documents(view, large_print=large_print)]
        assert handout_names(view, large_print=large_print) == made


def test_the_project_rewrites_only_changed_pages_and_drops_gone_ones(tmp_path):
    """What the preview's dirty builds rely on: an unchanged page keeps its modification time."""
    from generator.engines.mkdocs import sync_pages

    docs = tmp_path / "docs"
    sync_pages(docs, {"index.md": "home", "modules/a.md": "A", "modules/b.md": "B"})
    (docs / "handouts").mkdir()
    (docs / "handouts" / "week-01.pdf").write_bytes(b"%PDF")
    os.utime(docs / "index.md", ns=(1_000_000_000, 1_000_000_000))  # long ago: a rewrite would show
    unchanged_at = (docs / "index.md").stat().st_mtime_ns
    sync_pages(docs, {"index.md": "home", "modules/a.md": "A, edited"})
    assert (docs / "index.md").stat().st_mtime_ns == unchanged_at
    assert (docs / "modules" / "a.md").read_text() == "A, edited"
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["index.md", "modules", "modules/a.md"]
