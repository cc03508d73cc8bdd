"""`psychoed serve` previews a track on 127.0.0.1 and rebuilds when a curriculum YAML file changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 60.0, what: str = "condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def page_with(url: str, text: str) -> str:
    """The page at `url` if it shows `text`, else ""."""
    html = fetch(url)
    return html if text in html else ""


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_serve_rebuilds_when_yaml_changes(mini, tmp_path, engine):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--curriculum", str(mini), "--track", "alpha",
         "--port", str(port), "--build-dir", str(tmp_path / "build"), "--engine", engine],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    page = f"http://127.0.0.1:{port}/modules/skills/breathing/"
    try:
        first = wait_for(lambda: page_with(page, "Slow breaths calm the body."), what="the first preview")
        assert 'role="dialog" aria-label="Search">' in first, "the search dialog has a name, once"
        assert ("stylesheets/classic/" in first) == (engine == "zensical"), f"built by {engine}"
        module = mini / "modules" / "skills" / "breathing.yml"
        module.write_text(module.read_text().replace("Slow breaths calm the body.", "Edited while serving."))
        wait_for(lambda: "Edited while serving." in fetch(page), what="the rebuilt preview")
    finally:
        server.terminate()
        server.wait(timeout=10)
