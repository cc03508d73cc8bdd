"""A track's site: its engine project, its pages built with placeholder PDFs, then the real PDFs.

`psychoed build` builds every site while the PDFs render (pdf_process.py). The pages link to
every PDF, and the engine checks those links, so each project first gets an empty placeholder
file for each PDF not rendered yet (as in the live preview). Once the PDFs land,
`publish_handouts` puts them in the project and in the built site, and zips the track's
offline copy: a second build of the same pages, made beside the first, with the PDFs added
before it is zipped.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .engines import Engine, Publishing
from .handouts import HandoutBatch, copy_handouts
from .postbuild import sanitize_site
from .render import HANDOUTS_DIR, offline_copy_file, render_track
from .shipped import ThemeFiles
from .tailor import TrackView
from .translations.translate import Translation

# Every entry gets this date, so the same site always makes the same zip.
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class BuiltSite:
    """A track's site built with placeholder PDFs, and where its real PDFs go."""

    view: TrackView
    project_dir: Path  # the engine project: mkdocs.yml and docs/
    site_dir: Path  # the built site
    handouts: Sequence[HandoutBatch]  # the PDFs' names and the cache folders they are rendered into
    offline_site: Optional[Path] = None  # the offline copy's built site, zipped once its PDFs are in


def build_site(engine: Engine, view: TrackView, project_dir: Path, published_dir: Path, site_dir: Path,
               theme: ThemeFiles, handouts: Sequence[HandoutBatch], publishing: Publishing, *,
               portable: bool = False, translation: Optional[Translation] = None) -> BuiltSite:
    """Build the track's site into `site_dir`, and with `portable` its offline copy beside the
    project, both linking placeholder PDFs. `published_dir` is where the site will be published
    (the project names it, for `mkdocs build -f` by hand)."""
    offline_site = None
    if portable:
        offline_project = offline_project_dir(project_dir)
        config_file = write_track_project(engine, view, offline_project, offline_project / "site", theme, handouts,
                                          placeholders=True, publishing=Publishing(portable=True),
                                          translation=translation)
        # The folder's name is the one the zip holds: what a reader sees after unzipping.
        offline_site = offline_project / "built" / f"{view.track.id}-offline"
        shutil.rmtree(offline_site, ignore_errors=True)
        engine.build(config_file, offline_site, view.track.id)
        sanitize_site(offline_site)
    config_file = write_track_project(engine, view, project_dir, published_dir, theme, handouts, placeholders=True,
                                      publishing=publishing, offline_copy=portable, translation=translation)
    if portable:  # linked from the home page; the zip itself is made once the PDFs are in
        placeholder = project_dir / "docs" / offline_copy_file(view.track)
        placeholder.parent.mkdir(parents=True, exist_ok=True)
        placeholder.touch()
    engine.build(config_file, site_dir, view.track.id)
    sanitize_site(site_dir)
    return BuiltSite(view, project_dir, site_dir, handouts, offline_site)


def publish_handouts(site: BuiltSite) -> None:
    """Put the rendered PDFs in place of the placeholders, in the project and the built site;
    then zip the offline copy with them and publish the zip the same way."""
    folders = [site.project_dir / "docs", site.site_dir]
    if site.offline_site is not None:
        folders += [offline_project_dir(site.project_dir) / "docs", site.offline_site]
    for batch in site.handouts:
        for folder in folders:
            copy_handouts(batch.documents, batch.folder, folder / HANDOUTS_DIR)
    if site.offline_site is not None:
        offline_zip = offline_project_dir(site.project_dir) / f"{site.offline_site.name}.zip"
        zip_folder(site.offline_site, offline_zip)
        shutil.rmtree(site.offline_site.parent)  # "built/", which holds only this site
        for folder in (site.project_dir / "docs", site.site_dir):
            _replace_with_copy(offline_zip, folder / offline_copy_file(site.view.track))


def offline_project_dir(project_dir: Path) -> Path:
    """The offline copy's own engine project, inside the track's."""
    return project_dir / "portable"


def write_track_project(engine: Engine, view: TrackView, project_dir: Path, published_dir: Path, theme: ThemeFiles,
                        handouts: Sequence[HandoutBatch], *, placeholders: bool = False,
                        publishing: Publishing = Publishing(), offline_copy: bool = False,
                        translation: Optional[Translation] = None) -> Path:
    """The track's engine project with its PDFs under docs/handouts/, where the engine publishes
    them (and MkDocs checks the pages' links to them); with `placeholders`, a PDF not rendered
    yet is an empty file. Returns the config file."""
    project_dir.mkdir(parents=True, exist_ok=True)
    large_print = any(batch.large_print for batch in handouts)
    rendered = render_track(view, large_print=large_print, offline_copy=offline_copy, translation=translation)
    config_file = engine.write_project(view, rendered, project_dir, published_dir, theme, publishing)
    for batch in handouts:
        copy_handouts(batch.documents, batch.folder, project_dir / "docs" / HANDOUTS_DIR, placeholders=placeholders)
    return config_file


def zip_folder(folder: Path, target: Path) -> None:
    """Zip `folder` as one top-level folder of the same name, written aside and renamed into place."""
    partial = target.with_name(f".{target.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(folder.parent).as_posix(), date_time=_ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, path.read_bytes())
    partial.replace(target)


def _replace_with_copy(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)
