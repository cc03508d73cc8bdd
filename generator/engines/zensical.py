"""The Zensical engine: Material's successor, which reads the same mkdocs.yml.

The track project is the MkDocs one with three differences: Zensical only builds into a
folder inside the project (the result is then copied to where it is published), the
`classic` variant keeps Material's look that the theme's CSS is written for, and the build
runs in its own process, where Zensical's native runtime prints what it finds.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from ..render import RenderedSite
from ..shipped import ThemeFiles
from ..tailor import TrackView
from .base import Engine, EngineUnavailable, Publishing, SiteBuildError
from .mkdocs import project_config, serve_with_live_reload, write_config_and_pages

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

    def build(self, config_file: Path, site_dir: Path, track_id: str) -> None:
        inner = config_file.parent / INNER_SITE
        command = [sys.executable, "-m", PACKAGE, "build", "--config-file", str(config_file), "--clean", "--strict"]
        try:
            finished = subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True,
                                      timeout=BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            raise SiteBuildError(track_id, [f"Zensical did not finish within {BUILD_SECONDS} s"]) from None
        problems = complaints(finished.stdout + finished.stderr)
        if finished.returncode != 0 or problems:
            raise SiteBuildError(track_id, problems or [f"Zensical stopped (exit status {finished.returncode})"])
        if site_dir.exists():
            shutil.rmtree(site_dir)
        shutil.copytree(inner, site_dir)

    def serve(self, root: Path, rebuild: Callable[[], None], watched: Sequence[Path], *, host: str,
              port: int) -> None:
        # Zensical's own server rebuilds from mkdocs.yml alone, not from the curriculum; the
        # preview needs a static server that calls Psychoed's pipeline back. MkDocs' is one,
        # and is always installed.
        serve_with_live_reload(root, rebuild, watched, host=host, port=port)

def zensical_config(config: dict[str, Any]) -> dict[str, Any]:
    """The MkDocs config, adjusted for what Zensical does differently."""
    adjusted = {**config, "site_dir": INNER_SITE}
    adjusted["theme"] = {**config["theme"], "variant": "classic"}
    return adjusted

def complaints(output: str) -> list[str]:
    """Zensical's errors and warnings from its output, without its progress lines."""
    progress = ("Build started", "Build finished", "No issues found")
    return [line.strip() for line in output.splitlines()
            if line.strip() and not line.strip().startswith(progress)]

