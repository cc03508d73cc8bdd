"""What each published track was built from, so that a build with nothing changed does nothing.

After a successful publish, `psychoed build` writes `BUILD/build-manifest.json`: for every track,
the content hashes of the curriculum files it was made from (program, every track file — each
site lists all tracks —, the modules and worksheets it schedules, and any other file in the
curriculum folder), the names of all curriculum files, and one "environment" hash of everything
else that shapes the output: Psychoed's own files (code, shipped theme, base `mkdocs.yml`, rules,
templates), the project's `theme/` and `mkdocs.yml`, the versions of the engines and WeasyPrint,
and the build options. The next build hashes the same inputs (raw bytes, no YAML parsing) and
rebuilds only the tracks whose record no longer matches; a module used by one track rebuilds that
track alone. A missing, unreadable or foreign manifest means a full build.

This module imports only the standard library and Psychoed's light modules: the no-op answer
must come in well under a second, before the pipeline is even imported.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence

from .build_report import BuildReport
from .lock import holding
from .publish import guard_folders, recover
from .shipped import PACKAGE

if TYPE_CHECKING:  # only for the types: importing them would load the whole pipeline
    from .load import Curriculum
    from .tailor import TrackView

MANIFEST_FILE = "build-manifest.json"
_FORMAT = 2
# Versions of the libraries that turn the generated projects into HTML and PDF.
_RENDERING_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "weasyprint", "pikepdf", "zensical")
# Folders inside the package that are not part of what a build reads.
_NOT_INPUTS = {"__pycache__", "bundled", "starter"}


@dataclass(frozen=True)
class BuildOptions:
    """The command-line choices that change the published output."""

    out: Path
    portable: bool = False
    site_url: Optional[str] = None
    engine: Optional[str] = None
    large_print: bool = False

    def key(self, build_dir: Path) -> str:
        # OUT as seen from the build folder: a project moved as a whole stays up to date.
        out = os.path.relpath(self.out.resolve(), build_dir.resolve())
        return json.dumps({"out": out, "portable": self.portable, "site_url": self.site_url,
                           "engine": self.engine, "large_print": self.large_print}, sort_keys=True)


@dataclass(frozen=True)
class Inputs:
    """Hashes of everything a build reads, taken before it starts."""

    environment: str
    files: Mapping[str, str]  # curriculum file (relative to the curriculum folder, posix) → sha256

    @property
    def file_set(self) -> str:
        return _digest("\0".join(sorted(self.files)))


@dataclass(frozen=True)
class TrackRecord:
    environment: str
    files: Mapping[str, str]  # the curriculum files this track was made from → their sha256
    sites: tuple[str, ...] = ()  # its folders under OUT/, one per language: "addiction", "es/addiction"


@dataclass(frozen=True)
class Manifest:
    file_set: str  # the names of all curriculum files at the last build
    all_tracks: tuple[str, ...]  # every track of the curriculum at the last build
    tracks: Mapping[str, TrackRecord]  # the published ones
    warnings: int = 0  # content-rule warnings the last build published with


def current_inputs(curriculum: Path, build_dir: Path, options: BuildOptions) -> Inputs:
    project = curriculum.resolve().parent
    environment = _digest("\0".join([
        f"format {_FORMAT}", options.key(build_dir), psychoed_digest(),
        _tree_digest(project / "theme"), _file_digest(project / "mkdocs.yml") or "",
        *(_distribution_version(name) for name in _RENDERING_DISTRIBUTIONS)]))
    return Inputs(environment, _curriculum_files(curriculum))


@functools.cache
def psychoed_digest() -> str:
    """One hash of Psychoed's own files (code, templates, shipped theme, base config, rules): a
    finer "version" than the version number, which an edited checkout does not change."""
    return _tree_digest(PACKAGE, skip=_NOT_INPUTS)


def stale_tracks(manifest: Optional[Manifest], inputs: Inputs, out: Path,
                 track_ids: Sequence[str] = ()) -> Optional[list[str]]:
    """The tracks (of those named, else of all) whose published site no longer matches its inputs;
    None when nothing can be trusted and everything asked for must be built: no manifest, no
    published hub, or a curriculum file added or removed since (a new track, module or overlay)."""
    if manifest is None or manifest.file_set != inputs.file_set or not (out / "index.html").is_file():
        return None
    wanted = list(dict.fromkeys(track_ids)) or list(manifest.all_tracks)
    stale = [t for t in wanted if not _fresh(manifest.tracks.get(t), inputs, out)]
    # A partial build also builds the tracks the published site lacks: the hub links every track.
    return stale + [t for t in manifest.all_tracks if t not in wanted and not _published(manifest.tracks.get(t), t, out)]


def unchanged_build(curriculum: Path, out: Path, build_dir: Path, track_ids: Sequence[str],
                    options: BuildOptions) -> Optional[BuildReport]:
    """The report of a no-op build when nothing that the named tracks (or all) are made from has
    changed since the last build; None when there is work to do. Takes the build's locks and
    repairs what a killed run left, as a build does."""
    started = time.perf_counter()
    guard_folders(curriculum, out, build_dir)
    with holding([build_dir, out], "psychoed build"):
        recover(out)
        manifest = read_manifest(build_dir)
        if manifest is None or stale_tracks(manifest, current_inputs(curriculum, build_dir, options), out, track_ids) != []:
            return None
    return noop_report(manifest, track_ids, started)


def noop_report(manifest: Manifest, track_ids: Sequence[str], started: float) -> BuildReport:
    return BuildReport([], [], noop=True, up_to_date=tuple(dict.fromkeys(track_ids)) or manifest.all_tracks,
                       known_warnings=manifest.warnings, seconds=time.perf_counter() - started)


def track_inputs(curriculum: "Curriculum", view: "TrackView", files: Iterable[str]) -> list[str]:
    """The curriculum files one track is made from: all of them (program, every track file, any
    other file) except the module and worksheet files it does not use. `files` and the result are
    relative to the curriculum folder."""

    def relative(kind: str, item_id: str) -> str:
        shown = curriculum.root.parent / curriculum.source(kind, item_id).path
        return shown.relative_to(curriculum.root).as_posix()

    unused = {relative("module", m) for m in curriculum.modules if m not in view.modules}
    unused |= {relative("worksheet", w) for w in curriculum.worksheets if w not in view.worksheets}
    return sorted(set(files) - unused)


def record(manifest: Optional[Manifest], inputs: Inputs, built: Mapping[str, Sequence[str]],
           all_tracks: Sequence[str], warnings: int, sites: Optional[Mapping[str, Sequence[str]]] = None) -> Manifest:
    """The manifest after a publish: `built` maps each track built now to its dependencies, and
    `sites` to its folders under OUT/ (the track's id alone when not given). The other tracks keep
    their records while the set of curriculum files is the same (a new file could be an input
    that an old record does not name)."""
    keep = set(all_tracks) - set(built)
    same_files = manifest is not None and manifest.file_set == inputs.file_set
    tracks = {t: r for t, r in manifest.tracks.items() if t in keep} if manifest and same_files else {}
    for track_id, dependencies in built.items():
        tracks[track_id] = TrackRecord(inputs.environment,
                                       {name: inputs.files[name] for name in dependencies if name in inputs.files},
                                       tuple((sites or {}).get(track_id, (track_id,))))
    return Manifest(inputs.file_set, tuple(all_tracks), dict(sorted(tracks.items())), warnings)


def read_manifest(build_dir: Path) -> Optional[Manifest]:
    """The manifest in `build_dir`, or None when it is missing, unreadable or not ours."""
    try:
        data = json.loads((build_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return None
        tracks = {str(t): TrackRecord(str(r["environment"]), {str(k): str(v) for k, v in dict(r["files"]).items()},
                                      tuple(str(site) for site in r["sites"]))
                  for t, r in dict(data["tracks"]).items()}
        return Manifest(str(data["file_set"]), tuple(str(t) for t in data["all_tracks"]), tracks,
                        int(data.get("warnings", 0)))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_manifest(build_dir: Path, manifest: Manifest) -> None:
    """Write the manifest whole or not at all (a reader sees the old one or the new one)."""
    data = {"format": _FORMAT, "file_set": manifest.file_set, "all_tracks": list(manifest.all_tracks),
            "warnings": manifest.warnings,
            "tracks": {t: {"environment": r.environment, "files": dict(sorted(r.files.items())), "sites": list(r.sites)}
                       for t, r in manifest.tracks.items()}}
    build_dir.mkdir(parents=True, exist_ok=True)
    partial = build_dir / f".{MANIFEST_FILE}.{os.getpid()}.partial"
    try:
        partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, build_dir / MANIFEST_FILE)
    finally:
        partial.unlink(missing_ok=True)


def forget_manifest(build_dir: Path) -> None:
    """Remove the manifest, so the next build is a full one."""
    (build_dir / MANIFEST_FILE).unlink(missing_ok=True)


def _fresh(entry: Optional[TrackRecord], inputs: Inputs, out: Path) -> bool:
    if entry is None or entry.environment != inputs.environment:
        return False
    if any(inputs.files.get(name) != digest for name, digest in entry.files.items()):
        return False
    return all((out / site / "index.html").is_file() for site in entry.sites)


def _published(entry: Optional[TrackRecord], track_id: str, out: Path) -> bool:
    """Whether every folder of the track (in each language) is in the published site."""
    return all((out / site / "index.html").is_file() for site in (entry.sites if entry else (track_id,)))


def _curriculum_files(curriculum: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for root, dirs, names in os.walk(curriculum):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root, name)
            digest = _file_digest(path)
            if digest is not None:
                files[path.relative_to(curriculum).as_posix()] = digest
    return files


def _tree_digest(folder: Path, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """One hash of every file's name and bytes under `folder` ("" when it does not exist)."""
    if not folder.is_dir():
        return ""
    hasher = hashlib.sha256()
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in sorted(names):
            path = Path(root, name)
            if name.endswith((".pyc", ".partial")):
                continue
            hasher.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            hasher.update((_file_digest(path) or "").encode("ascii") + b"\0")
    return hasher.hexdigest()


def _file_digest(path: Path) -> Optional[str]:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _distribution_version(name: str) -> str:
    """`name version` as installed, or `name -`. Read from the `*.dist-info` folder names on
    sys.path: importlib.metadata would cost more than the rest of a no-op build."""
    wanted = name.lower().replace("-", "_")
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem, dot, kind = folder.rpartition(".")
            project, dash, version = stem.partition("-")
            if kind == "dist-info" and dash and project.lower().replace("-", "_") == wanted:
                return f"{name} {version}"
    return f"{name} -"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
