"""The default engine, MkDocs + Material: a track's MkDocs project, its build, its preview.

Every generated config INHERITs the shipped base `mkdocs.yml` (or the project's own); the
Zensical engine reuses this config, as Zensical reads the MkDocs format.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import yaml

from ..crisis import crisis_actions
from ..jinja_cache import COMPILED_TEMPLATES
from ..locales import catalogue
from ..csp import content_security_policy, theme_script_hashes
from ..render import FACILITATOR_DIR, RenderedSite
from ..shipped import ThemeFiles
from ..tailor import TrackView
from .base import Engine, Publishing, SiteBuildError, track_site_url


# mkdocs-material's offline plugin loads its Web Worker shim from a CDN unless a polyfill whose
# address names "iframe-worker" is configured; this one ships in the theme instead.
WORKER_SHIM = "assets/javascripts/psychoed-iframe-worker.js"


def project_config(view: TrackView, rendered: RenderedSite, project_dir: Path, site_dir: Path,
                   theme: ThemeFiles, publishing: Publishing = Publishing()) -> dict[str, Any]:
    """The track's mkdocs.yml. Relative paths resolve against the file itself, hence relpath."""
    program, track = view.program, view.track

    def relative(path: Path) -> str:
        return os.path.relpath(path.resolve(), project_dir.resolve())

    site_url = None if publishing.portable else track_site_url(publishing.site_url, track.id)
    words = catalogue(program.language)
    config: dict[str, Any] = {
        "INHERIT": relative(theme.base_config),
        # mkdocs-material writes these into pages unescaped, in text and in attributes.
        # The track's name first: a phone's header shows only the start of it.
        "site_name": html_text(f"{track.title} · {program.name}"),
        "site_description": html_text(" ".join(track.summary.split())),
        "site_author": html_text(program.organization),
        # Material prints the copyright as HTML.
        "copyright": html.escape(f"{program.name} · {program.organization}"),
        "docs_dir": "docs",
        "site_dir": relative(site_dir),
        "theme": {"custom_dir": relative(theme.theme_dir), "language": program.language},
        "nav": escaped_nav(rendered.nav),
        "not_in_nav": f"/{FACILITATOR_DIR}/",  # linked from every page's footer instead
        "extra": {
            "psychoed": {
                "track": track.id,
                "program": program.name,
                "disclaimer": " ".join(program.disclaimer.split()),
                "crisis": [{"name": r.name, "contact": r.contact, "url": r.url, "phone": r.phone, "sms": r.sms,
                            "actions": [{"words": w, "link": link} for w, link in crisis_actions(r, words)]}
                           for r in program.crisis],
                # Psychoed's own words in the site's language, for the theme's templates (a mapping,
                # not an object with methods: Zensical's template engine calls no Python).
                "words": words.words,
                # The 404 page's links are absolute; without a site_url, OUT/ is the root of its host.
                "site_path": urlsplit(site_url).path if site_url else f"/{posixpath.join(publishing.folder, track.id)}/",
                "csp": "" if publishing.preview else page_policy(theme),
                "facilitator_dir": FACILITATOR_DIR,
                "tracks": [{"id": track_id, "title": title} for track_id, title in publishing.tracks],
            }
        },
    }
    if site_url:
        config["site_url"] = site_url
    if publishing.alternates and not publishing.portable:
        config["extra"]["alternate"] = [{"name": name, "link": link, "lang": lang}
                                        for name, link, lang in publishing.alternates]
    if program.language != "en":
        config["plugins"] = [*_language_plugins(_base_plugins(theme.base_config), program.language)]
    if publishing.portable:
        config["plugins"] = [*config.get("plugins", _base_plugins(theme.base_config)), "offline"]
        config["extra"]["polyfills"] = [WORKER_SHIM]
    return config


def html_text(value: str) -> str:
    """A value mkdocs-material writes into pages as it is (site name, description, author, menu
    titles), made harmless there. Escaping is not enough: the theme decodes character references
    in places (`page.title | striptags` in `<title>`). So `<`, `>` and `"`, and `&` where it could
    start a character reference, become look-alikes. The check refuses names and titles holding
    them, so this changes nothing in a curriculum that passed it."""
    return _CHARACTER_REFERENCE.sub("\uff06", value.translate(_LOOK_ALIKES))


_LOOK_ALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "\u201d"})
_CHARACTER_REFERENCE = re.compile(r"&(?=[#A-Za-z])")


def escaped_nav(nav: Any) -> Any:
    """The navigation with every title passed through `html_text`."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html_text(title): escaped_nav(target) for title, target in nav.items()}
    return nav


@cache
def _policy_for(theme_dir: Path) -> str:
    return content_security_policy(theme_script_hashes([theme_dir, material_templates()]))


def page_policy(theme: ThemeFiles) -> str:
    """The Content-Security-Policy the theme puts in every page (see csp.py)."""
    return _policy_for(theme.theme_dir.resolve())


def _language_plugins(plugins: list[Any], language: str) -> list[Any]:
    """The base plugins with search set to `language` (stemming and stop words in that language)."""
    adjusted: list[Any] = []
    for plugin in plugins:
        if plugin in ("search", "material/search"):
            plugin = {plugin: {"lang": language}}
        elif isinstance(plugin, dict) and set(plugin) & {"search", "material/search"}:
            name = next(iter(plugin))
            plugin = {name: {**(plugin[name] or {}), "lang": language}}
        adjusted.append(plugin)
    return adjusted


def _base_plugins(base_config: Path) -> list[Any]:
    """The plugins of the base config: INHERIT replaces a list whole, so a child that adds one
    plugin repeats the others."""
    from mkdocs.utils.yaml import yaml_load

    with base_config.open("rb") as file:
        plugins = yaml_load(file).get("plugins", [])
    if isinstance(plugins, dict):
        plugins = [{name: options} if options else name for name, options in plugins.items()]
    return [plugin for plugin in plugins if plugin not in ("offline", "material/offline")]


class MkDocsEngine(Engine):
    name = "mkdocs"

    def write_project(self, view: TrackView, rendered: RenderedSite, project_dir: Path, site_dir: Path,
                      theme: ThemeFiles, publishing: Publishing = Publishing()) -> Path:
        config = project_config(view, rendered, project_dir, site_dir, theme, publishing)
        return write_config_and_pages(config, rendered, project_dir)

    def build(self, config_file: Path, site_dir: Path, track_id: str, *, dirty: bool = False) -> None:
        build_site(config_file, site_dir, track_id, dirty=dirty)


def write_config_and_pages(config: dict[str, Any], rendered: RenderedSite, project_dir: Path) -> Path:
    """Write `project_dir/mkdocs.yml` and `project_dir/docs/`; return the config file's path."""
    sync_pages(project_dir / "docs", rendered.pages)
    config_file = project_dir / "mkdocs.yml"
    header = "# Generated by `psychoed build` from the curriculum; edits here are overwritten.\n"
    config_file.write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config_file


def sync_pages(docs: Path, pages: dict[str, str]) -> None:
    """Make `docs` hold exactly `pages` (path → Markdown). A page whose text is unchanged is not
    rewritten: its modification time tells a dirty build (the preview's) it needs no rebuild."""
    wanted = {docs / page: markdown.encode("utf-8") for page, markdown in pages.items()}
    if docs.exists():
        for path in sorted(docs.rglob("*"), reverse=True):  # files before the folders holding them
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            elif path not in wanted:
                path.unlink()
    for target, data in wanted.items():
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build_site(config_file: Path, site_dir: Path, track_id: str, *, dirty: bool = False) -> None:
    """`mkdocs build --strict` of one track into `site_dir`; raise SiteBuildError with MkDocs' warnings.
    `dirty` rebuilds only the pages whose source is newer than their page in `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _captured_mkdocs_log() as messages:
        try:
            # MkDocs resolves a relative site_dir against the config file, so pass it absolute.
            config = load_config(config_file=str(config_file), site_dir=str(site_dir.resolve()), strict=True)
            config.plugins["psychoed/compiled-templates"] = _CompiledTemplates()
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            raise SiteBuildError(track_id, messages or [str(exc)]) from None


class _CompiledTemplates:
    """A plugin of ours: the theme's Jinja environment keeps compiled templates between builds
    (MkDocs makes a new environment per build; compiling Material's templates takes seconds)."""

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        env.bytecode_cache = COMPILED_TEMPLATES
        return env


@contextmanager
def _captured_mkdocs_log() -> Iterator[list[str]]:
    """Collect MkDocs' warnings and errors instead of letting them print."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect(level=logging.WARNING)
    handler.addFilter(_not_the_dirty_build_notice)
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_notice)
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(_not_the_dirty_build_notice)
        logger.propagate, logger.level = saved


def _not_the_dirty_build_notice(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation may be stale; the preview builds dirty
    only while the navigation is unchanged, and in strict mode the warning would fail the build."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def material_templates() -> Path:
    """mkdocs-material's own templates folder: its fixed inline scripts are allowed by hash."""
    import material

    return Path(material.__file__).resolve().parent / "templates"
