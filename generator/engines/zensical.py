"""The Zensical engine: Material's successor, which reads the same mkdocs.yml.

The track project is the MkDocs one with three differences: Zensical only builds into a
folder inside the project (the result is then copied to where it is published), the
`classic` variant keeps Material's look that the theme's CSS is written for, and the build
runs in its own process, where Zensical's native runtime prints what it finds.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..render import RenderedSite
from ..shipped import ThemeFiles
from ..tailor import TrackView
from .base import Engine, EngineUnavailable, Publishing, SiteBuildError
from .mkdocs import project_config, write_config_and_pages

PACKAGE = "zensical"
INSTALL_HINT = "install it with `pip install 'psychoed[zensical]'` (Zensical 0.0.x)"
INNER_SITE = "site"  # where Zensical builds, relative to the project
BUILD_SECONDS = 600


class ZensicalEngine(Engine):
    name = "zensical"

    def __init__(self) -> None:
        if importlib.util.find_spec(PACKAGE) is None:
            raise EngineUnavailable(f"the `zensical` engine is not installed; {INSTALL_HINT}")

    def write_project(self, view: TrackView, rendered: RenderedSite, project_dir: Path, site_dir: Path,
                      theme: ThemeFiles, publishing: Publishing = Publishing()) -> Path:
        return write_config_and_pages(zensical_config(project_config(view, rendered, project_dir, site_dir, theme,
                                                                     publishing)), rendered, project_dir)

    def build(self, config_file: Path, site_dir: Path, track_id: str, *, dirty: bool = False) -> None:
        # Zensical's command line has no dirty build: `dirty` is ignored, the whole site is built.
        inner = config_file.parent / INNER_SITE
        command = [sys.executable, "-m", PACKAGE, "build", "--config-file", str(config_file), "--clean", "--strict"]
        try:
            finished = subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True,
                                      timeout=BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            raise SiteBuildError(track_id, [f"Zensical did not finish within {BUILD_SECONDS} s"]) from None
        problems = complaints(finished.stdout + finished.stderr)
        if finished.returncode != 0 or problems:
            last_words = (finished.stderr.strip().splitlines() or [f"exit status {finished.returncode}"])[-1]
            raise SiteBuildError(track_id, problems or [f"Zensical stopped: {last_words}"])
        if site_dir.exists():
            shutil.rmtree(site_dir)
        shutil.copytree(inner, site_dir)


def zensical_config(config: dict[str, Any]) -> dict[str, Any]:
    """The MkDocs config, adjusted for what Zensical does differently."""
    adjusted = {**config, "site_dir": INNER_SITE}
    adjusted["theme"] = {**config["theme"], "variant": "classic"}
    return adjusted


ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
FINDING = re.compile(r"^(Warning|Error):\s*(?P<message>.+)$")
LOCATION = re.compile(r"\[\s*(?P<where>[^\s\]]+:\d+:\d+)\s*\]")  # "╭─[ index.md:23:10 ]"


def complaints(output: str) -> list[str]:
    """Zensical's warnings and errors, as "docs-file:line:col: message" where it says where,
    without its colours, drawings, progress lines or the traceback of its strict abort."""
    found: list[str] = []
    pending: str | None = None
    for line in ANSI_STYLE.sub("", output).splitlines():
        finding, location = FINDING.match(line.strip()), LOCATION.search(line)
        if finding:
            if pending:
                found.append(pending)
            pending = finding.group("message")
        elif location and pending:
            found.append(f"{location.group('where')}: {pending}")
            pending = None
    if pending:
        found.append(pending)
    return found
