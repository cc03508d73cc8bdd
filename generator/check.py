"""`psychoed check`: every problem in a curriculum, without building anything.

Schema, cross-references and templates first (`load`, `tailor`), then the content rules
(`lint`) on each track's tailored text. `psychoed build` runs the same check and refuses to
publish while any error remains.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Optional

from .check_cache import CheckCache
from .diagnostics import CurriculumError, Diagnostic, errors
from .languages import language_problems, translation_problems
from .links import link_problems
from .lint import LintResult, lint
from .load import Curriculum, load_curriculum
from .regex_safety import unsafe_pattern_problems
from .page_layout import curriculum_footer_problems
from .tailor import TrackView, tailor
from .translations.check import translation_findings


@dataclass(frozen=True)
class CheckResult:
    curriculum: Optional[Curriculum]  # None when the files could not be loaded
    views: dict[str, TrackView] = field(default_factory=dict)  # every track that tailored cleanly
    diagnostics: list[Diagnostic] = field(default_factory=list)  # sorted
    lint: LintResult = field(default_factory=LintResult)

    @property
    def ok(self) -> bool:
        return self.curriculum is not None and not errors(self.diagnostics)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def check_curriculum(root: Path, as_of: Optional[datetime.date] = None, *,
                     lint_tracks: Optional[Collection[str]] = None, cache_dir: Optional[Path] = None,
                     cache: Optional[CheckCache] = None) -> CheckResult:
    """Load, tailor every track and lint; `as_of` is the day review dates are measured from.
    `lint_tracks` limits the per-track content rules to those tracks (the live preview of one).
    With `cache_dir` (a build folder), per-module results are kept there between runs (check_cache.py);
    a `cache` given instead keeps them in memory, for a process that checks again and again."""
    return finish_check(check_structure(root), as_of, lint_tracks=lint_tracks, cache_dir=cache_dir, cache=cache)


@dataclass(frozen=True)
class Structure:
    """The first, fast half of the check: the files loaded and every track tailored, with the
    problems found so far. The content rules (`finish_check`) are the slow half."""

    result: CheckResult
    lintable: bool  # False when the content rules cannot run (no language, or unsafe patterns)


def check_structure(root: Path) -> Structure:
    """Schema, cross-references, templates and translations: everything but the content rules."""
    try:
        curriculum = load_curriculum(root)
    except CurriculumError as exc:
        return Structure(CheckResult(None, {}, exc.diagnostics), lintable=False)
    language = language_problems(curriculum)
    if language:  # every check that measures or writes words needs the program's language
        return Structure(CheckResult(curriculum, {}, language), lintable=False)
    views: dict[str, TrackView] = {}
    diagnostics: set[Diagnostic] = set(link_problems(curriculum))
    diagnostics.update(translation_problems(curriculum))
    for track_id in curriculum.tracks:
        try:
            views[track_id] = tailor(curriculum, track_id)
        except CurriculumError as exc:
            diagnostics.update(exc.diagnostics)
    unsafe = unsafe_pattern_problems(curriculum)
    if unsafe:  # the content rules would run these patterns on every text: report them alone
        return Structure(CheckResult(curriculum, views, sorted(diagnostics.union(unsafe))), lintable=False)
    return Structure(CheckResult(curriculum, views, sorted(diagnostics)), lintable=True)


def finish_check(structure: Structure, as_of: Optional[datetime.date] = None, *,
                 lint_tracks: Optional[Collection[str]] = None, cache_dir: Optional[Path] = None,
                 cache: Optional[CheckCache] = None) -> CheckResult:
    """The whole check from its first half: the content rules on the tracks, when they can run,
    with their findings added to the structure's problems."""
    if not structure.lintable:
        return structure.result
    curriculum, views = structure.result.curriculum, structure.result.views
    assert curriculum is not None
    diagnostics = set(structure.result.diagnostics)
    linted_views = views if lint_tracks is None else {t: v for t, v in views.items() if t in lint_tracks}
    if cache is None:
        cache = CheckCache.in_folder(cache_dir) if cache_dir is not None else CheckCache.disabled()
    day = as_of or datetime.date.today()
    linted = lint(curriculum, linted_views, day, cache=cache)
    diagnostics.update(curriculum_footer_problems(curriculum, large_print=curriculum.program.handouts.large_print))
    diagnostics.update(linted.findings)
    diagnostics.update(translation_findings(curriculum, day, cache))
    cache.save()
    return CheckResult(curriculum, views, sorted(diagnostics), linted)
