"""The whole pipeline, top to bottom: load → tailor → render → write → MkDocs, then publish.

The new site is built aside and swapped in at the end, so a failed build leaves the
previously published site exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .check import check_curriculum
from .diagnostics import CurriculumError, Diagnostic
from .load import Curriculum
from .render import render_hub, render_track
from .site import ThemeFiles, build_site, write_project
from .tailor import TrackView


class UsageError(Exception):
    """The command was asked for something that does not exist (exit status 2)."""


@dataclass(frozen=True)
class BuildPaths:
    curriculum: Path
    out: Path  # the published site: OUT/index.html and OUT/<track>/
    build: Path  # generated MkDocs projects: BUILD/<track>/mkdocs.yml and docs/


@dataclass(frozen=True)
class BuildReport:
    tracks: list[str]  # the ids built
    warnings: list[Diagnostic]  # content-rule warnings: published anyway, worth fixing


def build(paths: BuildPaths, track_ids: Sequence[str] = ()) -> BuildReport:
    """Check, then build the named tracks (all when none are named). Errors stop the build."""
    checked = check_curriculum(paths.curriculum)
    if not checked.ok or checked.curriculum is None:
        raise CurriculumError(checked.diagnostics)
    curriculum = checked.curriculum
    chosen = choose_tracks(curriculum, track_ids)
    views = [checked.views[track_id] for track_id in chosen]
    theme = ThemeFiles.for_project(paths.curriculum.resolve().parent)

    paths.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{paths.out.name}-", dir=paths.out.parent))
    try:
        for view in views:
            build_track(view, paths, staging / view.track.id, theme)
        (staging / "index.html").write_text(render_hub(curriculum.program, list(curriculum.tracks.values())),
                                            encoding="utf-8")
        keep_other_tracks(paths.out, staging, built=chosen)
        publish(staging, paths.out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(chosen, checked.warnings)


def choose_tracks(curriculum: Curriculum, track_ids: Sequence[str]) -> list[str]:
    unknown = [t for t in track_ids if t not in curriculum.tracks]
    if unknown:
        raise UsageError(f"unknown track {', '.join(unknown)}; known tracks: {', '.join(curriculum.tracks)}")
    return list(dict.fromkeys(track_ids)) or list(curriculum.tracks)


def build_track(view: TrackView, paths: BuildPaths, site_dir: Path, theme: ThemeFiles) -> None:
    rendered = render_track(view)
    project_dir = paths.build / view.track.id
    project_dir.mkdir(parents=True, exist_ok=True)
    # The project's own site_dir names the published place, for `mkdocs build -f` by hand.
    config_file = write_project(view, rendered, project_dir, paths.out / view.track.id, theme)
    build_site(config_file, site_dir, view.track.id)


def keep_other_tracks(old_out: Path, staging: Path, built: Sequence[str]) -> None:
    """On a partial build, carry the tracks not rebuilt over from the published site."""
    if not old_out.is_dir():
        return
    for entry in old_out.iterdir():
        if entry.is_dir() and entry.name not in built and not (staging / entry.name).exists():
            shutil.copytree(entry, staging / entry.name)


def publish(staging: Path, out: Path) -> None:
    """Swap the finished site into place with renames, so readers never see half a site."""
    retired = out.with_name(f".{out.name}-retired")
    shutil.rmtree(retired, ignore_errors=True)
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
