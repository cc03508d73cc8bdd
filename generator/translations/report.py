"""`psychoed translations`: per language and track, how much is translated, what is stale,
what was never translated (with the source field's file:line), and who reviewed each file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ..load import Curriculum
from .fields import dotted, text_hash, value_at
from .translate import published_items, required_fields


@dataclass(frozen=True)
class Untranslated:
    field: str  # dotted path in the source file
    path: str  # the source file, as shown
    line: int


@dataclass(frozen=True)
class FileStatus:
    source: str  # the source file, as shown
    translation: Optional[str]  # the overlay, as shown; None when there is none
    review: str  # "reviewed by … on …", "awaits clinical review" or "not translated"
    fields: int
    translated: int
    stale: list[str] = field(default_factory=list)  # dotted paths
    unstamped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TrackReport:
    language: str
    track: str
    fields: int
    translated: int
    stale: int
    unstamped: int
    never_translated: list[Untranslated]
    files: list[FileStatus]

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.fields if self.fields else 100.0


def translation_report(curriculum: Curriculum) -> list[TrackReport]:
    reports = []
    for language, settings in curriculum.program.translations.items():
        for track_id in settings.tracks:
            if track_id in curriculum.tracks:
                reports.append(_track_report(curriculum, language, track_id))
    return reports


def _track_report(curriculum: Curriculum, language: str, track_id: str) -> TrackReport:
    files: list[FileStatus] = []
    never: list[Untranslated] = []
    for item in published_items(curriculum, [track_id]):
        source = curriculum.source(*item)
        overlay = curriculum.overlays.get((language, *item))
        required = list(required_fields(curriculum, item, [track_id]))
        texts = overlay.texts if overlay else {}
        translated = [path for path, _ in required if path in texts]
        never += [Untranslated(dotted(path), source.path, source.position(path).line)
                  for path, _ in required if path not in texts]
        stale, unstamped = [], []
        for path in translated:
            stored = overlay.hashes.get(dotted(path)) if overlay else None
            source_text = value_at(source.data, path)
            if stored is None:
                unstamped.append(dotted(path))
            elif stored != text_hash(source_text):
                stale.append(dotted(path))
        if overlay is None:
            review = "not translated"
        elif overlay.reviewed:
            review = f"reviewed by {overlay.reviewed_by} on {overlay.reviewed_on.isoformat()}"  # type: ignore[union-attr]
        else:
            review = "awaits clinical review"
        files.append(FileStatus(source.path, overlay.file.path if overlay else None, review, len(required),
                                len(translated), stale, unstamped))
    return TrackReport(language, track_id, sum(f.fields for f in files), sum(f.translated for f in files),
                       sum(len(f.stale) for f in files), sum(len(f.unstamped) for f in files), never, files)


def report_text(reports: list[TrackReport]) -> str:
    if not reports:
        return "no translations declared (add `translations:` to program.yml)"
    out: list[str] = []
    for report in reports:
        out.append(f"{report.language} · {report.track}: {report.percent:.0f}% translated "
                   f"({report.translated} of {report.fields} fields), {report.stale} stale, "
                   f"{report.unstamped} unstamped, {len(report.never_translated)} never translated")
        for status in report.files:
            name = status.translation or status.source
            out.append(f"  {name}: {status.translated}/{status.fields} fields, {status.review}")
            out += [f"    stale: {path}" for path in status.stale]
        if report.never_translated:
            out.append("  never translated:")
            out += [f"    {u.path}:{u.line}: {u.field}" for u in report.never_translated]
    return "\n".join(out)


def report_json(reports: list[TrackReport]) -> list[dict[str, Any]]:
    return [{**asdict(report), "percent": round(report.percent, 1)} for report in reports]
