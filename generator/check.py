"""`psychoed check`: every problem in a curriculum, without building anything.

Today: the schema, cross-references and track templates of every track. The content
rules (safety, language, readability) plug in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .diagnostics import CurriculumError, Diagnostic, errors
from .load import Curriculum, load_curriculum
from .tailor import TrackView, tailor


@dataclass(frozen=True)
class CheckResult:
    curriculum: Optional[Curriculum]  # None when the files could not be loaded
    views: dict[str, TrackView] = field(default_factory=dict)  # every track that tailored cleanly
    diagnostics: list[Diagnostic] = field(default_factory=list)  # sorted

    @property
    def ok(self) -> bool:
        return self.curriculum is not None and not errors(self.diagnostics)


def check_curriculum(root: Path) -> CheckResult:
    try:
        curriculum = load_curriculum(root)
    except CurriculumError as exc:
        return CheckResult(None, {}, exc.diagnostics)
    views: dict[str, TrackView] = {}
    diagnostics: set[Diagnostic] = set()
    for track_id in curriculum.tracks:
        try:
            views[track_id] = tailor(curriculum, track_id)
        except CurriculumError as exc:
            diagnostics.update(exc.diagnostics)
    return CheckResult(curriculum, views, sorted(diagnostics))
