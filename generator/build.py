"""The whole pipeline, top to bottom: load → tailor → render → write → MkDocs, then publish.

The new site is built aside and swapped in at the end, so a failed build leaves the
previously published site exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Optional, Sequence
from urllib.parse import urlsplit

from . import build_cache
from .build_cache import BuildOptions
from .build_report import BuildReport
from .check import CheckResult, check_curriculum
from .diagnostics import CurriculumError, Diagnostic
from .errors import UsageError
from .lock import holding
from .publish import BUILD_MARKER, OUTPUT_MARKER, carry_tracks, guard_folders, mark, recover, staging_folder, swap_in, unpublished
from .load import Curriculum
from .page_layout import curriculum_footer_problems
from .handouts import HandoutBatch, RenderReport, copy_handouts, handout_batch, refresh_handouts
from .postbuild import sanitize_site
from .editions import alternates, edition_site_url, edition_views, editions, write_hub
from .progress import SILENT, Progress
from .render import HANDOUTS_DIR, offline_copy_file, render_track
from .engines import Engine, Publishing, get_engine, track_site_url
from .shipped import ThemeFiles
from .tailor import TrackView
from .translations.translate import Translation


@dataclass(frozen=True)
class BuildPaths:
    curriculum: Path
    out: Path  # the published site: OUT/index.html and OUT/<track>/
    build: Path  # generated MkDocs projects: BUILD/<track>/mkdocs.yml and docs/


def build(paths: BuildPaths, track_ids: Sequence[str] = (), *, large_print: bool = False,
          portable: bool = False, site_url: str | None = None, engine: str | None = None,
          progress: Progress = SILENT, pages_only: Collection[str] = ()) -> BuildReport:
    """Check, then build the named tracks (all when none are named). Errors stop the build.

    Only tracks whose inputs changed since the last build are built (build_cache.py); with none,
    nothing is checked or built and the report says it was a no-op. Each track's PDF handouts are
    rendered first (only those whose content changed), so that MkDocs publishes them and checks
    every link to them; `large_print` adds the large-print set.
    `portable` also publishes each track's offline copy as a zip, linked from its home page.
    `site_url` is the address OUT/ will be published at, when known. `engine` overrides the
    program's `engine:` setting (MkDocs + Material unless it names another). `progress` hears
    what is being done. `pages_only` (not on the command line; the tests use it) names tracks
    built without rendering their PDFs or their offline copy: their handout links lead to empty
    placeholder files, as in the preview, and no build manifest is kept.
    """
    started = time.perf_counter()
    site_path = site_url_path(site_url)
    guard_folders(paths.curriculum, paths.out, paths.build)
    with holding([paths.build, paths.out], "psychoed build"):
        recover(paths.out)
        inputs = build_cache.current_inputs(paths.curriculum, paths.build,
                                            BuildOptions(paths.out, portable, site_url, engine, large_print))
        manifest = build_cache.read_manifest(paths.build)
        stale = build_cache.stale_tracks(manifest, inputs, paths.out, track_ids)
        if stale == [] and manifest is not None:
            return build_cache.noop_report(manifest, track_ids, started)
        progress.note("checking the curriculum")
        checked = passing_check(paths.curriculum, paths.build)
        curriculum = checked.curriculum
        assert curriculum is not None
        large_print = large_print or curriculum.program.handouts.large_print
        refuse_footer_problems(curriculum, large_print=large_print)
        chosen = choose_tracks(curriculum, track_ids if stale is None else stale)
        languages = editions(curriculum)
        # A partial build also builds the tracks the published site lacks: the hub links every track.
        for edition in languages:
            chosen += [t for t in unpublished(edition.under(paths.out), edition.track_ids) if t not in chosen]
        plans = [(edition, edition_views(edition, checked.views, chosen)) for edition in languages]
        site_engine = get_engine(engine or curriculum.program.engine)
        theme = ThemeFiles.for_project(paths.curriculum.resolve().parent)
        mark(paths.build, BUILD_MARKER)
        staging = staging_folder(paths.out)  # first, so an output folder we cannot write fails fast
        engine_builds: list[str] = []
        try:
            handouts = {(e.folder, view.track.id): track_handouts(
                            view, e.under(paths.build) / view.track.id, large_print=large_print,
                            track_url=track_site_url(edition_site_url(site_url, e), view.track.id),
                            translation=e.translation)
                        for e, views in plans for view in views.values()}
            rendered = refresh_handouts([batch for (_, track_id), batches in handouts.items()
                                         if track_id not in pages_only for batch in batches], progress=progress)
            sites = sum(len(views) for _, views in plans)
            for edition, views in plans:
                edition_paths = BuildPaths(paths.curriculum, edition.under(paths.out), edition.under(paths.build))
                publishing = Publishing(site_url=edition_site_url(site_url, edition), folder=edition.folder,
                                        tracks=tuple((t, edition.curriculum.tracks[t].title) for t in edition.track_ids))
                for view in views.values():
                    site = edition.site_name(view.track.id)
                    progress.note(f"site of track {site} ({len(set(engine_builds)) + 1}/{sites})")
                    pages_alone = view.track.id in pages_only
                    build_track(site_engine, view, edition_paths, edition.under(staging) / view.track.id, theme,
                                handouts[(edition.folder, view.track.id)],
                                replace(publishing, alternates=alternates(view.track.id, edition, languages)),
                                portable=portable and not pages_alone, placeholders=pages_alone,
                                translation=edition.translation)
                    engine_builds += [site] * (2 if portable and not pages_alone else 1)
                write_hub(edition, languages, edition.under(staging), site_path)
                carry_tracks(edition.under(paths.out), edition.under(staging),
                             [t for t in edition.track_ids if t not in chosen])
            build_cache.forget_manifest(paths.build)  # a kill during the swap leaves no stale record behind
            swap_in(staging, paths.out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if not pages_only:  # placeholder PDFs are no build to skip next time
            # One record per track covers its every edition: a track's inputs include all overlay files.
            source_views = plans[0][1]
            built = {t: build_cache.track_inputs(curriculum, view, inputs.files) for t, view in source_views.items()}
            folders = {t: [e.site_name(t) for e in languages if t in e.track_ids] for t in built}
            build_cache.write_manifest(paths.build, build_cache.record(
                manifest, inputs, built, list(curriculum.tracks), len(checked.warnings), folders))
    return BuildReport(chosen, checked.warnings, rendered.rendered, rendered.reused, tuple(engine_builds),
                       up_to_date=tuple(t for t in curriculum.tracks if t not in chosen),
                       seconds=time.perf_counter() - started)


def passing_check(curriculum_dir: Path, cache_dir: Path | None = None) -> CheckResult:
    """The full check; raises CurriculumError if it found any error, so nothing is published."""
    checked = check_curriculum(curriculum_dir, cache_dir=cache_dir)
    if not checked.ok:
        raise CurriculumError(checked.diagnostics)
    return checked


def refuse_footer_problems(curriculum: Curriculum, *, large_print: bool) -> None:
    """The check covers the large-print footer only when program.yml asks for large print."""
    problems = curriculum_footer_problems(curriculum, large_print=large_print)
    if problems:
        raise CurriculumError(problems)


def choose_tracks(curriculum: Curriculum, track_ids: Sequence[str]) -> list[str]:
    unknown = [t for t in track_ids if t not in curriculum.tracks]
    if unknown:
        raise UsageError(f"unknown track {', '.join(unknown)}; known tracks: {', '.join(curriculum.tracks)}")
    return list(dict.fromkeys(track_ids)) or list(curriculum.tracks)


def site_url_path(site_url: str | None) -> str:
    """The path of the published site on its host: "/" unless `site_url` says otherwise."""
    if site_url is None:
        return "/"
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--site-url {site_url!r} is not a web address; give one such as https://example.org/iop/")
    return parts.path.rstrip("/") + "/"


def build_track(engine: Engine, view: TrackView, paths: BuildPaths, site_dir: Path, theme: ThemeFiles,
                handouts: Sequence[HandoutBatch], publishing: Publishing, *, portable: bool = False,
                placeholders: bool = False, translation: Optional[Translation] = None) -> None:
    project_dir = paths.build / view.track.id
    offline_zip = build_offline_copy(engine, view, project_dir / "portable", theme, handouts,
                                     translation) if portable else None
    # The project's own site_dir names the published place, for `mkdocs build -f` by hand.
    config_file = write_track_project(engine, view, project_dir, paths.out / view.track.id, theme, handouts,
                                      placeholders=placeholders, publishing=publishing,
                                      offline_copy=offline_zip is not None, translation=translation)
    if offline_zip is not None:
        published_zip = project_dir / "docs" / offline_copy_file(view.track)
        published_zip.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(offline_zip, published_zip)
    engine.build(config_file, site_dir, view.track.id)
    sanitize_site(site_dir)


def build_offline_copy(engine: Engine, view: TrackView, project_dir: Path, theme: ThemeFiles,
                       handouts: Sequence[HandoutBatch], translation: Optional[Translation] = None) -> Path:
    """Build the track's offline copy (its own MkDocs project under `project_dir`) and zip it
    into one folder named after the track; return the zip's path."""
    folder = f"{view.track.id}-offline"
    config_file = write_track_project(engine, view, project_dir, project_dir / "site", theme, handouts,
                                      publishing=Publishing(portable=True), translation=translation)
    offline_zip = project_dir / f"{folder}.zip"
    with tempfile.TemporaryDirectory(prefix="psychoed-offline-") as scratch:
        site_dir = Path(scratch) / folder
        engine.build(config_file, site_dir, view.track.id)
        sanitize_site(site_dir)
        zip_folder(site_dir, offline_zip)
    return offline_zip


# Every entry gets this date, so the same site always makes the same zip.
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


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


def track_handouts(view: TrackView, project_dir: Path, *, large_print: bool = False,
                   track_url: str | None = None, translation: Optional[Translation] = None) -> list[HandoutBatch]:
    """The track's standard PDFs, plus the large-print set when asked for; with `track_url`, the
    handouts carry QR codes of their pages."""
    standard = handout_batch(view, project_dir, track_url=track_url, translation=translation)
    if not large_print:
        return [standard]
    return [standard, handout_batch(view, project_dir, large_print=True, track_url=track_url, translation=translation)]


def write_track_project(engine: Engine, view: TrackView, project_dir: Path, published_dir: Path, theme: ThemeFiles,
                        handouts: Sequence[HandoutBatch], *, placeholders: bool = False,
                        publishing: Publishing = Publishing(), offline_copy: bool = False,
                        translation: Optional[Translation] = None) -> Path:
    """The track's engine project with its rendered PDFs under docs/handouts/, where the engine
    publishes them (and MkDocs checks the pages' links to them). Returns the config file."""
    project_dir.mkdir(parents=True, exist_ok=True)
    large_print = any(batch.large_print for batch in handouts)
    rendered = render_track(view, large_print=large_print, offline_copy=offline_copy, translation=translation)
    config_file = engine.write_project(view, rendered, project_dir, published_dir, theme, publishing)
    for batch in handouts:
        copy_handouts(batch.documents, batch.folder, project_dir / "docs" / HANDOUTS_DIR, placeholders=placeholders)
    return config_file


def build_handouts(paths: BuildPaths, track_ids: Sequence[str] = (), *, weeks: Sequence[int] = (),
                   large_print: bool = False) -> RenderReport:
    """Only the PDFs (`psychoed handouts`): check, render what changed into the cache under
    `paths.build`, then put each PDF in OUT/<track>/handouts/, one file replaced at a time."""
    guard_folders(paths.curriculum, paths.out, paths.build)
    with holding([paths.build, paths.out], "psychoed handouts"):
        recover(paths.out)
        checked = passing_check(paths.curriculum, paths.build)
        assert checked.curriculum is not None
        refuse_footer_problems(checked.curriculum, large_print=large_print)
        views = [checked.views[track_id] for track_id in choose_tracks(checked.curriculum, track_ids)]
        for view in views:
            missing = [n for n in weeks if not 1 <= n <= len(view.weeks)]
            if missing:
                raise UsageError(f"track `{view.track.id}` has weeks 1 to {len(view.weeks)}, not week "
                                 f"{', '.join(map(str, missing))}")
        mark(paths.build, BUILD_MARKER)
        batches = {view.track.id: handout_batch(view, paths.build / view.track.id, large_print=large_print,
                                                weeks=weeks or None) for view in views}
        report = refresh_handouts(list(batches.values()))
        build_cache.forget_manifest(paths.build)  # OUT changes here: the next build is a full one
        mark(paths.out, OUTPUT_MARKER)
        for track_id, batch in batches.items():
            copy_handouts(batch.documents, batch.folder, paths.out / track_id / HANDOUTS_DIR)
    return report
