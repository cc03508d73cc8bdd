"""The engine interface: what the pipeline asks of a static-site engine.

Stage 4 writes a track's engine project (config + Markdown pages), stage 5 builds it into
HTML; `psychoed serve` previews one. Engine-specific code lives only in this package: one
module per engine, each a subclass of `Engine`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..errors import EngineUnavailable, SiteBuildError  # defined there for the command line's light startup
from ..render import RenderedSite
from ..shipped import ThemeFiles
from ..tailor import TrackView


@dataclass(frozen=True)
class Publishing:
    """Where and how a track's site is published."""

    site_url: str | None = None  # the address of the edition's published folder (OUT/, OUT/es/), when known
    folder: str = ""  # the language edition's folder under OUT/: "" for the source language, "es"
    portable: bool = False  # the offline copy: opened from file://, no server, search included
    # Every track of the program as (id, title), for each page's links to the hub and the other
    # tracks; empty for a copy of one track alone (the offline copy has no hub beside it).
    tracks: tuple[tuple[str, str], ...] = ()
    # `psychoed serve`: MkDocs' live reload adds an inline script that changes on every request,
    # which no Content-Security-Policy hash can allow; the local preview goes without the policy.
    preview: bool = False
    # The same track in each language it is published in, as (name, link, lang) for Material's
    # language selector; links are relative to the track's site. Empty: one language, no selector.
    alternates: tuple[tuple[str, str, str], ...] = ()


def track_site_url(site_url: str | None, track_id: str) -> str | None:
    """The address of one track's site, under the address of the whole published site."""
    if not site_url:
        return None
    return urljoin(site_url.rstrip("/") + "/", f"{track_id}/")


class Engine(ABC):
    """A static-site engine: writes a track's project and builds it (`psychoed serve` serves the
    preview with its own server, `preview/server.py`, for every engine)."""

    name: str

    @abstractmethod
    def write_project(self, view: TrackView, rendered: RenderedSite, project_dir: Path, site_dir: Path,
                      theme: ThemeFiles, publishing: Publishing = Publishing()) -> Path:
        """Write the track's project (config and pages) into `project_dir`; return its config file.
        `site_dir` is where a build by hand would publish it."""

    @abstractmethod
    def build(self, config_file: Path, site_dir: Path, track_id: str, *, dirty: bool = False) -> None:
        """Build the project into `site_dir`; raise SiteBuildError with the engine's complaints.
        `dirty` (the preview, when only page texts changed): rebuild only the pages whose source is
        newer than their page in `site_dir`, where the engine can; otherwise build everything."""
