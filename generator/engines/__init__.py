"""Static-site engines behind one interface (`base.Engine`): MkDocs + Material (the default)
and Zensical. A program picks one with `engine:` in program.yml or `--engine` on the command line."""

from __future__ import annotations

from typing import get_args

from ..model import EngineName
from .base import Engine, EngineUnavailable, Publishing, SiteBuildError, track_site_url

ENGINES: tuple[str, ...] = get_args(EngineName)
DEFAULT_ENGINE = "mkdocs"


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """The engine called `name`; EngineUnavailable when its package is not installed."""
    if name == "mkdocs":
        from .mkdocs import MkDocsEngine

        return MkDocsEngine()
    if name == "zensical":
        from .zensical import ZensicalEngine

        return ZensicalEngine()
    raise EngineUnavailable(f"unknown engine `{name}`; engines: {', '.join(ENGINES)}")


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "EngineUnavailable", "Publishing", "SiteBuildError",
           "get_engine", "track_site_url"]
