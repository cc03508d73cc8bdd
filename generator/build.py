"""The whole pipeline, top to bottom: load → tailor → (PDFs ‖ content rules → pages), then publish.

The new site is built aside and swapped in at the end, so a failed build leaves the
previously published site exactly as it was.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Sequence
from urllib.parse import urlsplit

from . import build_cache
from .build_cache import BuildOptions
from .build_report import BuildReport
from .check import CheckResult, check_curriculum, check_structure, finish_check
from .diagnostics import CurriculumError
from .editions import alternates, edition_site_url, edition_views, editions, write_hub
from .engines import Publishing, get_engine, track_site_url
from .errors import UsageError
from .handout_names import named_batches
from .handouts import RenderReport, copy_handouts, handout_batch, refresh_handouts
from .load import Curriculum
from .lock import holding
from .page_layout import curriculum_footer_problems
from .pdf_process import BackgroundHandouts, PrintJob
from .progress import SILENT, Progress
from .publish import BUILD_MARKER, OUTPUT_MARKER, carry_tracks, guard_folders, mark, recover, staging_folder, swap_in, unpublished
from .render import HANDOUTS_DIR
from .shipped import ThemeFiles
from .sites import BuiltSite, build_site, publish_handouts


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
    nothing is checked or built and the report says it was a no-op. Once the curriculum's
    structure is checked, the PDF handouts whose content changed render in a child process
    (pdf_process.py) while this one runs the content rules and builds the pages, which link to
    placeholder PDFs (MkDocs checks every link to them); the rendered PDFs then take the
    placeholders' place (sites.py). `large_print` adds the large-print set.
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
        structure = check_structure(paths.curriculum)
        if not structure.result.ok:
            raise CurriculumError(finish_check(structure, cache_dir=paths.build).diagnostics)
        curriculum = structure.result.curriculum
        assert curriculum is not None
        large_print = large_print or curriculum.program.handouts.large_print
        refuse_footer_problems(curriculum, large_print=large_print)
        chosen = choose_tracks(curriculum, track_ids if stale is None else stale)
        languages = editions(curriculum)
        # A partial build also builds the tracks the published site lacks: the hub links every track.
        for edition in languages:
            chosen += [t for t in unpublished(edition.under(paths.out), edition.track_ids) if t not in chosen]
        plans = [(edition, edition_views(edition, structure.result.views, chosen)) for edition in languages]
        site_engine = get_engine(engine or curriculum.program.engine)
        theme = ThemeFiles.for_project(paths.curriculum.resolve().parent)
        mark(paths.build, BUILD_MARKER)
        staging = staging_folder(paths.out)  # first, so an output folder we cannot write fails fast
        print_jobs = [PrintJob(view, e.under(paths.build) / view.track.id, large_print,
                               track_site_url(edition_site_url(site_url, e), view.track.id), e.translation)
                      for e, views in plans for view in views.values() if view.track.id not in pages_only]
        engine_builds: list[str] = []
        try:
            # The PDFs render in a child process from here on, while this one finishes the check
            # and builds the pages; a failed check stops them (leaving the block).
            with BackgroundHandouts(print_jobs, progress) as pdfs:
                progress.note("checking the content")
                checked = finish_check(structure, cache_dir=paths.build)
                if not checked.ok:
                    raise CurriculumError(checked.diagnostics)
                sites: list[BuiltSite] = []
                count = sum(len(views) for _, views in plans)
                for edition, views in plans:
                    publishing = Publishing(site_url=edition_site_url(site_url, edition), folder=edition.folder,
                                            tracks=tuple((t, edition.curriculum.tracks[t].title) for t in edition.track_ids))
                    for track_id, view in views.items():
                        progress.note(f"site of track {edition.site_name(track_id)} ({len(sites) + 1}/{count})")
                        project_dir = edition.under(paths.build) / track_id
                        with_pdfs = track_id not in pages_only
                        sites.append(build_site(
                            site_engine, view, project_dir, edition.under(paths.out) / track_id,
                            edition.under(staging) / track_id, theme,
                            named_batches(view, project_dir, large_print=large_print),
                            replace(publishing, alternates=alternates(track_id, edition, languages)),
                            portable=portable and with_pdfs, translation=edition.translation))
                        engine_builds += [edition.site_name(track_id)] * (2 if portable and with_pdfs else 1)
                    write_hub(edition, languages, edition.under(staging), site_path)
                    carry_tracks(edition.under(paths.out), edition.under(staging),
                                 [t for t in edition.track_ids if t not in chosen])
                rendered = pdfs.result()
            for site in sites:
                if site.view.track.id not in pages_only:
                    publish_handouts(site)
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
